"""The figures the insights dashboard shows, each counted by the database in one small query.

Reports and sign-ups are counted from the statistics rows (ReferralStatistic), which outlive the personal data,
so a purged referral still counts. A referral linked as a duplicate of another is one incident, or one person,
counted already: it is left out of every report and sign-up figure. Times (to triage, to acknowledge) and routes
are about the work done, so duplicates are in those. Every query runs the same on SQLite and PostgreSQL.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, case, func, or_, select

from portal.extensions import db
from portal.insights.periods import Period
from portal.models import (
    Partner,
    Referral,
    ReferralKind,
    ReferralStatistic,
    ReferralStatisticStrand,
    ReferralStatus,
    Route,
    RouteStatus,
)


@dataclass(frozen=True)
class Percentiles:
    """How long something took: how many, the median and the 90th percentile, in working hours."""

    count: int
    median_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True)
class RoutesIn:
    """Who made the hate-incident reports received in a period, and how."""

    total: int
    victim: int
    witness: int
    on_behalf: int
    organisation: int  # a third-party reporting centre
    not_given: int
    anonymous: int
    consent_police: int


@dataclass(frozen=True)
class PartnerRoutes:
    """What became of the routes first sent to one partner in a period."""

    partner_id: int
    name: str
    sent: int
    acknowledged: int
    handed_back: int
    awaiting: int
    overdue: int

    @property
    def ack_rate(self) -> float | None:
        """Acknowledged, as a percentage of sent."""
        return self.acknowledged / self.sent * 100 if self.sent else None


@dataclass(frozen=True)
class Overdue:
    """What is late now: referrals not triaged in time, routes not acknowledged in time."""

    triage: int
    acknowledgement: int


# --- Reports and sign-ups, from the statistics ---


def _counted(period: Period, kind: str) -> Select:
    """Statistics of `kind` received in the period, duplicates left out (the FROM and WHERE, no columns)."""
    return (
        select()
        .select_from(ReferralStatistic)
        .join(Referral, Referral.id == ReferralStatistic.referral_id)
        .where(
            ReferralStatistic.kind == kind,
            ReferralStatistic.received_on.between(period.start, period.end),
            Referral.duplicate_of_id.is_(None),
        )
    )


def _count_by(period: Period, kind: str, *columns, by_strand: bool = False) -> dict:
    """How many counted statistics fall under each value of `columns` (a tuple key for more than one)."""
    query = _counted(period, kind)
    if by_strand:
        query = query.join(
            ReferralStatisticStrand, ReferralStatisticStrand.referral_id == ReferralStatistic.referral_id
        )
    query = query.add_columns(*columns, func.count()).group_by(*columns)
    rows = db.session.execute(query).all()
    if len(columns) == 1:
        return {row[0]: row[1] for row in rows}
    return {tuple(row[:-1]): row[-1] for row in rows}


def _by_month(period: Period, kind: str) -> dict[str, int]:
    counts = _count_by(period, kind, ReferralStatistic.received_month)
    return {month: counts.get(month, 0) for month in period.months()}


def reports_by_month(period: Period) -> dict[str, int]:
    """Hate-incident reports received each month of the period ("2026-11" → count), every month present.
    Duplicates are not counted."""
    return _by_month(period, ReferralKind.HATE_INCIDENT)


def reports_by_strand(period: Period) -> dict[str, int]:
    """Reports naming each strand of hostility; a report naming two strands counts under both. Only strands
    named at least once are present. Duplicates are not counted."""
    return _count_by(period, ReferralKind.HATE_INCIDENT, ReferralStatisticStrand.strand, by_strand=True)


def reports_by_month_and_strand(period: Period) -> dict[tuple[str, str], int]:
    """Reports naming each strand, each month: (month, strand) → count, only pairs with a report.
    Duplicates are not counted."""
    return _count_by(
        period,
        ReferralKind.HATE_INCIDENT,
        ReferralStatistic.received_month,
        ReferralStatisticStrand.strand,
        by_strand=True,
    )


def reports_by_area(period: Period) -> dict[int | None, int]:
    """Reports by the area they happened in (area id, None when not given), only areas with a report.
    Duplicates are not counted."""
    return _count_by(period, ReferralKind.HATE_INCIDENT, ReferralStatistic.area_id)


def reports_by_month_and_area(period: Period) -> dict[tuple[str, int | None], int]:
    """Reports by month and area: (month, area id or None) → count, only pairs with a report.
    Duplicates are not counted."""
    return _count_by(period, ReferralKind.HATE_INCIDENT, ReferralStatistic.received_month, ReferralStatistic.area_id)


def _how_many(condition):
    """A count of the rows meeting `condition`, as a column of an aggregate query (0 when there are none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def routes_in(period: Period) -> RoutesIn:
    """How the hate-incident reports received in the period came in: who reported (victim, witness, on
    someone's behalf, a third-party reporting centre, not given), anonymously, with consent to tell the police.
    Duplicates are not counted."""
    role = ReferralStatistic.reporter_role
    query = _counted(period, ReferralKind.HATE_INCIDENT).add_columns(
        func.count(),
        _how_many(role == "victim"),
        _how_many(role == "witness"),
        _how_many(role == "on_behalf"),
        _how_many(role == "organisation"),
        _how_many(role.is_(None)),
        _how_many(ReferralStatistic.anonymous.is_(True)),
        _how_many(ReferralStatistic.consent_police.is_(True)),
    )
    return RoutesIn(*(int(value) for value in db.session.execute(query).one()))


def classification_mix(period: Period) -> dict[str | None, int]:
    """Reports received in the period by how triage classified them (crime, non_crime, not_hate; None when not
    classified yet), only classifications with a report. Duplicates are not counted."""
    return _count_by(period, ReferralKind.HATE_INCIDENT, Referral.classification)


def sign_ups_by_month(period: Period) -> dict[str, int]:
    """Volunteer sign-ups received each month of the period, every month present. Duplicates are not counted."""
    return _by_month(period, ReferralKind.VOLUNTEER)


def sign_ups_by_scheme(period: Period) -> dict[int | None, int]:
    """Sign-ups by scheme id (None if the scheme was deleted), only schemes with a sign-up.
    Duplicates are not counted."""
    return _count_by(period, ReferralKind.VOLUNTEER, ReferralStatistic.scheme_id)


def sign_up_outcomes(period: Period) -> dict[tuple[int | None, str | None], int]:
    """Sign-ups by scheme and outcome: (scheme id, outcome or None when not decided yet) → count.
    Duplicates are not counted."""
    return _count_by(period, ReferralKind.VOLUNTEER, ReferralStatistic.scheme_id, ReferralStatistic.volunteer_outcome)


def sign_ups_by_area(period: Period) -> dict[int | None, int]:
    """Sign-ups by the area the volunteer lives in (None when not given). Duplicates are not counted."""
    return _count_by(period, ReferralKind.VOLUNTEER, ReferralStatistic.area_id)


# --- How long things took ---


def _percentiles(minutes, rows: Select) -> Percentiles:
    """The median and 90th percentile of `minutes` over `rows` (a select with its FROM and WHERE), in hours, by the
    nearest-rank method: the value at 1-based rank ceil(percent / 100 × count), in whole numbers.

    One statement and a single sort, where a count and then a sort for each percentile (ORDER BY … OFFSET) read the
    rows three times: with a region's half million routes a year, that was seconds of the dashboard's first view
    after its cache expired. PostgreSQL has the nearest rank built in (percentile_disc: the first value at or past
    the fraction); elsewhere each value is numbered in order, with how many there are, and the two at the ranks
    wanted are kept."""
    rows = rows.where(minutes.is_not(None))
    if db.engine.dialect.name == "postgresql":
        percentiles = (func.percentile_disc(percent / 100).within_group(minutes) for percent in (50, 90))
        count, median, p90 = db.session.execute(rows.add_columns(func.count(), *percentiles)).one()
    else:
        count, median, p90 = _ranked(minutes, rows)
    if not count:
        return Percentiles(0, None, None)
    return Percentiles(count, round(median / 60, 1), round(p90 / 60, 1))


def _ranked(minutes, rows: Select) -> tuple[int, int | None, int | None]:
    """How many `rows` there are, and the `minutes` at the median's and the 90th percentile's nearest ranks."""
    ranked = rows.add_columns(
        minutes.label("minutes"),
        func.row_number().over(order_by=minutes).label("rank"),
        func.count().over().label("count"),
    ).subquery()
    median, p90 = ((percent * ranked.c.count + 99) // 100 for percent in (50, 90))  # ceil, in whole numbers
    wanted = select(ranked.c.count, ranked.c.minutes).where(or_(ranked.c.rank == median, ranked.c.rank == p90))
    found = db.session.execute(wanted.order_by(ranked.c.rank)).all()  # one row when both ranks are the same
    return (found[0].count, found[0].minutes, found[-1].minutes) if found else (0, None, None)


def triage_times(period: Period, kind: str | None = None) -> Percentiles:
    """Working hours from arrival to first triage, of the referrals received in the period that have been
    triaged (of one kind, or all). Duplicates count: they were triaged too."""
    rows = (
        select().select_from(ReferralStatistic).where(ReferralStatistic.received_on.between(period.start, period.end))
    )
    if kind is not None:
        rows = rows.where(ReferralStatistic.kind == kind)
    return _percentiles(ReferralStatistic.triage_working_minutes, rows)


def _sent_in(period: Period) -> Select:
    """Routes first sent in the period (the FROM and WHERE, no columns)."""
    start, end = period.utc_bounds()
    return select().select_from(Route).where(Route.sent_at >= start, Route.sent_at < end)


def acknowledgement_times(period: Period) -> Percentiles:
    """Working hours from sending to acknowledgement, of the routes first sent in the period that have been
    acknowledged."""
    return _percentiles(Route.ack_working_minutes, _sent_in(period))


# --- Partners and what is late ---


def routes_by_partner(period: Period, now: datetime) -> list[PartnerRoutes]:
    """For each partner sent at least one route in the period (by name): how many were sent, and of those how
    many were acknowledged, handed back, are still awaiting acknowledgement, and are overdue at `now` (awaiting
    only while the referral is open, as the queue and the reminders see it: closing a referral ends the wait)."""
    awaiting = (Route.status == RouteStatus.SENT) & _referral_open()
    query = (
        _sent_in(period)
        .join(Partner, Partner.id == Route.partner_id)
        .join(Referral, Referral.id == Route.referral_id)
        .add_columns(
            Partner.id,
            Partner.name,
            func.count(),
            _how_many(or_(Route.status == RouteStatus.ACKNOWLEDGED, Route.acknowledged_at.is_not(None))),
            _how_many(or_(Route.status == RouteStatus.HANDED_BACK, Route.handed_back_at.is_not(None))),
            _how_many(awaiting),
            _how_many(awaiting & (Route.ack_due_at < now)),
        )
        .group_by(Partner.id, Partner.name)
        .order_by(Partner.name, Partner.id)
    )
    return [PartnerRoutes(row[0], row[1], *(int(value) for value in row[2:])) for row in db.session.execute(query)]


def _referral_open():
    return (Referral.status != ReferralStatus.CLOSED) & Referral.purged_at.is_(None)


def overdue(now: datetime) -> Overdue:
    """What is late at `now`, whenever it arrived: open referrals (not closed or purged) still not triaged by
    their deadline, and routes sent but not acknowledged by theirs."""
    triage = select(func.count()).where(
        _referral_open(),
        Referral.triaged_at.is_(None),
        Referral.triage_due_at < now,
    )
    acknowledgement = (
        select(func.count())
        .select_from(Route)
        .join(Referral, Referral.id == Route.referral_id)
        .where(Route.status == RouteStatus.SENT, Route.ack_due_at < now, _referral_open())
    )
    return Overdue(db.session.execute(triage).scalar_one(), db.session.execute(acknowledgement).scalar_one())


def names(model, ids) -> dict[int, str]:
    """The names of the areas, schemes or partners (`model`) with these ids, in one query; None ids are
    skipped, and an id that no longer exists is absent."""
    wanted = {id_ for id_ in ids if id_ is not None}
    if not wanted:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(wanted))).all())


def first_report_on() -> date | None:
    """The day the first hate incident report still counted arrived (None before any)."""
    return db.session.execute(
        select(func.min(ReferralStatistic.received_on)).where(ReferralStatistic.kind == ReferralKind.HATE_INCIDENT)
    ).scalar_one()
