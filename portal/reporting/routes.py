"""Pages of the hate-incident reporting journey."""

from datetime import datetime, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from portal.content import all_in_language
from portal.extensions import db, limiter
from portal.models._types import utcnow
from portal.reporting import bp
from portal.reporting.forms import ConfirmationEmailForm, EmergencyForm, SendForm
from portal.reporting.journey import (
    STEP_BY_SLUG,
    STEPS,
    answers_to_keep,
    first_incomplete_step,
    next_step,
    previous_step,
    summary_rows,
)
from portal.reporting.render import render_questions
from portal.reporting.service import (
    IncompleteReport,
    area_options,
    areas_for_page,
    find_draft,
    save_answers,
    send_confirmation_email,
    start_draft,
    submit_draft,
    suggested_support,
)

DRAFT_KEY = "report_draft"
CONFIRMATION_KEY = "report_confirmation"
# How long the confirmation page keeps showing the reference in this browser.
CONFIRMATION_SHOWN_FOR = timedelta(minutes=30)


def current_draft():
    return find_draft(session.get(DRAFT_KEY))


@bp.route("/", methods=["GET", "POST"])
@limiter.limit("30 per minute; 300 per hour", methods=["POST"])
def emergency():
    """First, the emergency gate: anyone in danger now is told to call 999 and goes no further."""
    form = EmergencyForm()
    if form.validate_on_submit():
        if form.in_danger.data == "yes":
            return redirect(url_for("reporting.call_999"))
        return redirect(url_for("reporting.start"))
    return render_template("reporting/emergency.html", form=form)


@bp.route("/call-999")
def call_999():
    return render_template("reporting/call_999.html")


@bp.route("/start")
def start():
    """What reporting involves, how to stay safe online, and what happens next."""
    return render_template("reporting/start.html", first_step=STEPS[0])


@bp.route("/new")
def new_report():
    """Forget the last report in this browser and begin another."""
    session.pop(DRAFT_KEY, None)
    session.pop(CONFIRMATION_KEY, None)
    return redirect(url_for("reporting.emergency"))


@bp.route("/exit")
def exit_page():
    """Exit this page: delete the unfinished report and this browser's session, then leave for a neutral site."""
    draft = current_draft()
    if draft is not None and draft.referral_id is None:
        db.session.delete(draft)
        db.session.commit()
    session.clear()
    return redirect(current_app.config["EXIT_PAGE_URL"])


@bp.route("/<slug>", methods=["GET", "POST"])
@limiter.limit("30 per minute; 300 per hour", methods=["POST"])
def step(slug: str):
    """One question page. Valid answers are saved to the draft at once, so nothing is lost going back."""
    step = STEP_BY_SLUG.get(slug) or abort(404)
    draft = current_draft()
    if draft is not None and draft.referral_id is not None:
        return redirect(url_for("reporting.confirmation"))
    if draft is None and step is not STEPS[0]:
        flash(
            _(
                "For your safety, unfinished reports are deleted after a few hours of not being used. "
                "Please start again."
            ),
            "info",
        )
        return redirect(url_for("reporting.start"))
    answers = draft.answers if draft else {}
    changing = request.args.get("change") == "1"
    areas = areas_for_page(step, changing=changing)
    if request.method == "POST":
        form = step.make_form(formdata=request.form, areas=areas, page=True)
        if form.validate():
            draft = draft or start_draft()
            save_answers(draft, step, answers_to_keep(step, form))
            session[DRAFT_KEY] = draft.id
            following = _after(step, draft.answers, areas, changing)  # before the commit expires what it reads
            db.session.commit()
            return redirect(following)
    else:
        form = step.make_form(answers, areas=areas, page=True)
    back = previous_step(step, answers)
    back_url = (
        url_for("reporting.check_answers")
        if changing
        else (url_for("reporting.step", slug=back.slug) if back else url_for("reporting.start"))
    )
    return render_template(
        "reporting/step.html",
        step=step,
        form=form,
        back_url=back_url,
        changing=changing,
        render_questions=render_questions,
    )


def _after(step, answers, areas, changing: bool) -> str:
    if changing:  # back to check answers, unless the change brought in a question still to answer
        missing = first_incomplete_step(answers, areas)
        if missing is None:
            return url_for("reporting.check_answers")
        return url_for("reporting.step", slug=missing.slug, change="1")
    following = next_step(step, answers)
    return url_for("reporting.step", slug=following.slug) if following else url_for("reporting.check_answers")


@bp.route("/check-answers", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per hour", methods=["POST"])
def check_answers():
    """Every answer that applies, with links to change it, then the declaration and send."""
    draft = current_draft()
    if draft is None:
        return redirect(url_for("reporting.start"))
    if draft.referral_id is not None:
        return redirect(url_for("reporting.confirmation"))
    areas = area_options()
    missing = first_incomplete_step(draft.answers, areas)
    if missing is not None:
        return redirect(url_for("reporting.step", slug=missing.slug))
    form = SendForm()
    if form.validate_on_submit():
        if form.website.data:  # only automated form-fillers see the honeypot field
            abort(400)
        try:
            referral = submit_draft(draft, areas)
        except IncompleteReport as incomplete:
            return redirect(url_for("reporting.step", slug=incomplete.step.slug))
        reference = referral.reference  # before the commit expires it
        db.session.commit()
        session[CONFIRMATION_KEY] = {"reference": reference, "at": utcnow().isoformat()}
        return redirect(url_for("reporting.confirmation"))
    return render_template("reporting/check_answers.html", form=form, sections=summary_rows(draft.answers, areas))


@bp.route("/confirmation", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def confirmation():
    """The reference for the report just sent: from the session (never the URL), for a short while only,
    so someone else using the same browser later cannot see it."""
    shown = session.get(CONFIRMATION_KEY) or {}
    try:
        fresh = utcnow() - datetime.fromisoformat(shown["at"]) < CONFIRMATION_SHOWN_FOR
    except (KeyError, TypeError, ValueError):
        fresh = False
    if not fresh:
        session.pop(CONFIRMATION_KEY, None)
        return redirect(url_for("reporting.emergency"))
    reference = shown["reference"]
    form = ConfirmationEmailForm()
    if form.validate_on_submit():
        send_confirmation_email(reference, form.email.data)
        db.session.commit()
        flash(_("We will email your reference to the address you gave in the next few minutes."), "success")
        return redirect(url_for("reporting.confirmation"))
    return render_template(
        "reporting/confirmation.html",
        reference=reference,
        form=form,
        services=all_in_language(suggested_support(reference)),
    )
