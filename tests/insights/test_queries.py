"""Each indicator counted on a known data set, against the numbers worked out by hand below.

The data set is January to June 2026, with a report on the day before and the day after. The statistics, referral
and route rows are written directly, with known days, areas, strands and minutes; one test at the end goes through
the real services to show that the statistics are written when a report arrives and when it is first triaged.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.extensions import db as _db
from portal.insights import queries
from portal.insights.periods import Period, local_zone
from portal.insights.queries import Overdue, PartnerRoutes, Percentiles, RoutesIn
from portal.models import (
    Area,
    Partner,
    Referral,
    ReferralKind,
    ReferralStatistic,
    ReferralStatus,
    Route,
    RouteStatus,
    VolunteerScheme,
)
from portal.reporting.service import new_referral
from portal.triage.service import claim_referral
from tests.conftest import send_report

HALF_YEAR = Period(date(2026, 1, 1), date(2026, 6, 30))
NOW = datetime(2026, 7, 10, 12, 0, tzinfo=UTC)

# Hate-incident reports: key, received on, area, strands, reporter role, anonymous, consent to tell the police,
# classification, working minutes to triage (None: not triaged yet).
REPORTS = [
    ("H1", date(2026, 1, 1), "north", ["race"], "victim", False, True, "crime", 60),  # first day
    ("H2", date(2026, 1, 15), "north", ["religion", "race"], "witness", True, False, "non_crime", 120),
    ("H3", date(2026, 2, 10), "south", ["disability"], "on_behalf", False, True, None, None),
    ("H4", date(2026, 2, 20), None, ["race"], "organisation", False, False, "not_hate", 30),
    ("H5", date(2026, 3, 5), "south", ["sexual_orientation"], None, True, False, "crime", 600),  # purged
    ("H6", date(2026, 3, 5), "north", ["race"], "victim", False, True, "crime", 90),  # duplicate of H1
    ("H7", date(2026, 4, 30), "north", ["religion"], "victim", False, True, "crime", 240),
    ("H8", date(2026, 6, 30), "south", ["transgender"], "victim", True, True, "non_crime", 180),  # last day
    ("H9", date(2025, 12, 31), "north", ["race"], "victim", False, True, "crime", 5),  # the day before
    ("H10", date(2026, 7, 1), "north", ["race"], "victim", False, True, "crime", 5),  # the day after
]

# Volunteer sign-ups: key, received on, scheme, area, outcome, working minutes to triage.
SIGN_UPS = [
    ("V1", date(2026, 1, 20), "watch", "north", "accepted", 30),
    ("V2", date(2026, 1, 25), "watch", "south", "waiting_list", None),
    ("V3", date(2026, 3, 3), "cadets", "north", "accepted", 90),
    ("V4", date(2026, 3, 4), "cadets", None, None, 150),
    ("V5", date(2026, 5, 5), "cadets", "north", "withdrawn", 210),  # purged
    ("V6", date(2026, 5, 6), "watch", "north", "accepted", None),  # duplicate of V1
    ("V7", date(2026, 7, 2), "watch", "north", "accepted", 5),  # after the period
]

DUPLICATES = {"H6": "H1", "V6": "V1"}
PURGED = {"H5", "V5"}

# Referrals with no statistic, there only for what is overdue now (NOW is 10 July): key, status, triage due,
# purged. None of them is counted.
OVERDUE_OR_NOT = [
    ("X1", ReferralStatus.NEW, datetime(2026, 7, 12, tzinfo=UTC), False),  # not due yet
    ("X2", ReferralStatus.CLOSED, datetime(2026, 7, 6, tzinfo=UTC), False),  # closed
    ("X3", ReferralStatus.NEW, datetime(2026, 7, 7, tzinfo=UTC), True),  # purged
]
# Triage due dates set here (the others are worked out from arrival when the referral is saved).
TRIAGE_DUE = {"H3": datetime(2026, 2, 12, tzinfo=UTC), "V2": datetime(2026, 1, 27, tzinfo=UTC)}


def _at(year, month, day, hour=10, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# Routes: referral, partner, status, sent at, acknowledged at, ack due at, working minutes to acknowledge,
# handed back at. The period ends at local midnight on 30 June, which is 23:00 UTC (summer time).
ROUTES = [
    ("H1", "alpha", RouteStatus.ACKNOWLEDGED, _at(2026, 1, 2), _at(2026, 1, 2, 11), None, 60, None),
    ("H2", "alpha", RouteStatus.ACKNOWLEDGED, _at(2026, 1, 16), _at(2026, 1, 16, 12), None, 120, None),
    ("H3", "alpha", RouteStatus.SENT, _at(2026, 2, 11), None, _at(2026, 2, 13), None, None),  # overdue
    ("H4", "alpha", RouteStatus.SENT, _at(2026, 6, 30, 22, 30), None, _at(2026, 7, 14), None, None),  # in time
    ("H6", "alpha", RouteStatus.ACKNOWLEDGED, _at(2026, 3, 6), _at(2026, 3, 6, 14), None, 240, None),
    ("H1", "beta", RouteStatus.HANDED_BACK, _at(2026, 1, 2), _at(2026, 1, 2, 10, 30), None, 30, _at(2026, 1, 3)),
    ("H7", "beta", RouteStatus.HANDED_BACK, _at(2026, 5, 1), None, None, None, _at(2026, 5, 2)),
    ("V1", "beta", RouteStatus.ACKNOWLEDGED, _at(2026, 1, 21), _at(2026, 1, 21, 11, 30), None, 90, None),
    # Sent at 00:30 on 1 July, local time: after the period, though overdue now.
    ("H8", "beta", RouteStatus.SENT, _at(2026, 6, 30, 23, 30), None, _at(2026, 7, 3), None, None),
    ("H9", "gamma", RouteStatus.ACKNOWLEDGED, _at(2025, 12, 31, 12), _at(2025, 12, 31, 13), None, 5, None),
    ("H5", "gamma", RouteStatus.QUEUED, None, None, None, None, None),  # never sent
    # Still "sent", but the referral is closed: sent, yet neither waiting nor overdue.
    ("X2", "alpha", RouteStatus.SENT, _at(2026, 6, 1), None, _at(2026, 6, 3), None, None),
]


def _referral(kind: str, received_on: date | None = None) -> Referral:
    referral = new_referral(kind)
    if received_on is not None:
        referral.created_at = datetime.combine(received_on, datetime.min.time(), UTC) + timedelta(hours=12)
    _db.session.add(referral)
    _db.session.flush()
    return referral


def _statistic(referral: Referral, received_on: date, minutes: int | None, **facts) -> None:
    statistic = ReferralStatistic(
        referral_id=referral.id,
        kind=referral.kind,
        received_on=received_on,
        received_month=received_on.strftime("%Y-%m"),
        triage_working_minutes=minutes,
        **facts,
    )
    _db.session.add(statistic)
    if minutes is not None:
        referral.triaged_at = referral.created_at + timedelta(minutes=minutes)


def _add_reports(areas: dict) -> dict[str, Referral]:
    referrals = {}
    for key, day, area, strands, role, anonymous, consent, classification, minutes in REPORTS:
        referral = referrals[key] = _referral(ReferralKind.HATE_INCIDENT, day)
        referral.classification = classification
        facts = {"reporter_role": role, "anonymous": anonymous, "consent_police": consent}
        _statistic(referral, day, minutes, area_id=areas.get(area), strands=strands, **facts)
    return referrals


def _add_sign_ups(areas: dict, schemes: dict) -> dict[str, Referral]:
    referrals = {}
    for key, day, scheme, area, outcome, minutes in SIGN_UPS:
        referral = referrals[key] = _referral(ReferralKind.VOLUNTEER, day)
        facts = {"scheme_id": schemes[scheme], "area_id": areas.get(area), "volunteer_outcome": outcome}
        _statistic(referral, day, minutes, **facts)
    return referrals


def _add_routes(referrals: dict, partners: dict) -> None:
    for key, partner, status, sent_at, acknowledged_at, ack_due_at, minutes, handed_back_at in ROUTES:
        route = Route(referral_id=referrals[key].id, partner_id=partners[partner], status=status, sent_at=sent_at)
        route.acknowledged_at, route.ack_due_at, route.ack_working_minutes = acknowledged_at, ack_due_at, minutes
        route.handed_back_at = handed_back_at
        _db.session.add(route)


@pytest.fixture
def data_set(db):
    """The data set above; returns the ids of the areas, schemes and partners by their short names."""
    areas = {slug: Area(slug=slug, name=slug.title()) for slug in ("north", "south")}
    schemes = {
        slug: VolunteerScheme(slug=slug, name=f"{slug.title()} scheme", summary="-") for slug in ("watch", "cadets")
    }
    partners = {slug: Partner(slug=slug, name=f"{slug.title()} agency") for slug in ("gamma", "beta", "alpha")}
    db.session.add_all([*areas.values(), *schemes.values(), *partners.values()])
    db.session.flush()
    ids = {name: row.id for group in (areas, schemes, partners) for name, row in group.items()}
    referrals = _add_reports({slug: ids[slug] for slug in areas}) | _add_sign_ups(
        {slug: ids[slug] for slug in areas}, {slug: ids[slug] for slug in schemes}
    )
    for key, original in DUPLICATES.items():
        referrals[key].duplicate_of_id = referrals[original].id
    for key in PURGED:
        referrals[key].purged_at, referrals[key].status = NOW - timedelta(days=1), ReferralStatus.CLOSED
    for key, due in TRIAGE_DUE.items():
        referrals[key].triage_due_at = due
    for key, status, due, purged in OVERDUE_OR_NOT:
        referral = referrals[key] = _referral(ReferralKind.HATE_INCIDENT)
        referral.status, referral.triage_due_at = status, due
        referral.purged_at = NOW if purged else None
    _add_routes(referrals, {slug: ids[slug] for slug in partners})
    db.session.commit()
    return ids


# --- Reports ---


def test_reports_by_month_every_month_present_duplicate_left_out_purged_kept(data_set):
    # January H1 H2; February H3 H4; March H5 (purged, counted) but not H6 (a duplicate); April H7; none in
    # May; June H8. H9 (31 December) and H10 (1 July) are outside.
    assert queries.reports_by_month(HALF_YEAR) == {
        "2026-01": 2,
        "2026-02": 2,
        "2026-03": 1,
        "2026-04": 1,
        "2026-05": 0,
        "2026-06": 1,
    }


def test_the_first_and_last_day_of_a_period_count_and_the_days_either_side_do_not(data_set):
    assert queries.reports_by_month(Period(date(2026, 1, 1), date(2026, 1, 1))) == {"2026-01": 1}  # H1
    assert queries.reports_by_month(Period(date(2026, 6, 30), date(2026, 6, 30))) == {"2026-06": 1}  # H8
    assert queries.reports_by_month(Period(date(2025, 12, 31), date(2025, 12, 31))) == {"2025-12": 1}  # H9
    assert queries.reports_by_month(Period(date(2026, 7, 1), date(2026, 7, 1))) == {"2026-07": 1}  # H10
    assert queries.reports_by_month(Period(date(2026, 1, 2), date(2026, 1, 14))) == {"2026-01": 0}


def test_reports_by_strand_count_a_report_under_each_strand_it_names(data_set):
    # race: H1, H2, H4 (H6 is a duplicate); religion: H2, H7; one each for the others.
    assert queries.reports_by_strand(HALF_YEAR) == {
        "race": 3,
        "religion": 2,
        "disability": 1,
        "sexual_orientation": 1,
        "transgender": 1,
    }


def test_reports_by_month_and_strand(data_set):
    assert queries.reports_by_month_and_strand(HALF_YEAR) == {
        ("2026-01", "race"): 2,  # H1, H2
        ("2026-01", "religion"): 1,  # H2
        ("2026-02", "disability"): 1,  # H3
        ("2026-02", "race"): 1,  # H4
        ("2026-03", "sexual_orientation"): 1,  # H5
        ("2026-04", "religion"): 1,  # H7
        ("2026-06", "transgender"): 1,  # H8
    }


def test_reports_by_area_with_none_for_no_area(data_set):
    north, south = data_set["north"], data_set["south"]
    # north: H1, H2, H7; south: H3, H5, H8; not given: H4.
    assert queries.reports_by_area(HALF_YEAR) == {north: 3, south: 3, None: 1}
    assert queries.reports_by_month_and_area(HALF_YEAR) == {
        ("2026-01", north): 2,
        ("2026-02", south): 1,
        ("2026-02", None): 1,
        ("2026-03", south): 1,
        ("2026-04", north): 1,
        ("2026-06", south): 1,
    }


def test_routes_in(data_set):
    # victim H1 H7 H8; witness H2; on behalf H3; organisation H4; not given H5. Anonymous H2 H5 H8; consent to
    # tell the police H1 H3 H7 H8.
    assert queries.routes_in(HALF_YEAR) == RoutesIn(
        total=7, victim=3, witness=1, on_behalf=1, organisation=1, not_given=1, anonymous=3, consent_police=4
    )


def test_routes_in_with_no_reports_is_all_zero(data_set):
    assert queries.routes_in(Period(date(2026, 5, 1), date(2026, 5, 31))) == RoutesIn(0, 0, 0, 0, 0, 0, 0, 0)


def test_classification_mix_with_none_for_not_classified(data_set):
    # crime H1 H5 H7; non-crime H2 H8; not hate H4; not classified H3.
    assert queries.classification_mix(HALF_YEAR) == {"crime": 3, "non_crime": 2, "not_hate": 1, None: 1}


# --- Sign-ups ---


def test_sign_ups_by_month(data_set):
    # V1 V2 in January, V3 V4 in March, V5 (purged) in May; V6 a duplicate, V7 in July.
    assert queries.sign_ups_by_month(HALF_YEAR) == {
        "2026-01": 2,
        "2026-02": 0,
        "2026-03": 2,
        "2026-04": 0,
        "2026-05": 1,
        "2026-06": 0,
    }


def test_sign_ups_by_scheme_outcome_and_area(data_set):
    watch, cadets, north, south = (data_set[key] for key in ("watch", "cadets", "north", "south"))
    assert queries.sign_ups_by_scheme(HALF_YEAR) == {watch: 2, cadets: 3}
    assert queries.sign_up_outcomes(HALF_YEAR) == {
        (watch, "accepted"): 1,  # V1
        (watch, "waiting_list"): 1,  # V2
        (cadets, "accepted"): 1,  # V3
        (cadets, None): 1,  # V4
        (cadets, "withdrawn"): 1,  # V5
    }
    assert queries.sign_ups_by_area(HALF_YEAR) == {north: 3, south: 1, None: 1}  # north V1 V3 V5; south V2; V4


# --- Times ---


def test_triage_times_odd_count_duplicates_included(data_set):
    # Reports triaged: 30 (H4), 60 (H1), 90 (H6), 120 (H2), 180 (H8), 240 (H7), 600 (H5): 7 of them.
    # Median: rank ceil(3.5) = 4, 120 minutes; 90th: rank ceil(6.3) = 7, 600 minutes.
    assert queries.triage_times(HALF_YEAR, ReferralKind.HATE_INCIDENT) == Percentiles(7, 2.0, 10.0)


def test_triage_times_even_count(data_set):
    # Sign-ups triaged: 30 (V1), 90 (V3), 150 (V4), 210 (V5). Median: rank 2, 90; 90th: rank ceil(3.6) = 4, 210.
    assert queries.triage_times(HALF_YEAR, ReferralKind.VOLUNTEER) == Percentiles(4, 1.5, 3.5)


def test_triage_times_of_every_kind(data_set):
    # 30 30 60 90 90 120 150 180 210 240 600: median rank ceil(5.5) = 6, 120; 90th rank ceil(9.9) = 10, 240.
    assert queries.triage_times(HALF_YEAR) == Percentiles(11, 2.0, 4.0)


def test_triage_times_of_a_single_referral_and_of_none(data_set):
    assert queries.triage_times(Period(date(2026, 4, 30), date(2026, 4, 30))) == Percentiles(1, 4.0, 4.0)  # H7
    may = Period(date(2026, 5, 1), date(2026, 5, 31))
    assert queries.triage_times(may, ReferralKind.HATE_INCIDENT) == Percentiles(0, None, None)


def test_percentiles_by_nearest_rank_rounded_to_a_tenth_of_an_hour(db):
    day = date(2026, 9, 1)
    for minutes in (100, 60, 600, 300, 200, 500, 400, 800, 700, 900):
        _statistic(_referral(ReferralKind.HATE_INCIDENT, day), day, minutes)
    _statistic(_referral(ReferralKind.HATE_INCIDENT, day), day, None)  # not triaged: not counted
    db.session.commit()
    # Ten values, 60 100 200 … 900: median rank 5, 400 minutes = 6.7 hours; 90th rank 9, 800 = 13.3 hours.
    assert queries.triage_times(Period(day, day)) == Percentiles(10, 6.7, 13.3)


def test_acknowledgement_times_of_routes_sent_in_the_period(data_set):
    # Acknowledged routes sent in the period: 30 (H1 beta), 60 (H1 alpha), 90 (V1), 120 (H2), 240 (H6).
    # Median: rank 3, 90 minutes; 90th: rank ceil(4.5) = 5, 240. H9's route was sent the day before.
    assert queries.acknowledgement_times(HALF_YEAR) == Percentiles(5, 1.5, 4.0)
    assert queries.acknowledgement_times(Period(date(2026, 4, 1), date(2026, 4, 30))) == Percentiles(0, None, None)


# --- Partners and what is late ---


def test_routes_by_partner(data_set):
    alpha, beta = data_set["alpha"], data_set["beta"]
    partners = queries.routes_by_partner(HALF_YEAR, NOW)
    # Alpha: H1 H2 H6 acknowledged, H3 awaiting and overdue, H4 awaiting (sent 23:30 on 30 June, local time),
    # X2 sent but closed since.
    # Beta: H1 acknowledged then handed back, H7 handed back, V1 acknowledged; H8's route was sent on 1 July.
    # Gamma: sent nothing in the period.
    assert partners == [
        PartnerRoutes(alpha, "Alpha agency", sent=6, acknowledged=3, handed_back=0, awaiting=2, overdue=1),
        PartnerRoutes(beta, "Beta agency", sent=3, acknowledged=2, handed_back=2, awaiting=0, overdue=0),
    ]
    assert partners[0].ack_rate == 50.0
    assert partners[1].ack_rate == pytest.approx(200 / 3)


def test_ack_rate_of_nothing_sent():
    assert PartnerRoutes(1, "Alpha agency", 0, 0, 0, 0, 0).ack_rate is None


def test_overdue_now(data_set):
    # Triage: H3, V2 and V6 (a duplicate, but still open and untriaged in the queue; its deadline was worked
    # out from its arrival on 6 May). X1 is not due yet, X2 is closed, X3 purged; every other one was triaged.
    # Acknowledgement: H3's route to alpha and H8's to beta (H4's is due on 14 July; X2's referral is closed).
    assert queries.overdue(NOW) == Overdue(triage=3, acknowledgement=2)
    assert queries.overdue(datetime(2026, 1, 1, tzinfo=UTC)) == Overdue(triage=0, acknowledgement=0)


def test_names_in_one_query(data_set):
    assert queries.names(Area, [data_set["north"], None, data_set["south"]]) == {
        data_set["north"]: "North",
        data_set["south"]: "South",
    }
    assert queries.names(VolunteerScheme, {data_set["cadets"]}) == {data_set["cadets"]: "Cadets scheme"}
    assert queries.names(Partner, [data_set["gamma"], 999_999]) == {data_set["gamma"]: "Gamma agency"}
    assert queries.names(Partner, []) == {}


# --- Through the real services ---


def test_a_report_sent_and_claimed_is_counted_and_timed(client, demo_config, officer):
    today = datetime.now(local_zone()).date()
    around_today = Period(today - timedelta(days=1), today + timedelta(days=1))
    send_report(client)  # a victim's report about religion

    assert sum(queries.reports_by_month(around_today).values()) == 1
    assert queries.reports_by_strand(around_today) == {"religion": 1}
    assert queries.routes_in(around_today).victim == 1
    assert queries.triage_times(around_today) == Percentiles(0, None, None)

    referral = _db.session.execute(_db.select(Referral)).scalar_one()
    claim_referral(referral, officer)
    _db.session.commit()

    times = queries.triage_times(around_today, ReferralKind.HATE_INCIDENT)
    assert times.count == 1 and times.median_hours == times.p90_hours
    assert times.median_hours is not None and times.median_hours >= 0
