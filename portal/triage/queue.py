"""The queue: tabs, filters, search and keyset pagination, all in SQL (no per-row queries)."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, case, exists, false, func, not_, or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    HateIncidentReport,
    HateIncidentStrand,
    HateStrand,
    Priority,
    Referral,
    ReferralKind,
    ReferralStatus,
    Route,
    RouteStatus,
    StaffUser,
    VolunteerApplication,
)
from portal.models._types import utcnow
from portal.models.referral import looks_like_reference

PAGE_SIZE = 50
OPEN_STATUSES = tuple(status for status in ReferralStatus if status != ReferralStatus.CLOSED)
TABS = ("new", "in_triage", "routed", "awaiting_acknowledgement", "attention", "handed_back", "overdue", "closed")


@dataclass(frozen=True)
class QueueFilters:
    """What the officer asked to see. Built from the query string; anything malformed is dropped."""

    tab: str = "new"
    kind: str = ""
    strand: str = ""
    area_id: int | None = None
    priority: str = ""
    assigned: str = ""  # "me", "unassigned" or ""
    received_from: date | None = None
    received_to: date | None = None
    search: str = ""
    sort: str = "newest"
    scheme_id: int | None = None
    language: str = ""  # the language the resident used the form in

    @classmethod
    def from_args(cls, args) -> "QueueFilters":
        def one_of(name, allowed, default=""):
            value = args.get(name, default)
            return value if value in allowed else default

        return cls(
            tab=one_of("tab", TABS, "new"),
            kind=one_of("kind", {k.value for k in ReferralKind}),
            strand=one_of("strand", {strand.value for strand in HateStrand}),
            area_id=_int(args.get("area")),
            priority=one_of("priority", {p.value for p in Priority}),
            assigned=one_of("assigned", {"me", "unassigned"}),
            received_from=_date(args.get("from")),
            received_to=_date(args.get("to")),
            search=(args.get("q") or "").replace("\x00", "").strip()[:100],  # PostgreSQL cannot take a NUL
            sort=one_of("sort", {"newest", "oldest"}, "newest"),
            scheme_id=_int(args.get("scheme")),
            language=one_of("language", set(current_app.config["LANGUAGES"])),
        )

    def as_args(self, **changes) -> dict:
        """The query string for these filters (with changes), for links that keep them."""
        filters = replace(self, **changes)
        args = {
            "tab": filters.tab,
            "kind": filters.kind,
            "strand": filters.strand,
            "area": filters.area_id or "",
            "priority": filters.priority,
            "assigned": filters.assigned,
            "q": filters.search,
            "from": filters.received_from.isoformat() if filters.received_from else "",
            "to": filters.received_to.isoformat() if filters.received_to else "",
            "sort": filters.sort,
            "scheme": filters.scheme_id or "",
            "language": filters.language,
        }
        return {key: value for key, value in args.items() if value not in ("", None)}


def _int(text) -> int | None:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 10 else None


def _date(text) -> date | None:
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day is None or day.year < 9999 else None  # leave room for "the day after"


def _local_midnight(day: date) -> datetime:
    zone = ZoneInfo(current_app.config.get("SLA_TIMEZONE", "Europe/London"))
    return datetime.combine(day, time.min, tzinfo=zone)


WAITING = (RouteStatus.SENT, RouteStatus.FAILED, RouteStatus.HELD)  # a route still to be acknowledged or fixed


def tab_condition(tab: str, now: datetime):
    """What puts a referral in a tab, at `now`."""
    return tab_conditions(now, _route_exists(now))[tab]


def _route_exists(now: datetime) -> dict:
    """The tests on a referral's routes, each an EXISTS on the route table (for listing one tab)."""
    return {name: exists().where(Route.referral_id == Referral.id, test) for name, test in _route_tests(now).items()}


def _route_tests(now: datetime) -> dict:
    return {
        "awaiting": Route.status == RouteStatus.SENT,
        "overdue_ack": and_(Route.status == RouteStatus.SENT, Route.ack_due_at < now),
        # A route that needs an officer: undeliverable, held for an unconfirmed partner, or still not
        # acknowledged after its reminder.
        "attention": or_(
            Route.status.in_((RouteStatus.FAILED, RouteStatus.HELD)),
            and_(Route.status == RouteStatus.SENT, Route.escalated_at.is_not(None)),
        ),
    }


def tab_conditions(now: datetime, routes: dict) -> dict:
    """What puts a referral in each tab, at `now`, given the tests on its routes (`_route_exists`, or the
    columns of `_route_flags` joined in)."""
    is_open = Referral.status.in_(OPEN_STATUSES)
    return {
        "new": Referral.status == ReferralStatus.NEW,
        "in_triage": Referral.status == ReferralStatus.IN_TRIAGE,
        "routed": Referral.status == ReferralStatus.ROUTED,
        "awaiting_acknowledgement": and_(is_open, routes["awaiting"]),
        "attention": and_(is_open, routes["attention"]),
        "handed_back": Referral.status == ReferralStatus.HANDED_BACK,
        "overdue": and_(
            is_open,
            or_(and_(Referral.triaged_at.is_(None), Referral.triage_due_at < now), routes["overdue_ack"]),
        ),
        "closed": Referral.status == ReferralStatus.CLOSED,
    }


def _route_flags(tests: dict):
    """One row per referral with a route still waiting (found by the route status index: a few thousand in a
    region's million routes), saying which of the route tests any of its routes meets. Joined in once, this
    replaces three lookups into the route table for every referral counted."""
    return (
        select(
            Route.referral_id.label("referral_id"),
            *(func.max(case((test, 1), else_=0)).label(name) for name, test in tests.items()),
        )
        .where(Route.status.in_(WAITING))
        .group_by(Route.referral_id)
        .subquery("route_flags")
    )


def filter_conditions(filters: QueueFilters, officer: StaffUser) -> list:
    """Everything but the tab: the same conditions count every tab and list the chosen one."""
    conditions = [*_answer_conditions(filters), *_handling_conditions(filters, officer)]
    if filters.search:
        conditions.append(_search(filters.search))
    return conditions


def _answer_conditions(filters: QueueFilters) -> list:
    """Filters on what the resident told us."""
    conditions = []
    if filters.kind:
        conditions.append(not_by_index(Referral.kind == filters.kind))
    if filters.strand:
        conditions.append(
            exists().where(HateIncidentStrand.report_id == Referral.id, HateIncidentStrand.strand == filters.strand)
        )
    if filters.area_id:
        # The area of the referral's own report or application, looked up by its key: PostgreSQL would otherwise
        # read every report ever made in the area (tens of thousands in a region) to check a page of fifty.
        conditions.append(
            func.coalesce(
                select(HateIncidentReport.area_id)
                .where(HateIncidentReport.referral_id == Referral.id)
                .scalar_subquery(),
                select(VolunteerApplication.area_id)
                .where(VolunteerApplication.referral_id == Referral.id)
                .scalar_subquery(),
            )
            == filters.area_id
        )
    if filters.scheme_id:
        conditions.append(
            exists().where(
                VolunteerApplication.referral_id == Referral.id, VolunteerApplication.scheme_id == filters.scheme_id
            )
        )
    return conditions


def _handling_conditions(filters: QueueFilters, officer: StaffUser) -> list:
    """Filters on how the partnership is handling it: priority, who has it, when it came in, and the language
    (to gather what needs an interpreter)."""
    conditions = []
    if filters.priority:
        conditions.append(not_by_index(Referral.priority == filters.priority))
    if filters.language:
        conditions.append(Referral.language == filters.language)
    if filters.assigned == "me":
        conditions.append(Referral.assigned_to_id == officer.id)
    elif filters.assigned == "unassigned":
        conditions.append(Referral.assigned_to_id.is_(None))
    if filters.received_from:
        conditions.append(Referral.created_at >= _local_midnight(filters.received_from))
    if filters.received_to:
        conditions.append(Referral.created_at < _local_midnight(filters.received_to + timedelta(days=1)))
    return conditions


def not_by_index(condition):
    """`condition` in a form no database answers from an index, so that it cannot be where a query starts: for a
    filter that matches too much to be worth it (a kind is a third of all referrals, a priority as much). SQLite
    keeps no statistics and takes any index it can: for the routed volunteer applications, oldest first, it would
    read every application ever made, in order, rather than the thousand routed referrals."""
    return case((condition, 1), else_=0) == 1


def _search(text: str):
    if looks_like_reference(text.upper()):
        return Referral.reference == text.upper()
    pattern = f"%{text.lower()}%"
    by_name = exists().where(
        HateIncidentReport.referral_id == Referral.id,
        or_(
            func.lower(HateIncidentReport.contact_name).like(pattern),
            func.lower(HateIncidentReport.victim_name).like(pattern),
            func.lower(HateIncidentReport.organisation_name).like(pattern),
        ),
    )
    by_applicant = exists().where(
        VolunteerApplication.referral_id == Referral.id, func.lower(VolunteerApplication.full_name).like(pattern)
    )
    return or_(Referral.reference == text.upper(), by_name, by_applicant)


def tab_counts(filters: QueueFilters, officer: StaffUser) -> dict[str, int]:
    """How many referrals each tab but "closed" holds under the other filters. Two sums over disjoint sets of
    rows, each found by index, so the cost follows the size of the queue, not the years of referrals behind it:
    the referrals in the queue by their status, and the ones with a route still waiting by the route's status.
    The closed tab shows no count."""
    now = utcnow()
    chosen = filter_conditions(filters, officer)
    tests = _route_tests(now)
    status_tabs = _by_status(now, tests)
    by_status = _sums(status_tabs, chosen, Referral.status.in_(QUEUED_STATUSES))
    flags = _route_flags(tests)
    by_route = _sums(_by_route(now, flags, status_tabs["overdue"]), chosen, Referral.status.in_(OPEN_STATUSES), flags)
    return {tab: by_status.get(tab, 0) + by_route.get(tab, 0) for tab in TABS if tab != "closed"}


# A partner's acknowledgement leaves a referral open until an officer closes it, and those pile up over years, so an
# acknowledged referral is counted only through a route that still waits or fails. (It is never untriaged: routing
# triages. A closed referral whose route still waits is counted in no tab.)
QUEUED_STATUSES = tuple(status for status in OPEN_STATUSES if status != ReferralStatus.ACKNOWLEDGED)


def _by_status(now: datetime, tests: dict) -> dict:
    """The tabs a queued referral is in by its own columns; its routes are counted by `_by_route`."""
    no_route = {name: false() for name in tests}
    conditions = tab_conditions(now, no_route)
    return {tab: conditions[tab] for tab in ("new", "in_triage", "routed", "handed_back", "overdue")}


def _by_route(now: datetime, flags, overdue_by_status) -> dict:
    """The tabs an open referral is in through its waiting routes, leaving out what `_by_status` counted as
    overdue (`overdue_by_status`)."""
    names = [column.name for column in flags.c if column.name != "referral_id"]
    conditions = tab_conditions(now, {name: flags.c[name] == 1 for name in names})
    counted = and_(Referral.status.in_(QUEUED_STATUSES), overdue_by_status)
    return {
        "awaiting_acknowledgement": conditions["awaiting_acknowledgement"],
        "attention": conditions["attention"],
        "overdue": and_(conditions["overdue"], not_(counted)),
    }


def _sums(tabs: dict, chosen: list, found_by, flags=None) -> dict[str, int]:
    """Count the referrals `found_by` an index (or through `flags`, joined to them) in each of `tabs`."""
    columns = [func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(tab) for tab, condition in tabs.items()]
    query = select(*columns)
    if flags is None:
        query = query.select_from(Referral)
    else:
        query = query.select_from(flags).join(Referral, Referral.id == flags.c.referral_id)
    query = query.where(found_by)
    if chosen:
        # The referrals are found by index; the filters only sort out which of those few count.
        query = query.where(not_by_index(and_(*chosen)))
    return dict(db.session.execute(query).one()._mapping)


@dataclass(frozen=True)
class QueuePage:
    referrals: list
    next_cursor: str | None


def list_queue(
    filters: QueueFilters, officer: StaffUser, cursor: str | None = None, limit: int = PAGE_SIZE
) -> QueuePage:
    """One page of the chosen tab, newest (or oldest) first, continuing after `cursor` (keyset)."""
    descending = filters.sort == "newest"
    order = (Referral.created_at.desc(), Referral.id.desc()) if descending else (Referral.created_at, Referral.id)
    query = (
        select(Referral)
        .where(tab_condition(filters.tab, utcnow()), *filter_conditions(filters, officer))
        .options(
            selectinload(Referral.hate_incident).selectinload(HateIncidentReport.strand_rows),
            selectinload(Referral.hate_incident).selectinload(HateIncidentReport.area),
            selectinload(Referral.assigned_to),
            selectinload(Referral.volunteer_application).selectinload(VolunteerApplication.scheme),
        )
        .order_by(*order)
        .limit(limit + 1)
    )
    after = _parse_cursor(cursor)
    if after:
        created, ident = after
        if descending:
            query = query.where(
                or_(Referral.created_at < created, and_(Referral.created_at == created, Referral.id < ident))
            )
        else:
            query = query.where(
                or_(Referral.created_at > created, and_(Referral.created_at == created, Referral.id > ident))
            )
    rows = list(db.session.execute(query).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = f"{rows[-1].created_at.isoformat()}~{rows[-1].id}" if more and rows else None
    return QueuePage(rows, next_cursor)


def _parse_cursor(cursor: str | None):
    if not cursor or "~" not in cursor or len(cursor) > 80:
        return None
    created, _, ident = cursor.partition("~")
    try:
        moment, number = datetime.fromisoformat(created), int(ident)
    except ValueError:
        return None
    if moment.tzinfo is None or not 0 < number < 2**31:
        return None
    return moment, number
