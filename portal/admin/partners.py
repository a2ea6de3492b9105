"""Admin pages for partners: the agencies referrals are sent to, what kind each is, whether it gets full details
by email, and the addresses it receives them at (each confirmed from its own inbox before anything is sent)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import bp
from portal.admin.partner_forms import DESCRIPTION_LIMIT, AddressForm, ButtonForm, PartnerForm
from portal.admin.partner_service import PartnerError, create_partner, find_partner, listed_partners, update_partner
from portal.extensions import db
from portal.routing.addresses import (
    AddressError,
    add_partner_address,
    find_partner_address,
    remove_partner_address,
    resend_confirmation,
)

ID = "int(max=2147483647)"


@bp.route("/partners")
def partners():
    """Every partner: its kind, whether it gets full details by email, whether it takes referrals, and
    whether it has a confirmed address (without one, what is routed to it is held)."""
    return render_template("admin/partners.html", partners=listed_partners())


def _render_partner(form: PartnerForm, partner=None):
    return render_template("admin/partner.html", form=form, partner=partner, description_limit=DESCRIPTION_LIMIT)


@bp.route("/partners/new", methods=["GET", "POST"])
def new_partner():
    """Add a partner. Its addresses are added on its page once it is saved."""
    form = PartnerForm(data={"active": True} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            partner = create_partner(form.answers(), current_user)
        except PartnerError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(name)s has been added. Add an email address for it.", name=partner.name), "success")
            return redirect(url_for("admin.edit_partner", partner_id=partner.id))
    return _render_partner(form)


@bp.route(f"/partners/<{ID}:partner_id>", methods=["GET", "POST"])
def edit_partner(partner_id: int):
    """A partner's addresses and their confirmation, and its details to change."""
    partner = find_partner(partner_id) or abort(404)
    form = PartnerForm(data=PartnerForm.data_from(partner) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            update_partner(partner, form.answers(), current_user)
        except PartnerError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Your changes to %(name)s have been saved.", name=partner.name), "success")
            return redirect(url_for("admin.partners"))
    return _render_partner(form, partner)


@bp.route(f"/partners/<{ID}:partner_id>/addresses/new", methods=["GET", "POST"])
def add_address(partner_id: int):
    """Add an address to a partner: a link is emailed to it, and it is used once someone follows the link."""
    partner = find_partner(partner_id) or abort(404)
    form = AddressForm()
    if form.validate_on_submit():
        try:
            address = add_partner_address(partner, form.email.data, current_user)
        except AddressError as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                _(
                    "We have emailed a link to %(email)s. It is used once someone follows the link.",
                    email=address.email,
                ),
                "success",
            )
            return redirect(url_for("admin.edit_partner", partner_id=partner.id))
    return render_template("admin/partner_address.html", form=form, partner=partner)


def _address_or_404(partner_id: int, address_id: int):
    partner = find_partner(partner_id) or abort(404)
    return find_partner_address(partner, address_id) or abort(404)


def _checked_button() -> bool:
    """Whether an address button's form came from our page (its CSRF token); if not, say so."""
    if ButtonForm().validate_on_submit():
        return True
    flash(_("We could not check that the button was pressed on this page. Press it again."))
    return False


@bp.route(f"/partners/<{ID}:partner_id>/addresses/<{ID}:address_id>/send-again", methods=["POST"])
def resend_address_link(partner_id: int, address_id: int):
    """Email the confirmation link to an address again."""
    address = _address_or_404(partner_id, address_id)
    if _checked_button():
        try:
            resend_confirmation(address, current_user)
        except AddressError as error:
            db.session.rollback()
            flash(str(error))
        else:
            db.session.commit()
            flash(_("We have emailed a new link to %(email)s.", email=address.email), "success")
    return redirect(url_for("admin.edit_partner", partner_id=partner_id))


@bp.route(f"/partners/<{ID}:partner_id>/addresses/<{ID}:address_id>/remove", methods=["POST"])
def remove_address(partner_id: int, address_id: int):
    """Stop sending to an address. Its link stops working."""
    address = _address_or_404(partner_id, address_id)
    if _checked_button():
        partner, email = address.partner, address.email
        remove_partner_address(address, current_user)
        db.session.commit()
        if partner.is_confirmed:
            flash(_("%(email)s has been removed.", email=email), "success")
        else:
            flash(
                _(
                    "%(email)s has been removed. %(partner)s has no confirmed address now: what is sent to it is held "
                    "until one is confirmed.",
                    email=email,
                    partner=partner.name,
                )
            )
    return redirect(url_for("admin.edit_partner", partner_id=partner_id))
