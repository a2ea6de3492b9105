"""Decisions that send a referral to a partner. The email goes into the outbox in the same commit."""

from flask import render_template
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import EventType, Partner, Referral, ReferralStatus, Route, StaffUser
from portal.reporting.service import report_summary
from portal.routing.outbox import enqueue_email


class RoutingError(Exception):
    """A routing decision that cannot be carried out; the message is for the officer."""


def active_partners() -> list[Partner]:
    return list(db.session.execute(db.select(Partner).filter_by(active=True).order_by(Partner.name)).scalars())


def route_referral_to(referral: Referral, partner_id: str, officer: StaffUser) -> Route:
    """Route to the partner an officer chose from the form (an id as text, checked here)."""
    partner = db.session.get(Partner, int(partner_id)) if partner_id.isascii() and partner_id.isdigit() else None
    if partner is None:
        raise RoutingError("Select a partner from the list")
    return route_referral(referral, partner, officer)


def route_referral(referral: Referral, partner: Partner, officer: StaffUser) -> Route:
    """Send a referral to a partner: a Route, its email in the outbox, and an event, in one unit of work."""
    if not partner.active:
        raise RoutingError(f"{partner.name} is not taking referrals at the moment")
    if any(route.partner_id == partner.id for route in referral.routes):
        raise RoutingError(f"This referral has already been sent to {partner.name}")
    route = Route(referral=referral, partner=partner, routed_by=officer)
    db.session.add(route)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # another officer routed it to the same partner a moment ago
        raise RoutingError(f"This referral has already been sent to {partner.name}") from None
    context = {
        "referral": referral,
        "partner": partner,
        "route": route,
        "full_details": partner.secure_email,
        "sections": report_summary(referral) if partner.secure_email else [],
    }
    enqueue_email(
        recipient=partner.email,
        subject=f"New referral {referral.reference} from the partnership",
        body_text=render_template("emails/route_notice.txt", **context),
        body_html=render_template("emails/route_notice.html", **context),
        route=route,
    )
    referral.status = ReferralStatus.ROUTED
    referral.record(EventType.ROUTED, actor=officer, partner=partner.name)
    db.session.flush()
    return route
