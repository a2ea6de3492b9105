"""The benchmarks' bulk loader (bench/data.py, with planning.py, history.py, rows.py and loader.py): the data it
writes is what the app would have written, and the app works on it."""

import random
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pyotp
import pytest
from sqlalchemy import inspect

from bench import data, planning
from bench.rows import TABLES
from portal.extensions import db as _db
from portal.models import (
    HateIncidentReport,
    OutboxMessage,
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralStatistic,
    ReferralStatus,
    Route,
    RouteStatus,
    VolunteerApplication,
)
from portal.models.referral import looks_like_reference
from portal.models.route_state import refresh_route_state
from portal.retention.service import due_for_purge
from portal.statistics import working_minutes
from portal.triage.sla import WorkingHours, add_business_time, business_seconds_between
from tests.conftest import submit_form

SIZE = 300


def rows(model):
    return list(_db.session.execute(_db.select(model)).scalars())


def count(model, *conditions) -> int:
    return _db.session.execute(_db.select(_db.func.count()).select_from(model).where(*conditions)).scalar_one()


def route_state() -> dict:
    """Each referral's route state (portal.models.route_state) as the database holds it."""
    columns = (Referral.id, Referral.route_waiting, Referral.route_awaiting, Referral.route_ack_due_at)
    return {row[0]: tuple(row[1:]) for row in _db.session.execute(_db.select(*columns, Referral.route_attention))}


@pytest.fixture
def now():
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def loaded(app, db, now):
    data.prepare(app)
    data.grow(app, SIZE, now=now, workers=2)  # two forked processes plan it, as for a large load
    return now


def test_every_table_is_filled_in_proportion(loaded, db):
    referrals = rows(Referral)
    assert len(referrals) == count(ReferralStatistic) == SIZE
    purged = [referral for referral in referrals if referral.purged_at is not None]
    volunteers = [referral for referral in referrals if referral.kind == ReferralKind.VOLUNTEER]
    assert 0.2 < len(volunteers) / SIZE < 0.4
    assert 0.2 < len(purged) / SIZE < 0.7  # the retention policy reaches back 13 months for reports, 6 for sign-ups
    # One detail row for each referral that has not been purged.
    assert count(HateIncidentReport) + count(VolunteerApplication) == SIZE - len(purged)
    assert 4 < count(ReferralEvent) / SIZE < 10
    waiting = [referral for referral in referrals if referral.status in (ReferralStatus.NEW, ReferralStatus.IN_TRIAGE)]
    # The newest wait (but sign-ups to a scheme that routes them itself), with the odd report still being classified.
    assert 0.5 * planning.open_queue_size(SIZE) <= len(waiting) <= planning.open_queue_size(SIZE) + 5
    routed = {route.referral_id for route in rows(Route)}
    assert 0.6 < len(routed) / (SIZE - len(waiting)) < 1  # not a hate incident, or "just record it": no route
    assert count(OutboxMessage) >= count(Route, Route.referral_id.in_([r.id for r in referrals if not r.purged_at]))
    assert 0.8 < count(Referral, Referral.status == ReferralStatus.CLOSED) / (SIZE - len(waiting))


def test_it_is_what_the_app_would_have_written(loaded, db):
    now = loaded
    assert due_for_purge(now) == []  # the nightly retention run is up to date
    for referral in rows(Referral):
        assert looks_like_reference(referral.reference)
        events = referral.events
        assert events[0].type == "created" and events[0].created_at == referral.created_at
        assert [event.created_at for event in events] == sorted(event.created_at for event in events)
        assert all(event.created_at <= now for event in events)
        if referral.purged_at is not None:
            assert referral.hate_incident is None and referral.volunteer_application is None
            assert referral.language is None and referral.close_reason is None
            assert events[-1].type == "purged" and not any("reason" in (event.detail or {}) for event in events)
        if referral.triaged_at is not None:
            statistic = _db.session.get(ReferralStatistic, referral.id)
            assert statistic.triage_working_minutes == working_minutes(referral.created_at, referral.triaged_at)
    for route in rows(Route):
        assert route.referral.triaged_at <= route.created_at
        if route.acknowledged_at is not None:
            assert route.sent_at < route.acknowledged_at <= now
            assert route.ack_working_minutes == working_minutes(route.sent_at, route.acknowledged_at)
        if route.status == RouteStatus.SENT and route.reminded_at is None:
            assert route.ack_due_at > now  # otherwise the worker would have reminded the partner
    loaded_state = route_state()
    refresh_route_state(_db.session, loaded_state)  # as the app works it out from the routes
    assert route_state() == loaded_state
    for report in rows(HateIncidentReport):
        assert report.contact_email is None or report.contact_email.endswith("@example.org")
        assert report.description.startswith("Bench report:")
        statistic = _db.session.get(ReferralStatistic, report.referral_id)
        assert statistic.strands == sorted(report.strands) and statistic.area_id == report.area_id


def test_grow_appends_and_can_rebuild_the_indexes(app, loaded, db):
    indexes = {table: inspect(_db.engine).get_indexes(table) for table in TABLES}
    keys = {table: inspect(_db.engine).get_foreign_keys(table) for table in TABLES}
    data.grow(app, 400, bulk=True)  # drops the indexes and foreign keys, and builds them again
    assert count(Referral) == count(ReferralStatistic) == 400
    assert {table: inspect(_db.engine).get_indexes(table) for table in TABLES} == indexes
    assert {table: inspect(_db.engine).get_foreign_keys(table) for table in TABLES} == keys
    assert len({referral.reference for referral in rows(Referral)}) == 400
    data.grow(app, 400)
    assert count(Referral) == 400
    # The app's own rows come after the loaded ones.
    referral = rows(Referral)[0]
    referral.record("note", actor_label="Test", text="A note")
    _db.session.commit()
    assert referral.events[-1].id == max(event.id for event in rows(ReferralEvent))


def test_a_bench_officer_signs_in_and_works_the_queue(loaded, client, db):
    answers = {"email": data.officer_email(7), "password": data.OFFICER_PASSWORD}
    response = submit_form(client, "/staff/sign-in", answers)
    assert response.headers["Location"].endswith("/staff/sign-in/security-code")
    code = pyotp.TOTP(data.totp_secret(7)).now()
    assert submit_form(client, "/staff/sign-in/security-code", {"code": code}).status_code == 302
    waiting = _db.session.execute(
        _db.select(Referral).filter_by(status=ReferralStatus.NEW, kind=ReferralKind.HATE_INCIDENT).limit(1)
    ).scalar_one()
    page = client.get("/staff/queue?tab=new&kind=hate_incident")
    assert page.status_code == 200 and waiting.reference in page.get_data(as_text=True)
    assert client.get(f"/staff/queue?tab=closed&area={waiting.hate_incident.area_id or ''}").status_code == 200
    routed = _db.session.execute(
        _db.select(Referral).join(Route).where(Referral.purged_at.is_(None)).limit(1)
    ).scalar_one()
    purged = _db.session.execute(_db.select(Referral).where(Referral.purged_at.is_not(None)).limit(1)).scalar_one()
    for referral in (waiting, routed, purged):
        page = client.get(f"/staff/referrals/{referral.reference}")
        assert page.status_code == 200 and referral.reference in page.get_data(as_text=True)
    assert client.get("/staff/insights").status_code == 200


def test_a_partner_opens_the_link_in_an_email_it_was_sent(loaded, client, db):
    open_routes = _db.select(Route.id).join(Referral).where(Referral.closed_at.is_(None))
    message = _db.session.execute(
        _db.select(OutboxMessage).where(OutboxMessage.route_id.in_(open_routes)).limit(1)
    ).scalar_one()
    link = re.search(r"https?://\S+/partner/r/\S+", message.body_text).group(0)
    assert client.get(urlsplit(link).path).status_code == 200


def test_working_time_is_the_app_s(app):
    hours = WorkingHours.from_config(app.config)
    now = int(datetime.now(UTC).timestamp())
    clock = planning.Clock(hours, *(datetime.fromtimestamp(now + days * 86400, UTC).date() for days in (-800, 120)))
    rng = random.Random(1)
    for _ in range(300):
        start = now - rng.randrange(700 * 86400)
        seconds = 60 * rng.randint(1, 3000)
        moment = datetime.fromtimestamp(start, UTC)
        assert clock.add(start, seconds) == add_business_time(moment, timedelta(seconds=seconds), hours).timestamp()
        end = start + rng.randrange(20 * 86400)
        worked = business_seconds_between(moment, datetime.fromtimestamp(end, UTC), hours)
        assert clock.minutes(start, end) == worked // 60
