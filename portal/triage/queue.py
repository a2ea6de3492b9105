"""The queue: tabs, filters, search and keyset pagination, all in SQL (no per-row queries).

The SQL for each mix of filters and tab is built once and kept, with the filters' values as bound parameters: on
a page of fifty rows, building a query with SQLAlchemy costs more than running it."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, bindparam, case, exists, func, null, or_, select, true, union_all

from portal.extensions import db
from portal.models import (
    Area,
    HateIncidentReport,
    HateIncidentStrand,
    HateStrand,
    Priority,
    Referral,
    ReferralKind,
    ReferralStatus,
    StaffUser,
    VolunteerApplication,
    VolunteerScheme,
)
from portal.models._types import UTCDateTime, utcnow
from portal.models.referral import looks_like_reference

PAGE_SIZE = 50
OPEN_STATUSES = tuple(status for status in ReferralStatus if status != ReferralStatus.CLOSED)
# A partner's acknowledgement leaves a referral open until an officer closes it, and those pile up over years, so an
# acknowledged referral is counted only through a route that still waits or fails. (It is never untriaged: routing
# triages. A closed referral whose route still waits is counted in no tab.)
QUEUED_STATUSES = tuple(status for status in OPEN_STATUSES if status != ReferralStatus.ACKNOWLEDGED)
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


class FilterShape(NamedTuple):
    """Which filters are set, not their values: what the SQL depends on."""

    kind: bool
    strand: bool
    area: bool
    scheme: bool
    priority: bool
    language: bool
    assigned: str
    received_from: bool
    received_to: bool
    search: str  # "", "reference" (the text looks like one) or "text"


def filter_shape(filters: QueueFilters) -> FilterShape:
    search = filters.search
    return FilterShape(
        kind=bool(filters.kind),
        strand=bool(filters.strand),
        area=bool(filters.area_id),
        scheme=bool(filters.scheme_id),
        priority=bool(filters.priority),
        language=bool(filters.language),
        assigned=filters.assigned,
        received_from=filters.received_from is not None,
        received_to=filters.received_to is not None,
        search="" if not search else "reference" if looks_like_reference(search.upper()) else "text",
    )


def filter_values(filters: QueueFilters, officer: StaffUser) -> dict:
    """The values of the bound parameters of `filter_conditions`, and the time the tabs are worked out at."""
    return {
        "now": utcnow(),
        "kind": filters.kind,
        "strand": filters.strand,
        "area_id": filters.area_id,
        "scheme_id": filters.scheme_id,
        "priority": filters.priority,
        "language": filters.language,
        "officer_id": officer.id,
        "received_from": _local_midnight(filters.received_from) if filters.received_from else None,
        "received_to": _local_midnight(filters.received_to + timedelta(days=1)) if filters.received_to else None,
        "reference": filters.search.upper(),
        "pattern": f"%{filters.search.lower()}%",
    }


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


NOW = bindparam("now", type_=UTCDateTime)  # the moment the tabs are worked out at ("overdue" changes with it)
# A referral with a route still to be acknowledged or put right: the few thousand of a region's million that the
# index ix_referral_route_waiting starts with.
ROUTE_WAITING = Referral.route_waiting == true()


def referrals_by_route() -> dict:
    """The tests on a referral's routes, from what they say kept on its own row (portal.models.route_state): a
    route awaiting its acknowledgement, one overdue for it, one that needs an officer. Each starts with
    `ROUTE_WAITING`, so that a tab's referrals are found by index whatever else is asked of them. (An EXISTS on
    the routes for each referral would read the referrals newest first until fifty had a route waiting.)"""
    return {
        "awaiting": and_(ROUTE_WAITING, Referral.route_awaiting == true()),
        "overdue_ack": and_(ROUTE_WAITING, Referral.route_ack_due_at < NOW),
        "attention": and_(ROUTE_WAITING, Referral.route_attention == true()),
    }


def tab_conditions(routes: dict) -> dict:
    """What puts a referral in each tab, at the moment bound as `now`, given the tests on its routes
    (`referrals_by_route`, or none, for the tabs a referral is in by its own status)."""
    is_open = Referral.status.in_(OPEN_STATUSES)
    return {
        "new": Referral.status == ReferralStatus.NEW,
        "in_triage": Referral.status == ReferralStatus.IN_TRIAGE,
        "routed": Referral.status == ReferralStatus.ROUTED,
        # Found through their routes: the status of a referral only sorts out which of those are still open.
        "awaiting_acknowledgement": and_(not_by_index(is_open), routes["awaiting"]),
        "attention": and_(not_by_index(is_open), routes["attention"]),
        "handed_back": Referral.status == ReferralStatus.HANDED_BACK,
        # Each half on its own, so that each is found by its own index (the queue's, the waiting routes'), not by
        # reading every open referral: at a million, the acknowledged ones alone are tens of thousands.
        "overdue": or_(
            and_(Referral.status.in_(QUEUED_STATUSES), Referral.triaged_at.is_(None), Referral.triage_due_at < NOW),
            and_(routes["overdue_ack"], is_open),
        ),
        "closed": Referral.status == ReferralStatus.CLOSED,
    }


def filter_conditions(shape: FilterShape) -> list:
    """Everything but the tab, with the values bound as in `filter_values`: the same conditions count every tab
    and list the chosen one."""
    conditions = [*_answer_conditions(shape), *_handling_conditions(shape)]
    if shape.search:
        conditions.append(_search(shape.search))
    return conditions


def queue_conditions(filters: QueueFilters) -> list:
    """The chosen tab and the filters, their values bound as in `filter_values` (for a query built once, as the
    export's is)."""
    return [tab_conditions(referrals_by_route())[filters.tab], *filter_conditions(filter_shape(filters))]


def _answer_conditions(shape: FilterShape) -> list:
    """Filters on what the resident told us."""
    conditions = []
    if shape.kind:
        conditions.append(not_by_index(Referral.kind == bindparam("kind")))
    if shape.strand:
        conditions.append(
            exists().where(
                HateIncidentStrand.report_id == Referral.id, HateIncidentStrand.strand == bindparam("strand")
            )
        )
    if shape.area:
        # The referral's own copy, in the queue index: not a look-up of every queued referral's answers.
        conditions.append(Referral.area_id == bindparam("area_id"))
    if shape.scheme:
        conditions.append(
            exists().where(
                VolunteerApplication.referral_id == Referral.id,
                VolunteerApplication.scheme_id == bindparam("scheme_id"),
            )
        )
    return conditions


def _handling_conditions(shape: FilterShape) -> list:
    """Filters on how the partnership is handling it: priority, who has it, when it came in, and the language
    (to gather what needs an interpreter)."""
    conditions = []
    if shape.priority:
        conditions.append(not_by_index(Referral.priority == bindparam("priority")))
    if shape.language:
        conditions.append(Referral.language == bindparam("language"))
    if shape.assigned == "me":
        conditions.append(Referral.assigned_to_id == bindparam("officer_id"))
    elif shape.assigned == "unassigned":
        conditions.append(Referral.assigned_to_id.is_(None))
    if shape.received_from:
        conditions.append(Referral.created_at >= bindparam("received_from"))
    if shape.received_to:
        conditions.append(Referral.created_at < bindparam("received_to"))
    return conditions


def not_by_index(condition):
    """`condition` in a form no database answers from an index, so that it cannot be where a query starts: for a
    filter that matches too much to be worth it (a kind is a third of all referrals, a priority as much). SQLite
    keeps no statistics and takes any index it can: for the routed volunteer applications, oldest first, it would
    read every application ever made, in order, rather than the thousand routed referrals."""
    return case((condition, 1), else_=0) == 1


def _search(kind: str):
    """A reference, or part of a name (`pattern`) as well as a reference."""
    by_reference = Referral.reference == bindparam("reference")
    if kind == "reference":
        return by_reference
    pattern = bindparam("pattern")
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
    return or_(by_reference, by_name, by_applicant)


@dataclass(frozen=True, slots=True)
class QueueRow:
    """What a row of the queue shows of a referral: its own columns, who has it, and what it is about (the
    strands and area of a report, or the scheme applied to)."""

    id: int
    reference: str
    kind: str
    created_at: datetime
    priority: str
    status: str
    triage_due_at: datetime | None
    triaged_at: datetime | None
    assignee: str | None = None
    strands: tuple[str, ...] = ()
    area: str | None = None
    scheme: str | None = None


@dataclass(frozen=True)
class QueuePage:
    referrals: list[QueueRow]
    next_cursor: str | None


ROW_COLUMNS = (
    Referral.id,
    Referral.reference,
    Referral.kind,
    Referral.created_at,
    Referral.priority,
    Referral.status,
    Referral.triage_due_at,
    Referral.triaged_at,
)


def list_queue(
    filters: QueueFilters, officer: StaffUser, cursor: str | None = None, limit: int = PAGE_SIZE
) -> QueuePage:
    """One page of the chosen tab, newest (or oldest) first, continuing after `cursor` (keyset). Rows, not
    models: the page only shows them, and three queries of plain rows cost a fraction of loading fifty referrals
    with their reports, applications, schemes, areas, strands and officers."""
    after = _parse_cursor(cursor)
    query = _list_statement(filters.tab, filter_shape(filters), filters.sort == "newest", after is not None, limit)
    values = filter_values(filters, officer)
    if after:
        values["after_created"], values["after_id"] = after
    rows = db.session.execute(query, values).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = f"{rows[-1].created_at.isoformat()}~{rows[-1].id}" if more and rows else None
    return QueuePage(_queue_rows(rows), next_cursor)


@lru_cache(maxsize=256)
def _list_statement(tab: str, shape: FilterShape, descending: bool, after: bool, limit: int):
    order = (Referral.created_at.desc(), Referral.id.desc()) if descending else (Referral.created_at, Referral.id)
    query = (
        select(*ROW_COLUMNS)
        .where(tab_conditions(referrals_by_route())[tab], *filter_conditions(shape))
        .order_by(*order)
        .limit(limit + 1)
    )
    if after:
        created, ident = bindparam("after_created", type_=UTCDateTime), bindparam("after_id")
        if descending:
            query = query.where(
                or_(Referral.created_at < created, and_(Referral.created_at == created, Referral.id < ident))
            )
        else:
            query = query.where(
                or_(Referral.created_at > created, and_(Referral.created_at == created, Referral.id > ident))
            )
    return query


def _queue_rows(rows) -> list[QueueRow]:
    """The page's rows with the names they show, looked up for all of them at once by key, in one query: who has
    each, its area and scheme, then a report's strands, a row each."""
    if not rows:
        return []
    names, strands = {}, {}
    for referral_id, assignee, area, scheme, strand in db.session.execute(
        _names_statement(), {"ids": [row.id for row in rows]}
    ):
        if strand is None:
            names[referral_id] = (assignee, area, scheme)
        else:
            strands.setdefault(referral_id, []).append(strand)
    return [
        QueueRow(
            *row,
            assignee=names[row.id][0],
            strands=tuple(strands.get(row.id, ())),
            area=names[row.id][1],
            scheme=names[row.id][2],
        )
        for row in rows
    ]


@cache
def _names_statement():
    """What `_queue_rows` reads, for the referrals bound as `ids`: a row of names for each referral, with no strand,
    and a row for each strand of a report (ordered, as the row shows them), with no names. The area is the
    referral's own copy, so only a volunteer's application is joined, for its scheme."""
    ids = bindparam("ids", expanding=True)
    nothing = null()
    named = (
        select(
            Referral.id.label("referral_id"),
            StaffUser.name.label("assignee"),
            Area.name.label("area"),
            VolunteerScheme.name.label("scheme"),
            nothing.label("strand"),
        )
        .outerjoin(StaffUser, StaffUser.id == Referral.assigned_to_id)
        .outerjoin(Area, Area.id == Referral.area_id)
        .outerjoin(VolunteerApplication, VolunteerApplication.referral_id == Referral.id)
        .outerjoin(VolunteerScheme, VolunteerScheme.id == VolunteerApplication.scheme_id)
        .where(Referral.id.in_(ids))
    )
    stranded = select(HateIncidentStrand.report_id, nothing, nothing, nothing, HateIncidentStrand.strand).where(
        HateIncidentStrand.report_id.in_(ids)
    )
    both = union_all(named, stranded).subquery()
    return select(both).order_by(both.c.referral_id, both.c.strand)


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
