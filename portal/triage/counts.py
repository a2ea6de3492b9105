"""How many referrals each tab of the queue holds, under the officer's filters."""

from functools import lru_cache

from sqlalchemy import and_, case, false, func, not_, select

from portal.extensions import db
from portal.models import Referral, StaffUser
from portal.triage.queue import (
    OPEN_STATUSES,
    QUEUED_STATUSES,
    ROUTE_WAITING,
    TABS,
    FilterShape,
    QueueFilters,
    filter_conditions,
    filter_shape,
    filter_values,
    not_by_index,
    referrals_by_route,
    tab_conditions,
)


def tab_counts(filters: QueueFilters, officer: StaffUser) -> dict[str, int]:
    """How many referrals each tab but "closed" holds under the other filters. Two sums over disjoint sets of
    rows, each found by index, so the cost follows the size of the queue, not the years of referrals behind it:
    the referrals in the queue by their status, and the open ones with a route still waiting.
    The closed tab shows no count."""
    values = filter_values(filters, officer)
    sums = [db.session.execute(query, values).one()._mapping for query in _count_statements(filter_shape(filters))]
    return {tab: sum(found.get(tab) or 0 for found in sums) for tab in TABS if tab != "closed"}


@lru_cache(maxsize=128)
def _count_statements(shape: FilterShape) -> tuple:
    """The two sums for a mix of filters (their values bound when they run)."""
    chosen = filter_conditions(shape)
    status_tabs = _by_status()
    return (
        _sums(status_tabs, chosen, Referral.status.in_(QUEUED_STATUSES)),
        _sums(_by_route(status_tabs["overdue"]), chosen, and_(ROUTE_WAITING, Referral.status.in_(OPEN_STATUSES))),
    )


def _by_status() -> dict:
    """The tabs a queued referral is in by its own columns; its routes are counted by `_by_route`."""
    conditions = tab_conditions(dict.fromkeys(("awaiting", "overdue_ack", "attention"), false()))
    return {tab: conditions[tab] for tab in ("new", "in_triage", "routed", "handed_back", "overdue")}


def _by_route(overdue_by_status) -> dict:
    """The tabs an open referral is in through its waiting routes, leaving out what `_by_status` counted as
    overdue (`overdue_by_status`)."""
    conditions = tab_conditions(referrals_by_route())
    counted = and_(Referral.status.in_(QUEUED_STATUSES), overdue_by_status)
    return {
        "awaiting_acknowledgement": conditions["awaiting_acknowledgement"],
        "attention": conditions["attention"],
        "overdue": and_(conditions["overdue"], not_(counted)),
    }


def _sums(tabs: dict, chosen: list, found_by):
    """A count of the referrals `found_by` an index in each of `tabs`."""
    columns = [func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(tab) for tab, condition in tabs.items()]
    query = select(*columns).select_from(Referral).where(found_by)
    if chosen:
        # The referrals are found by index; the filters only sort out which of those few count.
        query = query.where(not_by_index(and_(*chosen)))
    return query
