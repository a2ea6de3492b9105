"""How many referrals each tab of the queue holds, under the officer's filters."""

from functools import lru_cache

from sqlalchemy import and_, case, false, func, literal, not_, null, select, union_all

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
    """How many referrals each tab but "closed" holds under the other filters. Two counts over disjoint sets of
    rows, each found by index, so the cost follows the size of the queue, not the years of referrals behind it:
    the referrals in the queue by their status, and the open ones with a route still waiting.
    The closed tab shows no count."""
    counts = dict.fromkeys((tab for tab in TABS if tab != "closed"), 0)
    rows = db.session.execute(_count_statement(filter_shape(filters)), filter_values(filters, officer))
    for status, found, overdue, awaiting, attention in rows:
        if status is not None:
            counts[STATUS_TABS[status]] += found
        counts["overdue"] += overdue
        counts["awaiting_acknowledgement"] += awaiting
        counts["attention"] += attention
    return counts


# The tabs a queued referral is in by its status alone, each named after it (the tests compare every count with
# the tab listed).
STATUS_TABS = {status: status.value for status in QUEUED_STATUSES}


@lru_cache(maxsize=128)
def _count_statement(shape: FilterShape):
    """Both counts for a mix of filters (their values bound when they run), in one statement, as rows of (status,
    referrals, overdue, awaiting acknowledgement, needing attention).

    The queued referrals by status come a row per status, grouped as the queue index holds them, with how many of
    each are overdue: a third of the time of a sum per tab over every row. The referrals with a waiting route come
    as one row with no status, of those in each of the tabs found through routes (leaving out the overdue ones
    already counted by status)."""
    chosen = filter_conditions(shape)
    overdue_by_status = _by_status_overdue()
    by_status = _counted(
        select(Referral.status, func.count(), _sum(overdue_by_status), literal(0), literal(0)),
        chosen,
        Referral.status.in_(QUEUED_STATUSES),
    ).group_by(Referral.status)
    by_route = _by_route(overdue_by_status)
    waiting = _counted(
        select(
            null(),
            literal(0),
            _sum(by_route["overdue"]),
            _sum(by_route["awaiting_acknowledgement"]),
            _sum(by_route["attention"]),
        ),
        chosen,
        and_(ROUTE_WAITING, Referral.status.in_(OPEN_STATUSES)),
    )
    return union_all(by_status, waiting)


def _by_status_overdue():
    """What makes a queued referral overdue by its own columns; its routes are counted by `_by_route`."""
    return tab_conditions(dict.fromkeys(("awaiting", "overdue_ack", "attention"), false()))["overdue"]


def _by_route(overdue_by_status) -> dict:
    """The tabs an open referral is in through its waiting routes, leaving out what was counted by status as
    overdue (`overdue_by_status`)."""
    conditions = tab_conditions(referrals_by_route())
    counted = and_(Referral.status.in_(QUEUED_STATUSES), overdue_by_status)
    return {
        "awaiting_acknowledgement": conditions["awaiting_acknowledgement"],
        "attention": conditions["attention"],
        "overdue": and_(conditions["overdue"], not_(counted)),
    }


def _sum(condition):
    """How many of the rows counted meet `condition`."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _counted(query, chosen: list, found_by):
    """`query` over the referrals `found_by` an index, under the filters `chosen`."""
    query = query.select_from(Referral).where(found_by)
    if chosen:
        # The referrals are found by index; the filters only sort out which of those few count.
        query = query.where(not_by_index(and_(*chosen)))
    return query
