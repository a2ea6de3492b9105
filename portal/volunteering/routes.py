"""Pages of volunteering: the schemes, one scheme, and the sign-up journey."""

from datetime import datetime, timedelta

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from portal.content import all_in_language, in_language, localised
from portal.extensions import db, limiter
from portal.forms import local_today
from portal.models import Referral
from portal.models._types import utcnow
from portal.reporting.forms import ConfirmationEmailForm
from portal.reporting.journey import answers_to_keep
from portal.reporting.render import render_questions
from portal.reporting.service import area_options, areas_for_page, find_draft, save_answers, start_draft
from portal.volunteering import bp
from portal.volunteering.forms import SendForm
from portal.volunteering.journey import (
    STEP_BY_SLUG,
    STEPS,
    age_on,
    date_of_birth,
    first_incomplete_step,
    next_step,
    previous_step,
    summary_rows,
)
from portal.volunteering.service import (
    AlreadyApplied,
    IncompleteApplication,
    NotEligible,
    SignUpRefused,
    can_join_from,
    find_scheme,
    listed_schemes,
    schemes_for_age,
    send_confirmation_email,
    signup_context,
    submit_application,
)

DRAFT_KEY = "volunteer_draft"  # {"id": the draft's id, "scheme": its scheme's slug}
CONFIRMATION_KEY = "volunteer_confirmation"
EARLIER_KEY = "volunteer_earlier_application"
CONFIRMATION_SHOWN_FOR = timedelta(minutes=30)


def current_draft(scheme):
    """This browser's unfinished sign-up to this scheme (a sign-up to another scheme is not carried over)."""
    kept = session.get(DRAFT_KEY)
    if not isinstance(kept, dict) or kept.get("scheme") != scheme.slug:
        return None
    return find_draft(kept.get("id"))


def _scheme_or_404(slug: str):
    return find_scheme(slug) or abort(404)


@bp.route("/")
def schemes():
    """Every volunteering scheme in the partnership, with whether it is taking volunteers."""
    return render_template("volunteering/schemes.html", schemes=all_in_language(listed_schemes()))


@bp.route("/<slug>/")
def scheme(slug: str):
    """What volunteers do on one scheme, who can join, and how to sign up (or where to, for a signpost)."""
    scheme = _scheme_or_404(slug)
    return render_template("volunteering/scheme.html", scheme=in_language(scheme), first_step=STEPS[0])


@bp.route("/<slug>/start")
def start_sign_up(slug: str):
    """Start signing up, or carry on with the sign-up to this scheme already begun in this browser."""
    scheme = _scheme_or_404(slug)
    if not scheme.takes_sign_ups:
        return redirect(url_for("volunteering.scheme", slug=slug))
    draft = current_draft(scheme)
    if draft is None or draft.referral_id is not None:
        session.pop(DRAFT_KEY, None)
        session.pop(CONFIRMATION_KEY, None)
        return redirect(url_for("volunteering.step", slug=slug, page=STEPS[0].slug))
    return redirect(url_for("volunteering.check_answers", slug=slug))


def _not_taking(scheme):
    """Where a sign-up page sends someone when it cannot be used now, or None when it can."""
    if not scheme.takes_sign_ups:
        return redirect(url_for("volunteering.scheme", slug=scheme.slug))
    draft = current_draft(scheme)
    if draft is not None and draft.referral_id is not None:
        return redirect(url_for("volunteering.confirmation", slug=scheme.slug))
    return None


@bp.route("/<slug>/<page>", methods=["GET", "POST"])
@limiter.limit("30 per minute; 300 per hour", methods=["POST"])
def step(slug: str, page: str):
    """One question page. Valid answers are saved to the draft at once, so nothing is lost going back."""
    scheme = _scheme_or_404(slug)
    step = STEP_BY_SLUG.get(page) or abort(404)
    elsewhere = _not_taking(scheme)
    if elsewhere is not None:
        return elsewhere
    draft = current_draft(scheme)
    if draft is None and step is not STEPS[0]:
        flash(_("Unfinished sign-ups are deleted after a few hours of not being used. Please start again."), "info")
        return redirect(url_for("volunteering.scheme", slug=slug))
    answers = draft.answers if draft else {}
    signup = signup_context(scheme)
    if not step.applies(answers, signup):
        return redirect(url_for("volunteering.check_answers", slug=slug))
    changing = request.args.get("change") == "1"
    areas = areas_for_page(step, changing=changing)
    if request.method == "POST":
        form = step.make_form(formdata=request.form, areas=areas, page=True)
        if form.validate():
            draft = draft or start_draft()
            save_answers(draft, step, answers_to_keep(step, form))
            session[DRAFT_KEY] = {"id": draft.id, "scheme": slug}
            following = _after(step, draft.answers, signup, areas, changing)  # before the commit expires what it reads
            db.session.commit()
            return redirect(following)
    else:
        form = step.make_form(answers, areas=areas, page=True)
    return render_template(
        "volunteering/step.html",
        scheme=in_language(scheme),
        step=step,
        form=form,
        back_url=_back(step, answers, signup, changing),
        changing=changing,
        render_questions=render_questions,
    )


def _back(step, answers, signup, changing: bool) -> str:
    slug = signup.scheme.slug
    if changing:
        return url_for("volunteering.check_answers", slug=slug)
    back = previous_step(step, answers, signup)
    return (
        url_for("volunteering.step", slug=slug, page=back.slug) if back else url_for("volunteering.scheme", slug=slug)
    )


def _after(step, answers, signup, areas, changing: bool) -> str:
    slug = signup.scheme.slug
    born = date_of_birth(answers)
    if born is not None and not signup.scheme.admits_age(age_on(born, signup.today)):
        return url_for("volunteering.not_eligible", slug=slug)
    if changing:  # back to check answers, unless the change brought in a question still to answer
        missing = first_incomplete_step(answers, signup, areas)
        if missing is None:
            return url_for("volunteering.check_answers", slug=slug)
        return url_for("volunteering.step", slug=slug, page=missing.slug, change="1")
    following = next_step(step, answers, signup)
    if following is None:
        return url_for("volunteering.check_answers", slug=slug)
    return url_for("volunteering.step", slug=slug, page=following.slug)


@bp.route("/<slug>/check-answers", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per hour", methods=["POST"])
def check_answers(slug: str):
    """Every answer that applies, with links to change it, then send."""
    scheme = _scheme_or_404(slug)
    elsewhere = _not_taking(scheme)
    if elsewhere is not None:
        return elsewhere
    draft = current_draft(scheme)
    if draft is None:
        return redirect(url_for("volunteering.scheme", slug=slug))
    signup, areas = signup_context(scheme), area_options()
    born = date_of_birth(draft.answers)
    if born is not None and not scheme.admits_age(age_on(born, signup.today)):
        return redirect(url_for("volunteering.not_eligible", slug=slug))  # e.g. a birthday since they said it
    missing = first_incomplete_step(draft.answers, signup, areas)
    if missing is not None:
        return redirect(url_for("volunteering.step", slug=slug, page=missing.slug))
    form = SendForm()
    if form.validate_on_submit():
        if form.website.data:  # only automated form-fillers see the honeypot field
            abort(400)
        try:
            referral = submit_application(draft, scheme, areas, signup.today)
        except AlreadyApplied as refused:
            db.session.rollback()
            db.session.refresh(draft)
            if draft.referral_id != refused.earlier.id:
                return _refused(scheme, refused)
            referral = refused.earlier  # a double click: the first click's application, not someone else's
        except SignUpRefused as refused:
            db.session.rollback()
            return _refused(scheme, refused)
        reference = referral.reference  # before the commit expires it
        db.session.commit()
        session[CONFIRMATION_KEY] = {"reference": reference, "scheme": slug, "at": utcnow().isoformat()}
        return redirect(url_for("volunteering.confirmation", slug=slug))
    return render_template(
        "volunteering/check_answers.html",
        scheme=in_language(scheme),
        form=form,
        sections=summary_rows(draft.answers, signup, areas),
    )


def _refused(scheme, refused: SignUpRefused):
    if isinstance(refused, IncompleteApplication):
        return redirect(url_for("volunteering.step", slug=scheme.slug, page=refused.step.slug))
    if isinstance(refused, NotEligible):
        return redirect(url_for("volunteering.not_eligible", slug=scheme.slug))
    if isinstance(refused, AlreadyApplied):
        session[EARLIER_KEY] = {"reference": refused.earlier.reference, "scheme": scheme.slug}
        return redirect(url_for("volunteering.already_applied", slug=scheme.slug))
    return redirect(url_for("volunteering.scheme", slug=scheme.slug))


@bp.route("/<slug>/not-eligible")
def not_eligible(slug: str):
    """Too young or too old for this scheme: said kindly, with the schemes they can join instead."""
    scheme = _scheme_or_404(slug)
    draft = current_draft(scheme)
    born = date_of_birth(draft.answers) if draft is not None else None
    if born is None:
        return redirect(url_for("volunteering.scheme", slug=slug))
    age = age_on(born, local_today())
    if scheme.admits_age(age):
        return redirect(url_for("volunteering.check_answers", slug=slug))
    too_young = scheme.min_age is not None and age < scheme.min_age
    return render_template(
        "volunteering/not_eligible.html",
        scheme=in_language(scheme),
        too_young=too_young,
        can_join_from=can_join_from(scheme, born) if too_young else None,
        suggestions=all_in_language(schemes_for_age(age, leaving_out=scheme)),
    )


@bp.route("/<slug>/already-applied")
def already_applied(slug: str):
    """The same person applied to this scheme in the last 30 days: their earlier reference, not a second one."""
    scheme = _scheme_or_404(slug)
    earlier = session.get(EARLIER_KEY) or {}
    if not isinstance(earlier, dict) or earlier.get("scheme") != slug:
        return redirect(url_for("volunteering.scheme", slug=slug))
    return render_template(
        "volunteering/already_applied.html", scheme=in_language(scheme), reference=earlier.get("reference")
    )


def _fresh_confirmation(slug: str) -> dict | None:
    shown = session.get(CONFIRMATION_KEY) or {}
    try:
        fresh = shown["scheme"] == slug and utcnow() - datetime.fromisoformat(shown["at"]) < CONFIRMATION_SHOWN_FOR
    except (KeyError, TypeError, ValueError):
        fresh = False
    return shown if fresh else None


@bp.route("/<slug>/confirmation", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def confirmation(slug: str):
    """The reference for the application just sent: from the session (never the URL), for a short while."""
    scheme = _scheme_or_404(slug)
    shown = _fresh_confirmation(slug)
    if shown is None:
        session.pop(CONFIRMATION_KEY, None)
        return redirect(url_for("volunteering.scheme", slug=slug))
    reference = shown["reference"]
    form = ConfirmationEmailForm()
    if form.validate_on_submit():
        send_confirmation_email(reference, localised(scheme, "name"), form.email.data)
        db.session.commit()
        flash(_("We will email your reference to the address you gave in the next few minutes."), "success")
        return redirect(url_for("volunteering.confirmation", slug=slug))
    referral = db.session.execute(db.select(Referral).filter_by(reference=reference)).scalar_one_or_none()
    return render_template(
        "volunteering/confirmation.html",
        scheme=in_language(scheme),
        reference=reference,
        form=form,
        sent_to_partner=bool(referral is not None and referral.routes),
    )
