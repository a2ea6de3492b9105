"""The transactional outbox: enqueue in the caller's transaction, deliver from workers with retries.

A worker claims one due message in a short transaction (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: BEGIN
IMMEDIATE) and leases it by moving `next_attempt_at` on by OUTBOX_CLAIM_SECONDS, so no other worker takes it
while it is being sent. No transaction is open during the SMTP conversation. The result is recorded in a
second short transaction. A worker that dies between the two leaves the message to be sent again once the
lease runs out, with the same Message-ID: at least once, and duplicates can be recognised.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid, parseaddr

from flask import current_app
from sqlalchemy import func, update
from sqlalchemy.exc import SQLAlchemyError

from portal.database import write_transaction
from portal.extensions import db
from portal.models import EventType, OutboxMessage, OutboxStatus, Route, RouteStatus
from portal.models._types import utcnow
from portal.models.route_state import refresh_route_state
from portal.routing.mail import MailConnection, PermanentFailure

log = logging.getLogger(__name__)

# Seconds to wait before each retry: 1 min, 5 min, then every 30 min, for up to 72 hours.
RETRY_DELAYS = (60, 300)
RETRY_EVERY = 1800
GIVE_UP_AFTER = timedelta(hours=72)
HOUSEKEEPING_EVERY = 300  # seconds: expired report drafts
REMINDERS_EVERY = 60  # seconds: reminders and escalations of unacknowledged routes
RETENTION_EVERY = 24 * 3600  # seconds: the retention purge, once a day
OUTBOX_ACTOR = "Outbox"


def enqueue_email(*, recipient: str, subject: str, body_text: str, body_html: str | None = None, route=None):
    """Write an email to the outbox. It is sent only if the caller's transaction commits."""
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    message = OutboxMessage(
        message_id=make_msgid(domain=domain),
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        route=route,
    )
    db.session.add(message)
    return message


def retry_delay(attempts: int) -> timedelta:
    if attempts <= len(RETRY_DELAYS):
        return timedelta(seconds=RETRY_DELAYS[attempts - 1])
    return timedelta(seconds=RETRY_EVERY)


@dataclass(frozen=True)
class ClaimedMessage:
    """What a worker needs to send a message it has leased, read before its claim committed, so that
    sending touches no database session."""

    id: int
    message_id: str
    recipient: str
    subject: str
    body_text: str
    body_html: str | None


def claim_due_message() -> ClaimedMessage | None:
    """Lease the next due message to this worker, in a short transaction of its own; None when nothing is due.

    A message another worker is claiming at this moment is skipped (PostgreSQL) or waited for (SQLite, which
    has one writer at a time); one it has already claimed is no longer due until its lease runs out."""
    now = utcnow()
    with write_transaction(db.session):
        message = db.session.execute(
            db.select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if message is None:
            return None
        message.next_attempt_at = now + timedelta(seconds=current_app.config["OUTBOX_CLAIM_SECONDS"])
        return ClaimedMessage(
            id=message.id,
            message_id=message.message_id,
            recipient=message.recipient,
            subject=message.subject,
            body_text=message.body_text,
            body_html=message.body_html,
        )


def deliver_due_messages(limit: int | None = None) -> tuple[int, int]:
    """Send up to `limit` due messages, one at a time; returns (sent, failed)."""
    sent = failed = 0
    with MailConnection() as connection:  # one SMTP conversation for the batch
        for _ in range(limit or current_app.config["OUTBOX_BATCH_SIZE"]):
            claimed = claim_due_message()
            if claimed is None:
                break
            try:
                connection.send(claimed)
            except PermanentFailure as error:
                record_outcome(claimed, mark_failed, str(error), permanent=True)
                failed += 1
            except Exception as error:  # noqa: BLE001 - any other failure is temporary: retry later
                record_outcome(claimed, mark_failed, str(error) or error.__class__.__name__, permanent=False)
                failed += 1
            else:
                record_outcome(claimed, mark_sent)
                sent += 1
    return sent, failed


def record_outcome(claimed: ClaimedMessage, mark, *args, **kwargs) -> bool:
    """Apply mark_sent or mark_failed to a claimed message in a short transaction of its own. Nothing is
    changed if the message is no longer pending: deleted by retention, or recorded by another worker that
    took it over after this one's lease ran out."""
    with write_transaction(db.session):
        message = db.session.execute(
            db.select(OutboxMessage)
            .where(OutboxMessage.id == claimed.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if message is None or message.status != OutboxStatus.PENDING:
            return False
        mark(message, *args, **kwargs)
        return True


def locked_route(message: OutboxMessage) -> Route | None:
    """The message's route, locked until commit (PostgreSQL) so that two workers recording the results of
    two messages of one route take turns deciding the route's state."""
    if message.route_id is None:
        return None
    return db.session.execute(
        db.select(Route).where(Route.id == message.route_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()


def mark_sent(message: OutboxMessage) -> None:
    """The server accepted the message. Its route is sent as soon as any of its messages is: the first time,
    the partner's time to acknowledge starts. One SENT event per change of the route, not per message."""
    from portal.triage.deadlines import acknowledgement_deadline

    now = utcnow()
    message.status = OutboxStatus.SENT
    message.sent_at = now
    message.attempts += 1
    message.last_error = None
    route = locked_route(message)
    if route is None or route.status not in {RouteStatus.QUEUED, RouteStatus.FAILED}:
        return
    route.status = RouteStatus.SENT
    if route.sent_at is None:
        route.sent_at = now
        route.ack_due_at = acknowledgement_deadline(now, route.partner.ack_sla_hours)
    route.referral.record(EventType.SENT, actor_label=OUTBOX_ACTOR, partner=route.partner.name, route=route.id)


def mark_failed(message: OutboxMessage, error: str, *, permanent: bool) -> None:
    """A failed attempt: retried with back-off, unless it was permanent (5xx) or 72 hours have gone by. The
    route fails only when none of its other messages was sent or may still be."""
    now = utcnow()
    message.attempts += 1
    message.last_error = error[:500]
    gave_up = permanent or now - message.created_at >= GIVE_UP_AFTER
    # The error text can hold an address; it is kept on the message for staff, not written to the log.
    log.warning("outbox message %s attempt %s failed%s", message.id, message.attempts, " for good" if gave_up else "")
    if not gave_up:
        message.next_attempt_at = now + retry_delay(message.attempts)
        return
    message.status = OutboxStatus.FAILED
    route = locked_route(message)
    if route is None or route.status != RouteStatus.QUEUED:
        return
    others = db.session.execute(
        db.select(db.func.count(OutboxMessage.id)).where(
            OutboxMessage.route_id == route.id,
            OutboxMessage.id != message.id,
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENT]),
        )
    ).scalar_one()
    if not others:
        route.status = RouteStatus.FAILED
        route.referral.record(
            EventType.DELIVERY_FAILED, actor_label=OUTBOX_ACTOR, partner=route.partner.name, route=route.id
        )


def run_worker(*, once: bool = False) -> None:
    """Deliver due messages until stopped (or one round with once=True). Between rounds, do the work no
    request should wait for: about once a minute, remind partners of unacknowledged routes and escalate
    them; every few minutes, delete expired report drafts; once a day, purge what retention says is due."""
    poll = current_app.config["OUTBOX_POLL_SECONDS"]
    next_reminders = next_housekeeping = next_retention = 0.0
    while True:
        if time.monotonic() >= next_reminders:
            run_housekeeping(remind_and_escalate)
            next_reminders = time.monotonic() + REMINDERS_EVERY
        if time.monotonic() >= next_housekeeping:
            run_housekeeping(purge_drafts)
            next_housekeeping = time.monotonic() + HOUSEKEEPING_EVERY
        if time.monotonic() >= next_retention:
            run_housekeeping(purge_retention)
            next_retention = time.monotonic() + RETENTION_EVERY
        try:
            sent, failed = deliver_due_messages()
        except SQLAlchemyError as error:
            # The database went away or was locked: keep the worker alive and try again shortly.
            # An email already accepted by the server but not marked sent goes again with its Message-ID.
            db.session.rollback()
            log.error("outbox: database error, retrying in %ss (%s)", poll, error.__class__.__name__)
            sent = failed = 0
        if sent or failed:
            log.info("outbox: %s sent, %s failed", sent, failed)
        if once:
            return
        if not sent:
            time.sleep(poll)


def run_housekeeping(task) -> None:
    """Run one housekeeping task in its own write transaction; a database error waits for the next round."""
    try:
        with write_transaction(db.session):
            task()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.error("housekeeping: %s failed (%s)", task.__name__, error.__class__.__name__)


def remind_and_escalate() -> None:
    from portal.routing.reminders import send_reminders

    reminded, escalated = send_reminders()
    if reminded or escalated:
        log.info("housekeeping: %s routes reminded, %s escalated", reminded, escalated)


def purge_drafts() -> None:
    from portal.reporting.service import purge_expired_drafts

    purged = purge_expired_drafts()
    if purged:
        log.info("housekeeping: %s expired report drafts deleted", purged)


def purge_retention() -> None:
    from portal.retention.service import purge_due

    summary = purge_due(utcnow())
    if summary.referrals:
        log.info("housekeeping: retention purged %s referrals", summary.referrals)


def cancel_pending_messages(partner, recipient: str | None = None) -> int:
    """Stop what is still waiting to go to a partner (to one of its addresses, or to all of them): an address
    that was removed, or a partner that no longer takes referrals, must not be sent special category data.
    Returns how many messages were cancelled."""
    partner_routes = db.select(Route.id).where(Route.partner_id == partner.id)
    query = update(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.route_id.in_(partner_routes)
    )
    if recipient is not None:
        query = query.where(func.lower(OutboxMessage.recipient) == recipient.lower())
    result = db.session.execute(
        query.values(status=OutboxStatus.CANCELLED, last_error="cancelled").execution_options(synchronize_session=False)
    )
    # A route with nothing left to send is held again: the queue flags it, and it goes when an address is
    # confirmed (or the partner takes referrals again and one is).
    still_going = (
        db.select(OutboxMessage.id)
        .where(
            OutboxMessage.route_id == Route.id,
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENT)),
        )
        .exists()
    )
    held = db.session.execute(
        update(Route)
        .where(Route.partner_id == partner.id, Route.status == RouteStatus.QUEUED, ~still_going)
        .values(status=RouteStatus.HELD)
        .returning(Route.referral_id)
        .execution_options(synchronize_session=False)
    ).scalars()
    refresh_route_state(db.session, list(held))
    db.session.expire_all()
    return result.rowcount
