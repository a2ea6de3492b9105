"""A partner's email addresses: adding one sends a confirmation link to it, and nothing is routed there until
someone follows that link from the address's own inbox. So a typing mistake cannot send special category data
to a stranger, and what was held for the partner in the meantime is sent as soon as an address is confirmed.

Every change is recorded in the audit trail. These functions flush; the caller commits (and so the
confirmation email goes into the outbox in the same transaction as the address it confirms).
"""

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import AuditEvent, Partner, PartnerAddress, StaffUser
from portal.models._types import utcnow
from portal.routing.links import address_link
from portal.routing.outbox import cancel_pending_messages, enqueue_email
from portal.routing.service import release_held_routes


class AddressError(Exception):
    """A change to a partner's addresses that cannot be made; the message is for the admin."""


def record_partner_change(action: str, actor: StaffUser | None, partner: Partner, **detail) -> AuditEvent:
    """An audit event about a partner (or one of its addresses or rules): who, when and what."""
    event = AuditEvent(action=action, actor=actor, detail={"partner": partner.id, "name": partner.name, **detail})
    db.session.add(event)
    return event


def find_partner_address(partner: Partner, address_id: int) -> PartnerAddress | None:
    """One of this partner's addresses (an address of another partner is not found)."""
    address = db.session.get(PartnerAddress, address_id)
    return address if address is not None and address.partner_id == partner.id else None


def add_partner_address(partner: Partner, email: str, actor: StaffUser) -> PartnerAddress:
    """Add an address to a partner and send it a confirmation link. It receives nothing until confirmed."""
    email = email.strip()
    if any(existing.email.lower() == email.lower() for existing in partner.addresses):
        raise _duplicate(partner, email)
    address = PartnerAddress(partner=partner, email=email)
    db.session.add(address)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # another admin added the same address a moment ago
        raise _duplicate(partner, email) from None
    record_partner_change("address_added", actor, partner, address=address.id, email=email)
    _send_confirmation(address)
    db.session.flush()
    return address


def resend_confirmation(address: PartnerAddress, actor: StaffUser) -> None:
    """Send the confirmation link again (a new one: the old one still works until it expires)."""
    if address.confirmed_at is not None:
        raise AddressError(_("%(email)s is already confirmed", email=address.email))
    _send_confirmation(address)
    record_partner_change("address_confirmation_sent", actor, address.partner, address=address.id, email=address.email)
    db.session.flush()


def remove_partner_address(address: PartnerAddress, actor: StaffUser) -> None:
    """Stop sending to an address. Its confirmation link stops working too. If it was the partner's last
    confirmed address, what is routed to the partner from now on is held until another one is confirmed."""
    partner = address.partner
    record_partner_change(
        "address_removed",
        actor,
        partner,
        address=address.id,
        email=address.email,
        was_confirmed=bool(address.confirmed_at),
    )
    partner.addresses.remove(address)
    db.session.delete(address)
    db.session.flush()
    cancel_pending_messages(partner, address.email)


def confirm_partner_address(address: PartnerAddress) -> int:
    """Someone followed the link from the address's inbox: it may now receive referrals. Confirming again
    changes nothing. Returns how many held routes were released to the partner."""
    if address.confirmed_at is None:
        address.confirmed_at = utcnow()
        record_partner_change("address_confirmed", None, address.partner, address=address.id, email=address.email)
        db.session.flush()
    return release_held_routes(address.partner)


def _duplicate(partner: Partner, email: str) -> AddressError:
    return AddressError(_("%(partner)s already has the address %(email)s", partner=partner.name, email=email))


def _send_confirmation(address: PartnerAddress) -> None:
    """The confirmation email, in the partnership's language (partners read English, like their referrals)."""
    partner = address.partner
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        context = {
            "partner": partner,
            "email": address.email,
            "link": address_link(address),
            "link_days": current_app.config["PARTNER_CONFIRM_DAYS"],
        }
        enqueue_email(
            recipient=address.email,
            subject=_("Confirm your email address for the %(name)s", name=current_app.config["PARTNERSHIP_NAME"]),
            body_text=render_template("emails/address_confirmation.txt", **context),
            body_html=render_template("emails/address_confirmation.html", **context),
        )
    address.confirmation_sent_at = utcnow()
