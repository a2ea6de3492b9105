"""The emails a partner is sent about a route: the referral itself, a reminder, or a fresh link.

Each goes to every confirmed address of the partner, as its own outbox message (so one bad address cannot
hold up the others). Subjects carry the reference and kind only: no special category data.
"""

from enum import StrEnum

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.labels import KIND_LABELS, PRIORITY_LABELS, STRAND_LABELS
from portal.models import OutboxMessage, ReferralKind, Route
from portal.routing.links import route_link
from portal.routing.outbox import enqueue_email


class Purpose(StrEnum):
    NEW = "new"
    REMINDER = "reminder"
    NEW_LINK = "new_link"


def enqueue_route_email(route: Route, purpose: Purpose = Purpose.NEW) -> list[OutboxMessage]:
    """Write the partner's email for this route to the outbox, once per confirmed address. Returns the
    messages: none when the partner has no confirmed address yet (the caller holds the route)."""
    addresses = route.partner.confirmed_addresses
    if not addresses:
        return []
    email = route_email(route, purpose)
    return [enqueue_email(recipient=address, route=route, **email) for address in addresses]


def route_email(route: Route, purpose: Purpose) -> dict:
    """Subject and bodies: the details only to a secure-email partner, a notice and a link to anyone else."""
    from portal.routing.service import partner_sections

    referral, partner = route.referral, route.partner
    # Partners read English: the email is written in the partnership's language, not the resident's.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        kind = str(KIND_LABELS[referral.kind])
        subject = {
            Purpose.NEW: _("New %(kind)s referral %(reference)s", kind=kind.lower(), reference=referral.reference),
            Purpose.REMINDER: _("Reminder: please acknowledge referral %(reference)s", reference=referral.reference),
            Purpose.NEW_LINK: _("New link for referral %(reference)s", reference=referral.reference),
        }[purpose]
        context = {
            "purpose": purpose.value,
            "referral": referral,
            "partner": partner,
            "route": route,
            "kind": kind,
            "priority": str(PRIORITY_LABELS[referral.priority]),
            "summary": one_line_summary(route, with_strands=partner.secure_email),
            "link": route_link(route),
            "link_days": current_app.config["PARTNER_LINK_DAYS"],
            # The answers go once, in the first email, and only to a secure-email partner; reminders and
            # fresh links point to the page.
            "full_details": partner.secure_email and purpose == Purpose.NEW,
            "sections": partner_sections(route) if partner.secure_email and purpose == Purpose.NEW else [],
        }
        return {
            "subject": subject,
            "body_text": render_template("emails/partner_referral.txt", **context),
            "body_html": render_template("emails/partner_referral.html", **context),
        }


def one_line_summary(route: Route, *, with_strands: bool = True) -> str:
    """What the referral is about, in words that identify nobody: the kind of hostility and the area for a
    report, the scheme for a volunteer application. The kind of hostility is special category data, so it
    is left out of an email that is not going to a secure-email address."""
    referral = route.referral
    if referral.kind == ReferralKind.VOLUNTEER:
        application = referral.volunteer_application
        return _("An application to volunteer with %(scheme)s.", scheme=application.scheme.name)
    report = referral.hate_incident
    strands = ", ".join(str(STRAND_LABELS.get(s, s)).lower() for s in report.strands) if with_strands else ""
    area = report.area.name if report.area else _("an area not given")
    if strands:
        return _("A hate incident report (%(strands)s) in %(area)s.", strands=strands, area=area)
    return _("A hate incident report in %(area)s.", area=area)
