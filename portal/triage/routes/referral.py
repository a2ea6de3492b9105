"""A referral's page and the decisions officers make on it. Every decision is a POST that redirects back
(so a refresh never repeats it); a form with errors is shown again with the officer's answers."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.forms import choices
from portal.models import Classification, CloseOutcome, Priority, ReferralStatus, StaffUser, TemplatePurpose
from portal.reporting.service import report_summary
from portal.routing.service import RoutingError, route_options, route_referral_to
from portal.templating import widgets_drawn_once
from portal.triage import bp, service
from portal.triage import forms as f
from portal.triage.history import history_entries
from portal.triage.service import TriageError, find_referral
from portal.volunteering.service import VolunteeringError, application_summary, set_volunteer_outcome

FORMS = {
    "claim": f.ClaimForm,
    "release": f.ReleaseForm,
    "assign": f.AssignForm,
    "priority": f.PriorityForm,
    "classify": f.ClassifyForm,
    "duplicate": f.DuplicateForm,
    "note": f.NoteForm,
    "reporter": f.ReporterUpdateForm,
    "close": f.CloseForm,
    "route": f.RouteForm,
    "outcome": f.OutcomeForm,
}


def build_forms(referral, submitted: str | None = None) -> dict:
    """The forms of the page: the decisions it offers this officer on this referral, and the one `submitted` (to
    show again with its errors), each under its own prefix so their fields never share an id. The page shows each
    form built, and only those: building the ones it would not show (and working out the partners for a closed
    referral) was a tenth of its time."""
    forms = {}
    wanted = offered(referral, current_user) | {submitted}
    for name, form_class in FORMS.items():
        if name not in wanted:
            continue
        form = form_class(prefix=name) if name == submitted else form_class(prefix=name, formdata=None)
        if "version" in form and name != submitted:
            form.version.data = str(referral.version)
        forms[name] = form
    if "route" in forms:
        options = route_options(referral)
        route_form = forms["route"]
        route_form.partners.choices = choices((option.partner.id, option.partner.name) for option in options)
        route_form.options = options
        route_form.consent_needed = frozenset(str(o.partner.id) for o in options if o.missing_consent)
        if submitted != "route":
            route_form.partners.data = [str(o.partner.id) for o in options if o.reasons and not o.missing_consent]
    forms["assign"].assignee.choices = choices(
        [("", _("Choose an officer"))] + [(o.id, o.name) for o in service.active_officers()]
    )
    templates = service.response_templates()
    for name, purpose in (("note", TemplatePurpose.NOTE), ("reporter", TemplatePurpose.REPORTER_UPDATE)):
        if name in forms:
            forms[name].template.choices = choices(
                [("", _("No template"))] + [(t.id, t.name) for t in templates if t.purpose == purpose]
            )
    return forms


def offered(referral, officer) -> set[str]:
    """The decisions the page offers `officer` on `referral`."""
    names = {"assign", "priority", "duplicate", "note"}
    if referral.assigned_to_id is None:
        names.add("claim")
    elif referral.assigned_to_id == officer.id:
        names.add("release")
    if referral.hate_incident is not None:
        names.add("classify")
    if referral.volunteer_application is not None:
        names.add("outcome")
    if referral.status != ReferralStatus.CLOSED:
        names |= {"close", "route"}
    if service.reporter_email(referral):
        names.add("reporter")
    return names


def render_referral(referral, forms, view=None):
    """The page, with the history as it stands, and the officer's `view` at its end when this is one."""
    options = forms["route"].options if "route" in forms else ()
    with widgets_drawn_once():  # the decisions' fields: their params are our words, admins' and the fixed options
        return render_template(
            "triage/referral.html",
            referral=referral,
            forms=forms,
            route_items=[{"hint": {"text": option.hint}} if option.hint else {} for option in options],
            sections=summary_for(referral),
            history=history_entries([*referral.events, view] if view else referral.events),
        )


def summary_for(referral):
    if referral.hate_incident is not None:
        return report_summary(referral)
    return application_summary(referral)


@bp.route("/referrals/<reference>", methods=["GET"])
def referral(reference: str):
    """One referral: the resident's answers, who has it, where it has been sent, and its history."""
    referral = find_referral(reference) or abort(404)
    # The page is drawn from what is already loaded, the view included, and only then is the view written and
    # committed: the referral is not loaded twice, and on SQLite the write lock is held for the commit alone, not
    # while the page is drawn, so officers opening referrals do not queue behind each other. The page is sent
    # only once the view is in the history.
    view = service.view_referral(referral, current_user)
    page = render_referral(referral, build_forms(referral), view)
    service.record_view(view)
    db.session.commit()
    return page


@bp.route("/referrals/<reference>/<action>", methods=["POST"])
def decide(reference: str, action: str):
    """Carry out one decision (claim, assign, priority, note, close, route…) and come back to the page."""
    if action not in FORMS:
        abort(404)
    referral = find_referral(reference) or abort(404)
    forms = build_forms(referral, submitted=action)
    form = forms[action]
    if form.validate_on_submit():
        try:
            message = DECISIONS[action](referral, form)
        except (TriageError, RoutingError, VolunteeringError) as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for("triage.referral", reference=reference))
        db.session.commit()
        flash(message, "success")
        return redirect(url_for("triage.referral", reference=reference))
    return render_referral(find_referral(reference), forms)


def _claim(referral, form):
    service.claim_referral(referral, current_user)
    return _("You have claimed %(reference)s.", reference=referral.reference)


def _release(referral, form):
    service.release_referral(referral, form.version_number(), current_user)
    return _("%(reference)s is back in the queue for anyone to claim.", reference=referral.reference)


def _assign(referral, form):
    assignee = db.session.get(StaffUser, int(form.assignee.data))
    service.assign_referral(referral, form.version_number(), current_user, assignee)
    return _("%(reference)s is now with %(name)s.", reference=referral.reference, name=assignee.name)


def _priority(referral, form):
    service.set_priority(
        referral, form.version_number(), current_user, Priority(form.priority.data), form.priority_reason.data
    )
    return _("Priority saved.")


def _classify(referral, form):
    service.classify_referral(referral, form.version_number(), current_user, Classification(form.classification.data))
    return _("Classification saved.")


def _duplicate(referral, form):
    original = service.link_duplicate(referral, form.version_number(), current_user, form.original.data)
    return _("Linked as a duplicate of %(reference)s.", reference=original.reference)


def _templated_text(form) -> str:
    if form.text.data:
        return form.text.data
    purpose = _purpose(form)
    template = next(t for t in service.response_templates() if t.purpose == purpose and str(t.id) == form.template.data)
    return template.body


def _purpose(form):
    return TemplatePurpose.NOTE if isinstance(form, f.NoteForm) else TemplatePurpose.REPORTER_UPDATE


def _note(referral, form):
    service.add_note(referral, current_user, _templated_text(form))
    return _("Note added.")


def _update_reporter(referral, form):
    service.update_reporter(referral, current_user, _templated_text(form))
    return _("Your update will be emailed to the reporter in the next few minutes.")


def _close(referral, form):
    service.close_referral(
        referral, form.version_number(), current_user, CloseOutcome(form.outcome.data), form.close_reason.data
    )
    return _("%(reference)s is closed.", reference=referral.reference)


def _route(referral, form):
    names = []
    for partner_id in form.partners.data:
        override = form.override_reason.data if partner_id in form.consent_needed else ""
        names.append(route_referral_to(referral, partner_id, current_user, override_reason=override).partner.name)
    return _("Referral %(reference)s sent to %(partners)s.", reference=referral.reference, partners=", ".join(names))


def _outcome(referral, form):
    set_volunteer_outcome(referral, form.outcome.data, actor=current_user)
    return _("Outcome saved.")


DECISIONS = {
    "claim": _claim,
    "release": _release,
    "assign": _assign,
    "priority": _priority,
    "classify": _classify,
    "duplicate": _duplicate,
    "note": _note,
    "reporter": _update_reporter,
    "close": _close,
    "route": _route,
    "outcome": _outcome,
}
