"""Confirming a partner's email address from the link sent to it (/partner/confirm/<token>).

Opening the link only shows a button: mail scanners follow links in emails, and a scanner must not be able
to confirm an address that nobody has read. Pressing the button confirms it.
"""

from flask import abort, render_template
from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from portal.extensions import db, limiter
from portal.forms import StripWhitespaceForm, SubmitInput
from portal.models import PartnerAddress
from portal.partner import bp
from portal.routing.addresses import confirm_partner_address
from portal.routing.links import read_address_token


class ConfirmAddressForm(StripWhitespaceForm):
    """Only a CSRF token and the button."""

    submit = SubmitField(_l("Confirm this email address"), widget=SubmitInput())


def _address_for(token: str) -> tuple[PartnerAddress, bool]:
    """The address a token names, and whether the link is out of date. A tampered token, or the link to an
    address that has since been removed, is a 404."""
    target = read_address_token(token)
    if target is None:
        abort(404)
    address = db.session.get(PartnerAddress, target.ids["address"])
    if address is None or address.email != target.ids["email"]:
        abort(404)
    return address, target.expired


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def confirm_address(token: str):
    """Show whose address this is and a button to confirm it; the button confirms it."""
    address, expired = _address_for(token)
    if address.confirmed_at is not None:
        return render_template("partner/confirm_address_done.html", address=address, already=True)
    if expired:
        return render_template("partner/confirm_address_expired.html", address=address), 410
    form = ConfirmAddressForm()
    if form.validate_on_submit():
        confirm_partner_address(address)
        db.session.commit()
        return render_template("partner/confirm_address_done.html", address=address, already=False)
    return render_template("partner/confirm_address.html", address=address, form=form)
