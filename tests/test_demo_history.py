"""The made-up referral history that seed-demo loads outside production."""

import time
from datetime import UTC, datetime

import pytest

from portal.demo_history import plan_history, seed_history
from portal.demo_referrals import load_setting
from portal.extensions import db as _db
from portal.models import (
    Consent,
    HateIncidentReport,
    OutboxMessage,
    Partner,
    Referral,
    ReferralKind,
    ReferralStatistic,
    ReferralStatus,
    Route,
    RouteStatus,
    VolunteerApplication,
)
from portal.routing.rules import ReferralFacts, missing_consent
from portal.statistics import working_minutes
from tests.conftest import make_referral

NOW = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)


def rows(model):
    return list(_db.session.execute(_db.select(model)).scalars())


def count(model) -> int:
    return _db.session.execute(_db.select(_db.func.count()).select_from(model)).scalar_one()


@pytest.fixture
def history(demo_config, db):
    started = time.perf_counter()
    added = seed_history(now=NOW)
    db.session.commit()
    return added, time.perf_counter() - started


def test_the_same_seed_gives_the_same_history_and_a_second_run_adds_nothing(history, db):
    added, seconds = history
    assert 14 * 25 <= added <= 14 * 45
    assert count(Referral) == count(ReferralStatistic) == added
    assert seconds < 10
    again = plan_history(load_setting(), months=14, per_month=(25, 45), seed=2026, now=NOW)
    stored = {referral.reference: referral for referral in rows(Referral)}
    assert [planned.reference for planned in again] == sorted(stored, key=lambda ref: stored[ref].created_at)
    assert [planned.status for planned in again] == [stored[planned.reference].status for planned in again]
    assert seed_history(now=NOW) == 0
    assert count(Referral) == added
    assert count(OutboxMessage) == 0


def test_it_never_mixes_with_real_referrals(demo_config, db):
    make_referral()
    assert seed_history(now=NOW) == 0
    assert count(Referral) == 1


def test_the_mix_looks_like_a_partnership_s(history, db):
    added, _seconds = history
    reports = rows(HateIncidentReport)
    assert 0.65 < len(reports) / added < 0.85
    assert 0.15 < count(VolunteerApplication) / added < 0.35
    assert 0.45 < sum(report.consent_police for report in reports) / len(reports) < 0.65
    assert 0.2 < sum(report.anonymous for report in reports) / len(reports) < 0.4
    strands = [strand for report in reports for strand in report.strands]
    assert max(set(strands), key=strands.count) == "race"
    statuses = {referral.status for referral in rows(Referral)}
    assert {ReferralStatus.NEW, ReferralStatus.ACKNOWLEDGED, ReferralStatus.CLOSED} <= statuses
    new = [referral for referral in rows(Referral) if referral.status == ReferralStatus.NEW]
    assert 0 < len(new) < 40 and all((NOW - referral.created_at).days < 14 for referral in new)
    assert {RouteStatus.ACKNOWLEDGED, RouteStatus.HANDED_BACK, RouteStatus.SENT} <= {r.status for r in rows(Route)}


def test_everything_is_plainly_made_up(history, db):
    for report in rows(HateIncidentReport):
        assert report.description.startswith("Demo report:") and "made-up" in report.description
        assert report.contact_email is None or report.contact_email.endswith("@example.org")
        assert report.contact_name is None or report.contact_name.startswith("Demo ")
    for application in rows(VolunteerApplication):
        assert application.full_name.startswith("Demo ")
        assert application.email.endswith("@example.org")
        assert application.carer_email is None or application.carer_email.endswith("@example.org")
        assert application.scheme.min_age <= application.age_at_application <= (application.scheme.max_age or 120)


def test_every_route_goes_to_a_partner_the_referral_may_go_to(history, db):
    partners = {partner.id: partner for partner in rows(Partner)}
    for route in rows(Route):
        referral = route.referral
        if referral.kind == ReferralKind.HATE_INCIDENT:
            report = referral.hate_incident
            facts = ReferralFacts(kind=referral.kind, consents=frozenset(report.consents))
            assert report.consent_police or partners[route.partner_id].partner_type != "police"
        else:
            scheme = referral.volunteer_application.scheme
            facts = ReferralFacts(kind=referral.kind, scheme_id=scheme.id, scheme_partner_id=scheme.partner_id)
        assert missing_consent(facts, partners[route.partner_id].partner_type, route.partner_id) is None
        assert route.consent_override_reason is None


def test_times_are_in_order_and_the_statistics_agree(history, db):
    statistics = {statistic.referral_id: statistic for statistic in rows(ReferralStatistic)}
    for referral in rows(Referral):
        statistic = statistics[referral.id]
        assert referral.created_at <= NOW
        if referral.triaged_at is not None:
            assert referral.created_at <= referral.triaged_at <= NOW
            assert statistic.triage_working_minutes == working_minutes(referral.created_at, referral.triaged_at)
        else:
            assert referral.status == ReferralStatus.NEW and statistic.triage_working_minutes is None
        if referral.closed_at is not None:
            assert referral.triaged_at <= referral.closed_at <= NOW and referral.close_outcome
        assert [event.created_at for event in referral.events] == sorted(event.created_at for event in referral.events)
        assert referral.events[0].created_at == referral.created_at
        if referral.kind == ReferralKind.HATE_INCIDENT:
            assert statistic.consent_police == (Consent.POLICE in referral.hate_incident.consents)
            assert statistic.strands == sorted(referral.hate_incident.strands)
        else:
            assert statistic.volunteer_outcome == referral.volunteer_application.outcome
    for route in rows(Route):
        assert route.referral.triaged_at <= route.created_at <= route.sent_at < route.ack_due_at
        if route.acknowledged_at is not None:
            assert route.sent_at <= route.acknowledged_at <= NOW
            assert route.ack_working_minutes == working_minutes(route.sent_at, route.acknowledged_at)
        if route.status == RouteStatus.SENT:
            assert route.acknowledged_at is None and route.handed_back_at is None


def test_seed_demo_loads_it_only_when_asked(db):
    from portal.seed import seed_demo

    assert seed_demo(with_staff=False)["history"] == 0
    assert count(Referral) == 0
    added = seed_demo(with_staff=True, with_history=True)
    assert added["history"] == count(Referral) > 0
    assert seed_demo(with_staff=True, with_history=True)["history"] == 0
