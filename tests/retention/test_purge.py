"""Retention: a purge on a database with old and new records removes exactly what the policy says, keeps an
anonymised statistic for each, and leaves nothing of what people told us anywhere in the database."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import JSON, String, Text, select

from portal.extensions import db as _db
from portal.models import (
    Area,
    AuditEvent,
    CloseOutcome,
    EventType,
    HateIncidentReport,
    OutboxMessage,
    Partner,
    Referral,
    ReferralEvent,
    ReferralStatistic,
    ReportDraft,
    VolunteerApplication,
)
from portal.retention.service import erase_referral, months_before, purge_due
from portal.routing.service import route_referral
from portal.triage.service import add_note, close_referral, set_priority, update_reporter
from portal.volunteering.service import set_volunteer_outcome
from tests.conftest import make_referral
from tests.retention import make_application

NOW = datetime.now(UTC)
LONG_AGO = NOW - timedelta(days=14 * 31)  # past both retention periods (13 and 6 months)
LATELY = NOW - timedelta(days=60)  # inside both


def secret(label: str) -> str:
    """A string nobody else would write, to look for afterwards."""
    return f"{label}-{uuid.uuid4().hex[:12]}"


def report_with_history(officer, *, closed_at=None) -> tuple[Referral, list[str]]:
    """A hate-incident report with free text everywhere it can have it: the answers, the equality
    monitoring, a priority reason, a note, an update to the reporter (an email), a route sent against the
    reporter's wishes (an email and a reason), a draft, and a close reason."""
    words = {name: secret(name) for name in ("description", "witness", "email", "priority", "note", "update")}
    words |= {name: secret(name) for name in ("override", "close", "draft", "name")}
    area = _db.session.execute(select(Area).order_by(Area.id)).scalars().first()
    referral = make_referral(
        address={"location": "Bus stop on Lincoln Road", "area_choice": str(area.id)},
        what_happened={"incident_types": ["verbal"], "description": f"It happened {words['description']}"},
        witnesses={"witnesses": "yes", "witness_details": words["witness"]},
        contact={
            "wants_contact": "yes",
            "contact_name": words["name"],
            "contact_email": f"{words['email']}@example.org",
            "preferred_contact": "email",
        },
        equality={"age_group": "25_to_34", "religion": "muslim"},
    )
    set_priority(referral, referral.version, officer, "high", words["priority"])
    add_note(referral, officer, words["note"])
    update_reporter(referral, officer, words["update"])
    police = _db.session.execute(select(Partner).filter_by(slug="police-hate-crime")).scalar_one()
    route_referral(referral, police, officer, override_reason=words["override"])
    _db.session.add(ReportDraft(id=secret("draft-id"), answers={"x": words["draft"]}, referral_id=referral.id))
    _db.session.commit()
    if closed_at is not None:
        close_referral(referral, referral.version, officer, CloseOutcome.ADVICE_GIVEN, words["close"])
        referral.closed_at = closed_at
        _db.session.commit()
    else:
        del words["close"]
    return referral, list(words.values())


def application(officer, *, outcome=None, decided_at=None, closed_at=None) -> tuple[Referral, list[str]]:
    words = [secret("experience"), secret("needs"), secret("carer")]
    referral = make_application(
        relevant_experience=words[0], access_needs=words[1], carer_name=words[2], email=f"{words[0]}@example.org"
    )
    if outcome:
        set_volunteer_outcome(referral, outcome, actor=officer)
        _db.session.commit()
        event = referral.events[-1]
        assert event.type == EventType.OUTCOME_SET
        event.created_at = decided_at
    if closed_at:
        close_referral(referral, referral.version, officer, CloseOutcome.RESOLVED_BY_PARTNER, secret("vol-close"))
        referral.closed_at = closed_at
    _db.session.commit()
    return referral, words


def every_text_in_the_database() -> str:
    """Every text and JSON value of every table, as one string to search."""
    chunks = []
    with _db.engine.connect() as connection:
        for table in _db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if not columns:
                continue
            for row in connection.execute(select(*columns)):
                chunks.extend(str(value) for value in row if value is not None)
    return "\n".join(chunks)


@pytest.fixture
def database(client, demo_config, officer):
    """Old and new records of every kind the policy distinguishes."""
    records = {}
    records["old closed report"] = report_with_history(officer, closed_at=LONG_AGO)
    records["recent closed report"] = report_with_history(officer, closed_at=LATELY)
    records["old open report"] = report_with_history(officer)
    records["old open report"][0].created_at = LONG_AGO
    records["volunteer, old outcome"] = application(officer, outcome="accepted", decided_at=LONG_AGO)
    records["volunteer, recent outcome"] = application(officer, outcome="accepted", decided_at=LATELY)
    records["volunteer, old waiting list"] = application(officer, outcome="waiting_list", decided_at=LONG_AGO)
    records["volunteer, closed long ago"] = application(officer, closed_at=LONG_AGO)
    records["volunteer, no outcome"] = application(officer)
    _db.session.commit()
    return records


PURGED = {"old closed report", "volunteer, old outcome", "volunteer, closed long ago"}


def test_months_before_keeps_the_day_or_the_months_last():
    assert months_before(datetime(2027, 3, 31, tzinfo=UTC), 13) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2027, 1, 15, tzinfo=UTC), 6) == datetime(2026, 7, 15, tzinfo=UTC)


def test_purge_removes_exactly_what_the_policy_says(database):
    summary = purge_due(NOW)
    _db.session.commit()
    _db.session.expire_all()

    assert (summary.hate_incident, summary.volunteer) == (1, 2)
    for name, (referral, _words) in database.items():
        referral = _db.session.get(Referral, referral.id)
        if name in PURGED:
            assert referral.purged_at is not None, name
            assert referral.hate_incident is None and referral.equality is None, name
            assert referral.volunteer_application is None, name
            assert referral.events[-1].type == EventType.PURGED, name
            assert _db.session.get(ReferralStatistic, referral.id) is not None, name
        else:
            assert referral.purged_at is None, name
            assert referral.hate_incident is not None or referral.volunteer_application is not None, name
        # Every referral is counted from its arrival, purged or not.
        assert _db.session.get(ReferralStatistic, referral.id) is not None, name


def test_nothing_of_what_people_told_us_remains_after_a_purge(database):
    purge_due(NOW)
    _db.session.commit()
    everything = every_text_in_the_database()
    for name, (_referral, words) in database.items():
        for word in words:
            if name in PURGED:
                assert word not in everything, (name, word)
            else:
                assert word in everything, (name, word)


def test_statistics_keep_the_counts_true(database):
    referral, _words = database["old closed report"]
    strands, area_id = list(referral.hate_incident.strands), referral.hate_incident.area_id
    volunteer, _ = database["volunteer, old outcome"]
    scheme_id = volunteer.volunteer_application.scheme_id
    purge_due(NOW)
    _db.session.commit()

    report_stat = _db.session.get(ReferralStatistic, referral.id)
    assert (report_stat.kind, report_stat.strands, report_stat.area_id) == ("hate_incident", sorted(strands), area_id)
    # The referral's own copy of the area, kept for the queue, goes with the rest of what the resident told us.
    assert area_id is not None and _db.session.get(Referral, referral.id).area_id is None
    assert (report_stat.reporter_role, report_stat.anonymous, report_stat.consent_police) == ("victim", False, False)
    volunteer_stat = _db.session.get(ReferralStatistic, volunteer.id)
    assert (volunteer_stat.kind, volunteer_stat.scheme_id, volunteer_stat.volunteer_outcome) == (
        "volunteer",
        scheme_id,
        "accepted",
    )
    # The referral rows stay, so counting referrals by month, kind and status gives the same figures.
    assert _db.session.execute(select(_db.func.count(Referral.id))).scalar_one() == len(database)


def test_events_keep_what_happened_and_who_but_not_the_words(database):
    referral, _ = database["old closed report"]
    types_before = [event.type for event in referral.events]
    purge_due(NOW)
    _db.session.commit()
    _db.session.expire_all()
    events = _db.session.execute(select(ReferralEvent).filter_by(referral_id=referral.id)).scalars().all()
    assert [event.type for event in events] == [*types_before, EventType.PURGED]
    routed = next(event for event in events if event.type == EventType.CONSENT_OVERRIDE)
    assert set(routed.detail) == {"partner", "consent"} and routed.actor_label == "Olu Officer"
    assert referral.routes[0].consent_override_reason is None


def test_already_purged_referrals_are_skipped(database):
    purge_due(NOW)
    _db.session.commit()
    again = purge_due(NOW + timedelta(days=1))
    _db.session.commit()
    assert again.referrals == 0
    purged_events = _db.session.execute(
        select(_db.func.count(ReferralEvent.id)).filter_by(type=EventType.PURGED)
    ).scalar_one()
    assert purged_events == len(PURGED)


def test_a_dry_run_changes_nothing_and_reports_the_same_counts(database):
    def statistics():
        return _db.session.execute(select(_db.func.count()).select_from(ReferralStatistic)).scalar_one()

    before, counted = every_text_in_the_database(), statistics()
    dry = purge_due(NOW, dry_run=True)
    _db.session.commit()
    assert every_text_in_the_database() == before
    assert statistics() == counted
    real = purge_due(NOW)
    _db.session.commit()
    assert dry.counts() == real.counts()
    assert sorted(dry.references) == sorted(real.references)


def test_a_purge_is_audited_with_its_counts(database):
    purge_due(NOW)
    _db.session.commit()
    [audit] = _db.session.execute(select(AuditEvent).filter_by(action="retention_purged")).scalars().all()
    assert audit.actor_label == "Retention"
    assert audit.detail["hate_incident"] == 1 and audit.detail["volunteer"] == 2
    assert audit.detail["messages_deleted"] >= 2  # the update to the reporter and the route's email


def test_retention_periods_are_configuration(app, database):
    app.config["RETENTION_HATE_INCIDENT_MONTHS"] = 1
    try:
        summary = purge_due(NOW)
    finally:
        app.config["RETENTION_HATE_INCIDENT_MONTHS"] = 13
    assert summary.hate_incident == 2  # the recent closed report too, two months after closure


def test_erasure_purges_an_open_referral_at_once_with_the_reason(client, demo_config, officer):
    referral, words = report_with_history(officer)
    erase_referral(referral, "Subject asked for erasure by email on 1 June", officer)
    _db.session.commit()
    everything = every_text_in_the_database()
    assert not [word for word in words if word in everything]
    purged = referral.events[-1]
    assert purged.type == EventType.PURGED and purged.detail["reason"].startswith("Subject asked")
    audit = _db.session.execute(select(AuditEvent).filter_by(action="referral_erased")).scalar_one()
    assert audit.detail["reference"] == referral.reference and audit.actor_id == officer.id
    assert _db.session.execute(select(HateIncidentReport)).first() is None
    assert _db.session.execute(select(OutboxMessage)).first() is None
    assert _db.session.execute(select(VolunteerApplication)).first() is None


def test_the_cli_purges_and_reports_counts(app, database):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "nothing changed" in dry.output
    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    assert "purged" in result.output
