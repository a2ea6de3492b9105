"""Decisions that send a referral to a partner. The email goes into the outbox in the same commit."""

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import (
    Classification,
    EventType,
    Partner,
    Referral,
    ReferralKind,
    ReferralStatus,
    Route,
    StaffUser,
)
from portal.models._types import utcnow
from portal.reporting.service import report_summary
from portal.routing.outbox import enqueue_email

# Who the history says routed a referral that no officer routed.
AUTOMATIC_ROUTE = "Automatic (scheme rule)"


class RoutingError(Exception):
    """A routing decision that cannot be carried out; the message is for the officer."""


def active_partners() -> list[Partner]:
    return list(db.session.execute(db.select(Partner).filter_by(active=True).order_by(Partner.name)).scalars())


def route_referral_to(referral: Referral, partner_id: str, officer: StaffUser) -> Route:
    """Route to the partner an officer chose from the form (an id as text, checked here)."""
    partner = db.session.get(Partner, int(partner_id)) if partner_id.isascii() and partner_id.isdigit() else None
    if partner is None:
        raise RoutingError(_("Select a partner from the list"))
    return route_referral(referral, partner, officer)


def route_referral(referral: Referral, partner: Partner, officer: StaffUser | None) -> Route:
    """Send a referral to a partner: a Route, its email in the outbox, and an event, in one unit of work.
    Without an officer the route is automatic (a volunteer scheme that sends its applications itself)."""
    if not partner.active:
        raise RoutingError(_("%(partner)s is not taking referrals at the moment", partner=partner.name))
    if any(route.partner_id == partner.id for route in referral.routes):
        raise RoutingError(_("This referral has already been sent to %(partner)s", partner=partner.name))
    mark_routed(referral)
    route = Route(referral=referral, partner=partner, routed_by=officer)
    db.session.add(route)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # another officer routed it to the same partner a moment ago
        raise RoutingError(_("This referral has already been sent to %(partner)s", partner=partner.name)) from None
    enqueue_email(**_partner_email(referral, partner, route), route=route)
    referral.record(
        EventType.ROUTED, actor=officer, actor_label=None if officer else AUTOMATIC_ROUTE, partner=partner.name
    )
    db.session.flush()
    return route


def mark_routed(referral: Referral) -> None:
    """Routed, in one conditional UPDATE that refuses a closed referral (however stale the page was), and
    counts as its first triage if nothing else did."""
    changed = db.session.execute(
        update(Referral)
        .where(Referral.id == referral.id, Referral.status != ReferralStatus.CLOSED)
        .values(
            status=ReferralStatus.ROUTED,
            version=Referral.version + 1,
            updated_at=utcnow(),
            triaged_at=func.coalesce(Referral.triaged_at, utcnow()),
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise RoutingError(_("This referral is closed, so it cannot be sent to a partner."))
    db.session.expire(referral, ["status", "version", "updated_at", "triaged_at"])


# Pages of the report that describe the people who did it and the witnesses.
PEOPLE_PAGES = {"people", "witnesses"}


def partner_report_summary(referral: Referral):
    """What a secure-email partner is sent of a report. For a non-crime hate incident the details of the
    people who did it, and of witnesses, stay with the partnership (the non-crime hate incident code):
    a partner who needs them asks the triage team."""
    sections = report_summary(referral)
    if referral.classification != Classification.NON_CRIME:
        return sections
    kept = [(name, [row for row in rows if row.step not in PEOPLE_PAGES]) for name, rows in sections]
    return [(name, rows) for name, rows in kept if rows]


def _partner_email(referral: Referral, partner: Partner, route: Route) -> dict:
    """The partner's email: the details only to a secure-email partner, a notice to anyone else."""
    if referral.kind == ReferralKind.VOLUNTEER:
        from portal.volunteering.service import application_summary

        summary, template = application_summary, "volunteer_notice"
        subject = f"New volunteer application {referral.reference} from the partnership"
    else:
        summary, template = partner_report_summary, "route_notice"
        subject = f"New referral {referral.reference} from the partnership"
    context = {
        "referral": referral,
        "partner": partner,
        "route": route,
        "full_details": partner.secure_email,
        "sections": summary(referral) if partner.secure_email else [],
    }
    return {
        "recipient": partner.email,
        "subject": subject,
        "body_text": render_template(f"emails/{template}.txt", **context),
        "body_html": render_template(f"emails/{template}.html", **context),
    }
