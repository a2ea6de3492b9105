"""Staff pages: the queue and a referral."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.forms import choice_values, choices
from portal.reporting.service import report_summary
from portal.routing.service import RoutingError, active_partners, route_referral_to
from portal.triage import bp
from portal.triage.forms import RouteForm
from portal.triage.service import find_referral, list_queue, view_referral


@bp.route("/queue")
def queue():
    """Every referral, newest first."""
    return render_template("triage/queue.html", referrals=list_queue())


def _route_form(referral) -> RouteForm:
    form = RouteForm()
    routed = {route.partner_id for route in referral.routes}
    form.partner.choices = choices((p.id, p.name) for p in active_partners() if p.id not in routed)
    return form


@bp.route("/referrals/<reference>", methods=["GET"])
def referral(reference: str):
    """One referral: the resident's answers, where it has been sent, and its history."""
    referral = find_referral(reference) or abort(404)
    view_referral(referral, current_user)
    db.session.commit()
    return _referral_page(find_referral(reference), _route_form(referral))


@bp.route("/referrals/<reference>/route", methods=["POST"])
def route(reference: str):
    """Send the referral to the chosen partner; the email is queued in the same commit."""
    referral = find_referral(reference) or abort(404)
    form = _route_form(referral)
    if form.validate_on_submit():
        try:
            if form.partner.data not in choice_values(form.partner):
                raise RoutingError(_("Select a partner from the list"))
            route = route_referral_to(referral, form.partner.data, current_user)
        except RoutingError as error:
            db.session.rollback()
            form.partner.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                _("Referral %(reference)s routed to %(partner)s.", reference=reference, partner=route.partner.name),
                "success",
            )
            return redirect(url_for("triage.referral", reference=reference))
    return _referral_page(find_referral(reference), form)


def _referral_page(referral, form):
    return render_template(
        "triage/referral.html", referral=referral, form=form, answer_sections=report_summary(referral)
    )
