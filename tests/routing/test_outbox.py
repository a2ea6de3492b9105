"""The outbox worker against a real SMTP server (aiosmtpd): delivery, retries, permanent refusals, a server
that is down, and a worker that dies after the server accepted a message."""

from collections import Counter
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from portal.extensions import db as _db
from portal.models import EventType, OutboxMessage, OutboxStatus, Partner, PartnerAddress, Route, RouteStatus
from portal.models._types import utcnow
from portal.routing import outbox
from portal.routing.outbox import deliver_due_messages, retry_delay
from portal.routing.service import route_referral
from portal.triage.deadlines import acknowledgement_deadline
from tests.conftest import make_referral


def hub() -> Partner:
    return _db.session.execute(_db.select(Partner).filter_by(slug="victim-witness-hub")).scalar_one()


def routed_message(officer) -> OutboxMessage:
    """One referral routed to the Victim and Witness Hub (one confirmed address): its one message."""
    referral = make_referral()
    route = route_referral(referral, hub(), officer)
    _db.session.commit()
    [message] = _db.session.execute(_db.select(OutboxMessage).filter_by(route_id=route.id)).scalars()
    return message


def routed_to_two_addresses(officer) -> Route:
    partner = hub()
    partner.addresses.append(PartnerAddress(email="duty.desk@example.org", confirmed_at=utcnow()))
    _db.session.commit()
    route = route_referral(make_referral(), partner, officer)
    _db.session.commit()
    return route


def message_ids(handler) -> list[str]:
    return [message_from_bytes(envelope.content)["Message-ID"] for envelope in handler.messages]


def record_every_try(handler) -> list[str]:
    """Make the server note the Message-ID of every message it is offered, refused ones too."""
    tries, accept_or_refuse = [], handler.handle_DATA

    async def handle_DATA(server, session, envelope):
        tries.append(message_from_bytes(envelope.content)["Message-ID"])
        return await accept_or_refuse(server, session, envelope)

    handler.handle_DATA = handle_DATA
    return tries


def refuse_recipient(handler, address: str) -> None:
    """Make the server refuse one mailbox for good (550 at RCPT), as for a mistyped or closed address."""

    async def handle_RCPT(server, session, envelope, rcpt, options):
        if rcpt == address:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(rcpt)
        return "250 OK"

    handler.handle_RCPT = handle_RCPT


def make_due(*messages: OutboxMessage) -> None:
    """Skip the wait before a retry (or the rest of a lease)."""
    for message in messages:
        message.next_attempt_at = utcnow()
    _db.session.commit()


def events_of(route: Route, event_type: EventType) -> list:
    _db.session.expire_all()
    return [event for event in route.referral.events if event.type == event_type]


def test_delivers_to_the_partner_and_marks_sent(app, db, demo_config, officer, smtp_server):
    message = routed_message(officer)
    assert deliver_due_messages() == (1, 0)
    [envelope] = smtp_server.handler.messages
    assert envelope.rcpt_tos == ["victim-hub@example.org"]
    email = message_from_bytes(envelope.content)
    assert email["Message-ID"] == message.message_id
    assert message.route.referral.reference in email["Subject"]
    _db.session.refresh(message)
    assert message.status == OutboxStatus.SENT and message.sent_at is not None and message.attempts == 1
    route = message.route
    assert route.status == RouteStatus.SENT and route.sent_at == message.sent_at
    assert route.ack_due_at == acknowledgement_deadline(route.sent_at)
    assert len(events_of(route, EventType.SENT)) == 1
    assert deliver_due_messages() == (0, 0)  # nothing is sent twice
    assert len(smtp_server.handler.messages) == 1


def test_the_partners_own_service_level_sets_the_acknowledgement_deadline(app, db, demo_config, officer, smtp_server):
    hub().ack_sla_hours = 4
    message = routed_message(officer)
    assert deliver_due_messages() == (1, 0)
    route = _db.session.get(Route, message.route_id)
    assert route.ack_due_at == acknowledgement_deadline(route.sent_at, 4)
    assert route.ack_due_at < acknowledgement_deadline(route.sent_at)  # the default is 16 working hours


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

    make_due(message)
    assert deliver_due_messages() == (0, 1)  # still down: the second wait is longer
    _db.session.refresh(message)
    assert message.attempts == 2 and message.next_attempt_at > utcnow() + timedelta(seconds=290)

    back_up = Controller(smtp_server.handler, hostname="127.0.0.1", port=port)
    back_up.start()
    try:
        make_due(message)
        assert deliver_due_messages() == (1, 0)
    finally:
        back_up.stop()
    assert message_ids(smtp_server.handler) == [message.message_id]
    _db.session.refresh(message)
    assert message.status == OutboxStatus.SENT and message.attempts == 3 and message.last_error is None
    assert message.route.status == RouteStatus.SENT


def test_temporary_refusal_is_retried_with_the_same_message_id(app, db, demo_config, officer, smtp_server):
    message = routed_message(officer)
    tries = record_every_try(smtp_server.handler)
    smtp_server.handler.reply = "451 4.3.0 Try again later"
    assert deliver_due_messages() == (0, 1)
    _db.session.refresh(message)
    assert message.status == OutboxStatus.PENDING and message.attempts == 1 and "451" in message.last_error
    assert timedelta(seconds=55) < message.next_attempt_at - utcnow() <= timedelta(seconds=60)
    assert message.route.status == RouteStatus.QUEUED
    assert deliver_due_messages() == (0, 0)  # waiting a minute

    smtp_server.handler.reply = "250 OK"
    make_due(message)
    assert deliver_due_messages() == (1, 0)
    assert tries == [message.message_id, message.message_id]
    assert message_ids(smtp_server.handler) == [message.message_id]
    _db.session.refresh(message)
    assert message.status == OutboxStatus.SENT and message.attempts == 2
    assert message.route.status == RouteStatus.SENT


def test_permanent_refusal_marks_the_route_failed(app, db, demo_config, officer, smtp_server):
    message = routed_message(officer)
    smtp_server.handler.reply = "550 No such mailbox"
    assert deliver_due_messages() == (0, 1)
    _db.session.refresh(message)
    assert message.status == OutboxStatus.FAILED and "550" in message.last_error
    route = _db.session.get(Route, message.route_id)
    assert route.status == RouteStatus.FAILED and route.sent_at is None and route.ack_due_at is None
    assert len(events_of(route, EventType.DELIVERY_FAILED)) == 1
    smtp_server.handler.reply = "250 OK"
    assert deliver_due_messages() == (0, 0)  # a permanent failure is not retried
    assert smtp_server.handler.messages == []


def test_gives_up_after_72_hours(app, db, demo_config, officer, smtp_server):
    message = routed_message(officer)
    message.created_at = utcnow() - timedelta(hours=72, minutes=1)
    _db.session.commit()
    smtp_server.stop()
    assert deliver_due_messages() == (0, 1)
    _db.session.refresh(message)
    assert message.status == OutboxStatus.FAILED
    assert _db.session.get(Route, message.route_id).status == RouteStatus.FAILED


def test_one_address_refused_and_one_delivered_leaves_the_route_sent(app, db, demo_config, officer, smtp_server):
    route = routed_to_two_addresses(officer)
    messages = _db.session.execute(_db.select(OutboxMessage).filter_by(route_id=route.id)).scalars().all()
    assert sorted(message.recipient for message in messages) == ["duty.desk@example.org", "victim-hub@example.org"]
    assert len({message.message_id for message in messages}) == 2
    refuse_recipient(smtp_server.handler, "victim-hub@example.org")
    assert deliver_due_messages() == (1, 1)
    _db.session.expire_all()
    assert {message.recipient: message.status for message in messages} == {
        "victim-hub@example.org": OutboxStatus.FAILED,
        "duty.desk@example.org": OutboxStatus.SENT,
    }
    assert route.status == RouteStatus.SENT and route.ack_due_at is not None
    assert len(events_of(route, EventType.SENT)) == 1
    assert events_of(route, EventType.DELIVERY_FAILED) == []


def test_the_route_fails_only_when_every_address_has_failed(app, db, demo_config, officer, smtp_server):
    route = routed_to_two_addresses(officer)
    smtp_server.handler.reply = "554 Rejected"
    assert deliver_due_messages(limit=1) == (0, 1)
    _db.session.expire_all()
    assert route.status == RouteStatus.QUEUED  # the other address may still work
    assert deliver_due_messages() == (0, 1)
    _db.session.expire_all()
    assert route.status == RouteStatus.FAILED
    assert len(events_of(route, EventType.DELIVERY_FAILED)) == 1


def test_a_late_message_never_moves_an_acknowledged_route(app, db, demo_config, officer, smtp_server):
    message = routed_message(officer)
    route = message.route
    route.status = RouteStatus.ACKNOWLEDGED
    _db.session.commit()
    assert deliver_due_messages() == (1, 0)
    _db.session.expire_all()
    assert route.status == RouteStatus.ACKNOWLEDGED and route.sent_at is None
    assert events_of(route, EventType.SENT) == []


class WorkerDied(BaseException):
    """The worker process stopping dead (killed, power cut): nothing after this point runs."""


def test_a_crash_after_the_server_accepted_sends_that_message_again_with_the_same_message_id(
    app, db, demo_config, officer, smtp_server, monkeypatch
):
    first, second = routed_message(officer), routed_message(officer)
    mark_sent = outbox.mark_sent

    def die_before_commit(message):
        mark_sent(message)
        raise WorkerDied

    monkeypatch.setattr(outbox, "mark_sent", die_before_commit)
    with pytest.raises(WorkerDied):
        deliver_due_messages()
    monkeypatch.undo()

    assert message_ids(smtp_server.handler) == [first.message_id]
    _db.session.expire_all()
    assert first.status == OutboxStatus.PENDING and first.attempts == 0 and first.sent_at is None
    assert first.route.status == RouteStatus.QUEUED
    assert first.next_attempt_at > utcnow() + timedelta(seconds=app.config["OUTBOX_CLAIM_SECONDS"] - 10)

    assert deliver_due_messages() == (1, 0)  # the other message; the first waits for its lease to run out
    assert message_ids(smtp_server.handler) == [first.message_id, second.message_id]

    make_due(first)
    assert deliver_due_messages() == (1, 0)
    assert deliver_due_messages() == (0, 0)
    assert Counter(message_ids(smtp_server.handler)) == {first.message_id: 2, second.message_id: 1}
    _db.session.expire_all()
    assert first.status == OutboxStatus.SENT and first.route.status == RouteStatus.SENT
    assert len(events_of(first.route, EventType.SENT)) == 1


def test_a_claimed_message_is_leased_and_no_transaction_is_open_while_sending(
    app, db, demo_config, officer, smtp_server, monkeypatch
):
    message = routed_message(officer)
    seen = []

    def send_and_look(connection, claimed):
        seen.append((_db.session().in_transaction(), _db.session.get(OutboxMessage, claimed.id).next_attempt_at))
        _db.session.rollback()

    monkeypatch.setattr(outbox.MailConnection, "send", send_and_look)
    assert deliver_due_messages() == (1, 0)
    [(in_transaction, leased_until)] = seen
    assert not in_transaction
    assert leased_until > utcnow() + timedelta(seconds=app.config["OUTBOX_CLAIM_SECONDS"] - 10)
    _db.session.refresh(message)
    assert message.status == OutboxStatus.SENT


def test_back_off_grows_then_levels_off():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 10)] == [60, 300, 1800, 1800]


def test_a_message_is_not_written_if_the_decision_is_rolled_back(app, db, demo_config, officer):
    referral = make_referral()
    route_referral(referral, hub(), officer)
    _db.session.rollback()
    assert _db.session.execute(_db.select(_db.func.count(OutboxMessage.id))).scalar_one() == 0


def test_a_batch_is_sent_in_one_smtp_conversation(app, db, demo_config, officer, smtp_server):
    messages = [routed_message(officer) for _ in range(4)]
    assert deliver_due_messages() == (4, 0)
    assert sorted(message_ids(smtp_server.handler)) == sorted(message.message_id for message in messages)
    assert len({id(session) for session in smtp_server.handler.sessions}) == 1


def test_a_refusal_mid_batch_does_not_stop_the_rest(app, db, demo_config, officer, smtp_server):
    """The first message is refused for now (451): the conversation is dropped, and the next messages go in a
    new one."""
    first, second, third = (routed_message(officer) for _ in range(3))
    replies = iter(["451 4.3.0 Try again later"])
    handler, accept = smtp_server.handler, smtp_server.handler.handle_DATA

    async def refuse_once(server, session, envelope):
        handler.reply = next(replies, "250 OK")
        return await accept(server, session, envelope)

    handler.handle_DATA = refuse_once
    assert deliver_due_messages() == (2, 1)
    assert sorted(message_ids(handler)) == sorted([second.message_id, third.message_id])
    _db.session.refresh(first)
    assert first.status == OutboxStatus.PENDING and "451" in first.last_error


def test_a_conversation_the_server_closed_while_idle_is_started_again(app, db, demo_config, officer, smtp_server):
    """The server hangs up between two messages (as servers do with idle connections): the next message opens
    a new conversation and is sent at once, not counted as failed."""
    messages = [routed_message(officer) for _ in range(3)]
    handler, hung_up = smtp_server.handler, []

    async def handle_MAIL(server, session, envelope, address, options):
        if handler.messages and not hung_up:  # the second MAIL FROM of the first conversation
            hung_up.append(session)
            server.transport.close()
            return "421 closing"
        envelope.mail_from = address
        return "250 OK"

    handler.handle_MAIL = handle_MAIL
    assert deliver_due_messages() == (3, 0)
    assert sorted(message_ids(handler)) == sorted(message.message_id for message in messages)
    assert hung_up and len({id(session) for session in handler.sessions}) == 2
