"""Following up routes a partner has not acknowledged in time: the email is sent again once, as a reminder,
with a fresh deadline; if that passes too, the route is escalated to the triage team (the queue's attention
list shows it). Run by the outbox worker about once a minute; safe when several workers run it at once."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.extensions import db
from portal.models import EventType, Partner, Referral, ReferralStatus, Route, RouteStatus
from portal.models._types import utcnow
from portal.models.route_state import refresh_route_state
from portal.routing.emails import Purpose, enqueue_route_email
from portal.triage.deadlines import acknowledgement_deadline

REMINDER_ACTOR = "Automatic reminder"
# Routes reminded per call: the rest wait a minute for the next round, so one call stays short.
REMINDER_BATCH = 200


def send_reminders(now: datetime | None = None) -> tuple[int, int]:
    """Remind partners of routes past their acknowledgement deadline, and escalate those already reminded.
    Returns (reminded, escalated). Writes in the caller's transaction; the caller commits."""
    now = now or utcnow()
    escalated = escalate_overdue_routes(now)
    return remind_overdue_routes(now), escalated


def _referral_open():
    return (
        db.select(Referral.id)
        .where(Referral.id == Route.referral_id, Referral.status != ReferralStatus.CLOSED)
        .exists()
    )


def remind_overdue_routes(now: datetime) -> int:
    """Send the partner's email again, to every confirmed address, for each sent route past its deadline
    and not yet reminded; its deadline starts again. A partner left with no confirmed address cannot be
    reminded: the route is escalated at once instead."""
    routes = (
        db.session.execute(
            db.select(Route)
            .where(
                Route.status == RouteStatus.SENT,
                Route.ack_due_at <= now,
                Route.reminded_at.is_(None),
                _referral_open(),
            )
            .order_by(Route.ack_due_at, Route.id)
            .limit(REMINDER_BATCH)
            .options(selectinload(Route.partner).selectinload(Partner.addresses), selectinload(Route.referral))
        )
        .scalars()
        .all()
    )
    reminded = 0
    for route in routes:
        deadline = acknowledgement_deadline(now, route.partner.ack_sla_hours)
        # Conditional, so that of two workers looking at the same route only one reminds it.
        claimed = db.session.execute(
            update(Route)
            .where(Route.id == route.id, Route.status == RouteStatus.SENT, Route.reminded_at.is_(None))
            .values(reminded_at=now, ack_due_at=deadline)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue
        set_committed_value(route, "reminded_at", now)
        set_committed_value(route, "ack_due_at", deadline)
        refresh_route_state(db.session, [route.referral_id])
        # A partner that no longer takes referrals is not emailed again: the triage team hears instead.
        if route.partner.active and enqueue_route_email(route, Purpose.REMINDER):
            route.referral.record(
                EventType.REMINDED, actor_label=REMINDER_ACTOR, partner=route.partner.name, route=route.id
            )
            reminded += 1
        else:
            route.escalated_at = now
            route.referral.record(
                EventType.ESCALATED,
                actor_label=REMINDER_ACTOR,
                partner=route.partner.name,
                route=route.id,
                reason=_("The partner has no confirmed email address to send a reminder to.")
                if route.partner.active
                else _("The partner no longer takes referrals."),
            )
    db.session.flush()
    return reminded


def escalate_overdue_routes(now: datetime) -> int:
    """Raise with the triage team every route still not acknowledged after its reminder's deadline. One
    UPDATE; RETURNING gives exactly the routes this call changed, so another worker's are not recorded twice."""
    changed = db.session.execute(
        update(Route)
        .where(
            Route.status == RouteStatus.SENT,
            Route.ack_due_at <= now,
            Route.reminded_at.is_not(None),
            Route.escalated_at.is_(None),
            _referral_open(),
        )
        .values(escalated_at=now)
        .returning(Route.id, Route.referral_id, Route.partner_id)
        .execution_options(synchronize_session=False)
    ).all()
    if not changed:
        return 0
    refresh_route_state(db.session, [referral_id for _, referral_id, _ in changed])
    referrals = {
        referral.id: referral
        for referral in db.session.execute(
            db.select(Referral).where(Referral.id.in_({referral_id for _, referral_id, _ in changed}))
        ).scalars()
    }
    partners = dict(
        db.session.execute(
            db.select(Partner.id, Partner.name).where(Partner.id.in_({partner_id for *_, partner_id in changed}))
        ).all()
    )
    for route_id, referral_id, partner_id in changed:
        referrals[referral_id].record(
            EventType.ESCALATED, actor_label=REMINDER_ACTOR, partner=partners[partner_id], route=route_id
        )
    db.session.flush()
    return len(changed)
