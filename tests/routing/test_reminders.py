"""Routes a partner has not acknowledged in time: reminded once, then escalated, never twice. Time is moved
on by editing the deadline in the database."""

from datetime import timedelta
from email import message_from_bytes

from portal.extensions import db as _db
from portal.models import (
    EventType,
    OutboxMessage,
    OutboxStatus,
    Partner,
    PartnerAddress,
    ReferralStatus,
    Route,
    RouteStatus,
)
from portal.models._types import utcnow
from portal.routing.outbox import deliver_due_messages, run_worker
from portal.routing.reminders import send_reminders
from portal.routing.service import route_referral
from tests.conftest import make_referral


def sent_route(officer, smtp_server, partner_slug="victim-witness-hub") -> Route:
    partner = _db.session.execute(_db.select(Partner).filter_by(slug=partner_slug)).scalar_one()
    route = route_referral(make_referral(), partner, officer)
    _db.session.commit()
    deliver_due_messages()
    _db.session.refresh(route)
    assert route.status == RouteStatus.SENT and route.ack_due_at is not None
    return route


def overdue(*routes: Route) -> None:
    for route in routes:
        route.ack_due_at = utcnow() - timedelta(minutes=1)
    _db.session.commit()


def remind() -> tuple[int, int]:
    result = send_reminders()
    _db.session.commit()
    _db.session.expire_all()
    return result


def messages_of(route: Route) -> list[OutboxMessage]:
    return list(_db.session.execute(_db.select(OutboxMessage).filter_by(route_id=route.id).order_by("id")).scalars())


def event_types(route: Route) -> list[str]:
    return [event.type for event in route.referral.events if event.type in {EventType.REMINDED, EventType.ESCALATED}]


def test_an_overdue_route_is_reminded_once_to_every_address_then_escalated_once(
    app, db, demo_config, officer, smtp_server
):
    partner = _db.session.execute(_db.select(Partner).filter_by(slug="victim-witness-hub")).scalar_one()
    partner.addresses.append(PartnerAddress(email="duty.desk@example.org", confirmed_at=utcnow()))
    partner.addresses.append(PartnerAddress(email="not.yet.confirmed@example.org"))
    route = sent_route(officer, smtp_server)
    assert remind() == (0, 0)  # not due yet

    overdue(route)
    assert remind() == (1, 0)
    reminders = messages_of(route)[2:]
    assert sorted(message.recipient for message in reminders) == ["duty.desk@example.org", "victim-hub@example.org"]
    assert all(message.subject.startswith("Reminder") for message in reminders)
    assert route.reminded_at is not None and route.escalated_at is None
    assert route.ack_due_at > utcnow()  # a fresh deadline
    assert event_types(route) == [EventType.REMINDED]
    assert remind() == (0, 0)  # not reminded twice
    assert len(messages_of(route)) == 4

    overdue(route)
    assert remind() == (0, 1)
    assert route.escalated_at is not None and route.status == RouteStatus.SENT
    assert event_types(route) == [EventType.REMINDED, EventType.ESCALATED]
    assert remind() == (0, 0)  # nor escalated twice
    assert len(messages_of(route)) == 4 and len(event_types(route)) == 2


def test_acknowledged_handed_back_and_closed_are_left_alone(app, db, demo_config, officer, smtp_server):
    acknowledged, handed_back, closed = (sent_route(officer, smtp_server) for _ in range(3))
    acknowledged.status = RouteStatus.ACKNOWLEDGED
    handed_back.status = RouteStatus.HANDED_BACK
    closed.referral.status = ReferralStatus.CLOSED
    overdue(acknowledged, handed_back, closed)
    assert remind() == (0, 0)
    closed.reminded_at = utcnow()  # nor escalated after a reminder
    overdue(acknowledged, handed_back, closed)
    assert remind() == (0, 0)
    for route in (acknowledged, handed_back, closed):
        assert len(messages_of(route)) == 1 and event_types(route) == []
        assert route.escalated_at is None


def test_a_partner_with_no_confirmed_address_left_is_escalated_at_once(app, db, demo_config, officer, smtp_server):
    route = sent_route(officer, smtp_server)
    for address in route.partner.addresses:
        address.confirmed_at = None
    overdue(route)
    assert remind() == (0, 0)
    assert route.reminded_at is not None and route.escalated_at is not None
    assert event_types(route) == [EventType.ESCALATED] and len(messages_of(route)) == 1


def test_the_worker_sends_the_reminder_with_a_message_id_of_its_own(app, db, demo_config, officer, smtp_server):
    route = sent_route(officer, smtp_server)
    [first] = messages_of(route)
    overdue(route)
    run_worker(once=True)
    _db.session.expire_all()
    [_, reminder] = messages_of(route)
    assert reminder.status == OutboxStatus.SENT and reminder.message_id != first.message_id
    [_, envelope] = smtp_server.handler.messages
    email = message_from_bytes(envelope.content)
    assert email["Message-ID"] == reminder.message_id and email["Subject"].startswith("Reminder")
    assert route.status == RouteStatus.SENT and route.reminded_at is not None
    assert [event.type for event in route.referral.events].count(EventType.SENT) == 1


def test_a_partner_that_no_longer_takes_referrals_is_not_reminded_but_the_triage_team_hears(
    app, db, demo_config, officer, smtp_server
):
    route = sent_route(officer, smtp_server)
    route.partner.active = False
    overdue(route)
    before = len(messages_of(route))
    remind()
    assert len(messages_of(route)) == before  # nothing more goes to the partner
    assert route.escalated_at is not None
    [escalated] = [event for event in route.referral.events if event.type == EventType.ESCALATED]
    assert escalated.detail["reason"] == "The partner no longer takes referrals."
