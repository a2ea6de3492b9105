"""The transactional outbox: enqueue in the caller's transaction, deliver from a worker with retries."""

import logging
import time
from datetime import timedelta
from email.utils import make_msgid, parseaddr

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.models import EventType, OutboxMessage, OutboxStatus, Route, RouteStatus
from portal.models._types import utcnow
from portal.routing.mail import PermanentFailure, send_email

log = logging.getLogger(__name__)

# Seconds to wait before each retry: 1 min, 5 min, then every 30 min, for up to 72 hours.
RETRY_DELAYS = (60, 300)
RETRY_EVERY = 1800
GIVE_UP_AFTER = timedelta(hours=72)
HOUSEKEEPING_EVERY = 300  # seconds


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


def claim_due_messages(limit: int) -> list[OutboxMessage]:
    """Pending messages that are due. Rows another worker holds are skipped on PostgreSQL."""
    query = (
        db.select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= utcnow())
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(db.session.execute(query).scalars())


def deliver_due_messages(limit: int | None = None) -> tuple[int, int]:
    """Send up to `limit` due messages; returns (sent, failed). Each message is its own transaction.

    One message is claimed at a time so that the row lock (PostgreSQL) is held until that message is
    marked sent: another worker skips it rather than sending it again.
    """
    sent = failed = 0
    for _ in range(limit or current_app.config["OUTBOX_BATCH_SIZE"]):
        claimed = claim_due_messages(1)
        if not claimed:
            break
        message = claimed[0]
        try:
            send_email(message)
        except PermanentFailure as error:
            mark_failed(message, str(error), permanent=True)
            failed += 1
        except Exception as error:  # noqa: BLE001 - any other failure is temporary: retry later
            mark_failed(message, str(error) or error.__class__.__name__, permanent=False)
            failed += 1
        else:
            mark_sent(message)
            sent += 1
        db.session.commit()
    db.session.commit()  # end the read transaction when nothing was due
    return sent, failed


def mark_sent(message: OutboxMessage) -> None:
    now = utcnow()
    message.status = OutboxStatus.SENT
    message.sent_at = now
    message.attempts += 1
    message.last_error = None
    route: Route | None = message.route
    if route is not None and route.status in {RouteStatus.QUEUED, RouteStatus.FAILED}:
        from portal.triage.deadlines import acknowledgement_deadline

        route.status = RouteStatus.SENT
        route.sent_at = now
        route.ack_due_at = acknowledgement_deadline(now)
        route.referral.record(EventType.SENT, actor_label="Outbox", partner=route.partner.name)


def mark_failed(message: OutboxMessage, error: str, *, permanent: bool) -> None:
    message.attempts += 1
    message.last_error = error[:500]
    gave_up = permanent or utcnow() - message.created_at >= GIVE_UP_AFTER
    if gave_up:
        message.status = OutboxStatus.FAILED
    else:
        message.next_attempt_at = utcnow() + retry_delay(message.attempts)
    # The error text can hold an address; it is kept on the message for staff, not written to the log.
    log.warning("outbox message %s attempt %s failed%s", message.id, message.attempts, " for good" if gave_up else "")
    route: Route | None = message.route
    if gave_up and route is not None:
        route.status = RouteStatus.FAILED
        route.referral.record(EventType.DELIVERY_FAILED, actor_label="Outbox", partner=route.partner.name)


def run_worker(*, once: bool = False) -> None:
    """Deliver due messages until stopped (or one round with once=True), and every few minutes do the
    housekeeping no request should wait for: deleting expired report drafts."""
    from portal.reporting.service import purge_expired_drafts

    poll = current_app.config["OUTBOX_POLL_SECONDS"]
    next_housekeeping = 0.0
    while True:
        if time.monotonic() >= next_housekeeping:
            try:
                purged = purge_expired_drafts()
                db.session.commit()
                if purged:
                    log.info("housekeeping: %s expired report drafts deleted", purged)
            except SQLAlchemyError:
                db.session.rollback()
            next_housekeeping = time.monotonic() + HOUSEKEEPING_EVERY
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
