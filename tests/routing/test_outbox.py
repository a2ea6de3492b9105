"""The outbox worker against a real SMTP server (aiosmtpd)."""

from datetime import timedelta
from email import message_from_bytes

from aiosmtpd.controller import Controller

from portal.extensions import db as _db
from portal.models import EventType, OutboxMessage, OutboxStatus, Partner, Route, RouteStatus
from portal.models._types import utcnow
from portal.routing.outbox import deliver_due_messages, retry_delay
from portal.routing.service import route_referral
from tests.conftest import make_referral


def routed_message(officer) -> OutboxMessage:
    referral = make_referral()
    hub = _db.session.execute(_db.select(Partner).filter_by(slug="victim-witness-hub")).scalar_one()
    route_referral(referral, hub, officer)
    _db.session.commit()
    return _db.session.execute(_db.select(OutboxMessage)).scalar_one()


def test_delivers_to_the_partner_and_marks_sent(app, db, demo_config, officer, smtp_server):
    message = routed_message(officer)
    assert deliver_due_messages() == (1, 0)
    [envelope] = smtp_server.handler.messages
    assert envelope.rcpt_tos == ["victim-hub@example.org"]
    email = message_from_bytes(envelope.content)
    assert email["Message-ID"] == message.message_id
    assert message.route.referral.reference in email["Subject"]
    _db.session.refresh(message)
    assert message.status == OutboxStatus.SENT and message.sent_at is not None
    assert message.route.status == RouteStatus.SENT
    assert EventType.SENT in [event.type for event in message.route.referral.events]
    assert deliver_due_messages() == (0, 0)  # nothing is sent twice
    assert len(smtp_server.handler.messages) == 1


def test_server_down_leaves_it_pending_for_a_retry_with_the_same_message_id(app, db, demo_config, officer, smtp_server):
    message = routed_message(officer)
    port = app.config["SMTP_PORT"]
    smtp_server.stop()
    assert deliver_due_messages() == (0, 1)
    _db.session.refresh(message)
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1 and message.last_error
    assert message.next_attempt_at > utcnow() + timedelta(seconds=50)
    assert message.route.status == RouteStatus.QUEUED
    assert deliver_due_messages() == (0, 0)  # not due yet

    back_up = Controller(smtp_server.handler, hostname="127.0.0.1", port=port)
    back_up.start()
    try:
        message.next_attempt_at = utcnow()
        _db.session.commit()
        assert deliver_due_messages() == (1, 0)
    finally:
        back_up.stop()
    [envelope] = smtp_server.handler.messages
    assert message_from_bytes(envelope.content)["Message-ID"] == message.message_id


def test_permanent_refusal_marks_the_route_failed(app, db, demo_config, officer, smtp_server):
    message = routed_message(officer)
    smtp_server.handler.reply = "550 No such mailbox"
    assert deliver_due_messages() == (0, 1)
    _db.session.refresh(message)
    assert message.status == OutboxStatus.FAILED
    route = _db.session.get(Route, message.route_id)
    assert route.status == RouteStatus.FAILED
    assert EventType.DELIVERY_FAILED in [event.type for event in route.referral.events]


def test_temporary_refusal_is_retried(app, db, demo_config, officer, smtp_server):
    message = routed_message(officer)
    smtp_server.handler.reply = "451 Try again later"
    assert deliver_due_messages() == (0, 1)
    _db.session.refresh(message)
    assert message.status == OutboxStatus.PENDING and message.attempts == 1


def test_back_off_grows_then_levels_off():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 10)] == [60, 300, 1800, 1800]


def test_a_message_is_not_written_if_the_decision_is_rolled_back(app, db, demo_config, officer):
    referral = make_referral()
    hub = _db.session.execute(_db.select(Partner).filter_by(slug="victim-witness-hub")).scalar_one()
    route_referral(referral, hub, officer)
    _db.session.rollback()
    assert _db.session.execute(_db.select(_db.func.count(OutboxMessage.id))).scalar_one() == 0
