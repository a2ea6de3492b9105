"""The partner's view of a referral through its signed link, /partner/r/<token>, and what it can do there.

Every action is a POST that redirects back to the link (so a refresh never repeats it). A link that is not
ours, was altered, or names a route of another partner is a plain 404: the page never says whether a
referral exists. An expired link can only ask for a fresh one, sent to the partner's confirmed addresses.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from portal.extensions import db, limiter
from portal.models import ReferralKind, RouteStatus
from portal.partner import bp
from portal.partner.forms import AcknowledgeForm, HandBackForm, NewLinkForm, OutcomeForm
from portal.partner.service import (
    RESEND_INTERVAL,
    OpenedLink,
    PartnerActionError,
    acknowledge_route,
    hand_back_route,
    is_read_only,
    last_resent_at,
    open_route_link,
    record_partner_outcome,
    resend_route_link,
    runs_the_scheme,
    view_route,
)
from portal.routing.emails import one_line_summary
from portal.routing.service import partner_sections

PAGE_LIMIT = "60 per minute"
ACTION_LIMIT = "20 per minute"


def _open(token: str) -> OpenedLink:
    return open_route_link(token) or abort(404)


@bp.route("/r/<token>", methods=["GET"])
@limiter.limit(PAGE_LIMIT)
def referral(token: str):
    """The referral as this partner may see it, with what it can do. Every view is recorded."""
    link = _open(token)
    route = link.route
    if not route.partner.active:
        return render_template("partner/no_longer_partner.html", partner=route.partner)
    if link.expired:
        return render_expired(route, token, NewLinkForm(formdata=None))
    return render_referral(route, token)


def render_referral(route, token: str, **forms):
    """The page, with any submitted form (and its errors) in place of a blank one. Showing it is a view."""
    view_route(route)
    db.session.commit()
    forms = {
        "acknowledge": AcknowledgeForm(formdata=None),
        "hand_back": HandBackForm(formdata=None),
        "outcome": OutcomeForm(formdata=None),
    } | forms
    if route.referral.kind == ReferralKind.VOLUNTEER and not forms["outcome"].outcome.data:
        forms["outcome"].outcome.data = route.referral.volunteer_application.outcome
    read_only = is_read_only(route)
    return render_template(
        "partner/referral.html",
        token=token,
        route=route,
        referral=route.referral,
        partner=route.partner,
        read_only=read_only,
        acknowledged=route.status == RouteStatus.ACKNOWLEDGED,
        records_outcome=runs_the_scheme(route),
        summary=one_line_summary(route),
        sections=[] if read_only else partner_sections(route),
        forms=forms,
    )


def render_expired(route, token: str, form):
    sent_at = last_resent_at(route)
    return render_template(
        "partner/link_expired.html",
        token=token,
        partner=route.partner,
        form=form,
        sent_at=sent_at,
        next_at=sent_at + RESEND_INTERVAL if sent_at else None,
    )


def _act(token: str, name: str, form, action):
    """Carry out one action on a live link and come back to the page; a form with errors is shown again."""
    link = _open(token)
    if link.expired or not link.route.partner.active:
        return redirect(url_for("partner.referral", token=token))
    if not form.validate_on_submit():
        return render_referral(link.route, token, **{name: form})
    try:
        message = action(link.route, form)
    except PartnerActionError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("partner.referral", token=token))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("partner.referral", token=token))


@bp.route("/r/<token>/acknowledge", methods=["POST"])
@limiter.limit(ACTION_LIMIT)
def acknowledge(token: str):
    """The partner has the referral: the triage team sees it acknowledged."""
    return _act(token, "acknowledge", AcknowledgeForm(), _acknowledge)


def _acknowledge(route, form) -> str:
    if acknowledge_route(route):
        return _("You have acknowledged referral %(reference)s.", reference=route.referral.reference)
    return _("You had already acknowledged referral %(reference)s.", reference=route.referral.reference)


@bp.route("/r/<token>/hand-back", methods=["POST"])
@limiter.limit(ACTION_LIMIT)
def hand_back(token: str):
    """Return the referral to the triage team, with the partner's reason."""
    return _act(token, "hand_back", HandBackForm(), _hand_back)


def _hand_back(route, form) -> str:
    if hand_back_route(route, form.reason.data):
        return _("You have handed referral %(reference)s back to the triage team.", reference=route.referral.reference)
    return _("You had already handed referral %(reference)s back.", reference=route.referral.reference)


@bp.route("/r/<token>/outcome", methods=["POST"])
@limiter.limit(ACTION_LIMIT)
def outcome(token: str):
    """What became of a volunteer's application, as the scheme's partner tells us."""
    return _act(token, "outcome", OutcomeForm(), _outcome)


def _outcome(route, form) -> str:
    record_partner_outcome(route, form.outcome.data)
    return _("Outcome saved.")


@bp.route("/r/<token>/new-link", methods=["POST"])
@limiter.limit("3 per hour")
def new_link(token: str):
    """Send a fresh link to the partner's confirmed addresses (never to one typed here), without saying
    what they are."""
    link = _open(token)
    route = link.route
    if not route.partner.active or not link.expired:
        return redirect(url_for("partner.referral", token=token))
    form = NewLinkForm()
    if not form.validate_on_submit():
        return render_expired(route, token, form)
    try:
        resend_route_link(route)
    except PartnerActionError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("partner.referral", token=token))
    db.session.commit()
    flash(
        _("We have sent a new link to the addresses %(partner)s has confirmed with us.", partner=route.partner.name),
        "success",
    )
    return redirect(url_for("partner.referral", token=token))
