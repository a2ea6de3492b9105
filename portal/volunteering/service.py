"""Business rules of volunteering: which schemes someone can join, and turning a sign-up into a referral
for the triage queue, once (sent straight to the scheme's partner when the scheme routes automatically)."""

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import false, or_

from portal.extensions import db
from portal.forms import local_today
from portal.models import (
    EventType,
    Referral,
    ReferralKind,
    ReportDraft,
    SchemeStatus,
    StaffUser,
    VolunteerApplication,
    VolunteerOutcome,
    VolunteerScheme,
)
from portal.models._types import utcnow
from portal.reporting.journey import Row, checked_form, summarise
from portal.reporting.service import area_options, commit_draft_once, new_referral
from portal.routing.outbox import enqueue_email
from portal.routing.service import AUTOMATIC_ROUTE, RoutingError, route_referral
from portal.statistics import note_volunteer_outcome
from portal.volunteering.journey import (
    STEPS,
    Answers,
    SignUp,
    SignUpStep,
    age_on,
    applicable_steps,
    first_incomplete_step,
)

# The same person applying to the same scheme again within this time is told about their first application.
DUPLICATE_WINDOW = timedelta(days=30)


class VolunteeringError(Exception):
    """A decision about an application that cannot be recorded; the message is for staff."""


class SignUpRefused(Exception):
    """A sign-up that cannot become an application; the resident is shown why, and what they can do."""


class SchemeNotTakingSignUps(SignUpRefused):
    pass


class IncompleteApplication(SignUpRefused):
    def __init__(self, step: SignUpStep):
        super().__init__(step.slug)
        self.step = step


class NotEligible(SignUpRefused):
    def __init__(self, age: int):
        super().__init__(age)
        self.age = age


class AlreadyApplied(SignUpRefused):
    def __init__(self, earlier: Referral):
        super().__init__(earlier.reference)
        self.earlier = earlier


# --- Schemes ---


def listed_schemes() -> list[VolunteerScheme]:
    """Every scheme, in the order admins set: open ones, waiting lists, closed ones and signposts."""
    query = db.select(VolunteerScheme).order_by(VolunteerScheme.position, VolunteerScheme.name)
    return list(db.session.execute(query).scalars())


_SLUG = re.compile(r"^[a-z0-9-]{1,64}$")


def find_scheme(slug: str) -> VolunteerScheme | None:
    if not _SLUG.match(slug or ""):  # nothing odd (a NUL, say) goes near the database
        return None
    return db.session.execute(db.select(VolunteerScheme).filter_by(slug=slug)).scalar_one_or_none()


def schemes_for_age(age: int | None, *, leaving_out: VolunteerScheme | None = None) -> list[VolunteerScheme]:
    """Schemes someone of this age can join now (and the signposts to volunteering elsewhere)."""
    return [
        scheme
        for scheme in listed_schemes()
        if scheme is not leaving_out
        and (scheme.signpost_only or (scheme.takes_sign_ups and age is not None and scheme.admits_age(age)))
    ]


def birthday(born: date, age: int) -> date:
    """The day someone turns `age`: 1 March for a 29 February birthday in a year that is not a leap year."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return date(born.year + age, 3, 1)


def can_join_from(scheme: VolunteerScheme, born: date) -> date | None:
    """For someone too young for a scheme, the day they can apply."""
    return birthday(born, scheme.min_age) if scheme.min_age is not None else None


def check_eligibility(scheme: VolunteerScheme, born: date, today: date) -> int:
    """The applicant's age on `today`; NotEligible when the scheme does not take people of that age."""
    age = age_on(born, today)
    if not scheme.admits_age(age):
        raise NotEligible(age)
    return age


def signup_context(scheme: VolunteerScheme, today: date | None = None) -> SignUp:
    """Ages are counted on today's date in the partnership's time zone, the day the sign-up is sent."""
    return SignUp(scheme, today or local_today())


# --- Sending an application ---


def submit_application(draft: ReportDraft, scheme: VolunteerScheme, areas, today: date | None = None) -> Referral:
    """Turn a complete sign-up into a referral for the triage queue, once: a second submit of the same
    draft returns the referral the first one made. Refuses a closed scheme, an applicant the scheme does
    not take at their age today, and someone who applied to the same scheme in the last 30 days.
    An automatically routed scheme's Route and email are written in the same unit of work."""
    if draft.referral_id is not None:
        return db.session.get(Referral, draft.referral_id)
    if not scheme.takes_sign_ups:
        raise SchemeNotTakingSignUps(scheme.slug)
    signup = signup_context(scheme, today)
    missing = first_incomplete_step(draft.answers, signup, areas)
    if missing is not None:
        raise IncompleteApplication(missing)
    application = build_application(draft.answers, signup, areas)
    earlier = find_earlier_application(scheme, application.full_name, application.date_of_birth, application.email)
    if earlier is not None:
        raise AlreadyApplied(earlier)
    referral = new_referral(ReferralKind.VOLUNTEER)
    application.referral = referral
    referral.area_id = application.area_id
    referral.record(EventType.CREATED, actor_label="Resident (online form)", scheme=scheme.name)
    if scheme.status == SchemeStatus.WAITING_LIST:
        application.outcome = VolunteerOutcome.WAITING_LIST
        referral.record(EventType.OUTCOME_SET, actor_label="Automatic (scheme rule)", outcome=application.outcome)
    committed = commit_draft_once(draft, referral)
    if committed is referral:  # not a second submit of a draft that already became a referral
        route_automatically(referral, scheme)
        db.session.flush()
    return committed


def build_application(answers: Answers, signup: SignUp, areas) -> VolunteerApplication:
    """A new application holding exactly the answers that apply; NotEligible at the applicant's age."""
    application = VolunteerApplication(scheme_id=signup.scheme.id)
    for step in applicable_steps(answers, signup):
        form, _valid = checked_form(step, answers, areas)
        for question in step.questions(form):
            setattr(application, question.name, question.data if step.asked(form, question) else None)
    application.available_days = application.available_days or []
    application.available_times = application.available_times or []
    application.age_at_application = check_eligibility(signup.scheme, application.date_of_birth, signup.today)
    return application


def _same_name(first: str, second: str) -> bool:
    return " ".join(first.casefold().split()) == " ".join(second.casefold().split())


def find_earlier_application(scheme: VolunteerScheme, full_name: str, born: date, email: str | None) -> Referral | None:
    """The same person's application to this scheme in the last 30 days (same email address, or same
    name and date of birth), unless they withdrew it."""
    by_email = db.func.lower(VolunteerApplication.email) == email.lower() if email else false()
    query = (
        db.select(VolunteerApplication)
        .join(Referral, Referral.id == VolunteerApplication.referral_id)
        .where(
            VolunteerApplication.scheme_id == scheme.id,
            Referral.created_at >= utcnow() - DUPLICATE_WINDOW,
            or_(VolunteerApplication.outcome.is_(None), VolunteerApplication.outcome != VolunteerOutcome.WITHDRAWN),
            or_(VolunteerApplication.date_of_birth == born, by_email),
        )
        .order_by(Referral.created_at)
    )
    for earlier in db.session.execute(query).scalars():
        same_email = email and earlier.email and earlier.email.casefold() == email.casefold()
        if same_email or (earlier.date_of_birth == born and _same_name(earlier.full_name, full_name)):
            return earlier.referral
    return None


def route_automatically(referral: Referral, scheme: VolunteerScheme):
    """Send the application straight to the scheme's partner, when the scheme says so and the partner is
    taking referrals; otherwise it waits in the queue for an officer to route."""
    partner = scheme.partner
    if not scheme.auto_route or partner is None or not partner.active:
        return None
    try:
        with db.session.begin_nested():
            return route_referral(referral, partner, None)
    except RoutingError as error:  # never lose the application over it: triage routes it by hand
        referral.record(EventType.NOTE, actor_label=AUTOMATIC_ROUTE, text=str(error))
        return None


def send_confirmation_email(reference: str, scheme_name: str, email: str) -> None:
    """A confirmation the applicant asked for: the reference and the scheme, nothing else they told us."""
    enqueue_email(
        recipient=email,
        subject=_("Your volunteer application reference %(reference)s", reference=reference),
        body_text=render_template("emails/volunteer_confirmation.txt", reference=reference, scheme_name=scheme_name),
    )
    db.session.flush()


# --- For staff ---


def _raw(value) -> list[str]:
    """An answer as the form would have posted it."""
    if value is None or value is False or value == "" or value == []:
        return []
    if value is True:
        return ["y"]
    if isinstance(value, date):
        return [str(value.day), str(value.month), str(value.year)]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def answers_from_application(application: VolunteerApplication) -> Answers:
    """A committed application's answers in the sign-up's shape."""
    answers: Answers = {}
    for step in STEPS:
        page = {}
        for question in step.questions(step.make_form()):
            values = _raw(getattr(application, question.name))
            if values:
                page[question.name] = values
        if page:
            answers[step.slug] = page
    return answers


def submitted_on(referral: Referral) -> date:
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/London"))
    return referral.created_at.astimezone(zone).date()


def application_summary(referral: Referral) -> list[tuple[str, list[Row]]]:
    """A committed application's answers grouped and worded as on the applicant's check-answers page,
    for the staff referral page (with the scheme first)."""
    application = getattr(referral, "volunteer_application", None)
    if application is None:
        return []
    signup = SignUp(application.scheme, submitted_on(referral))
    scheme_row = Row(str(_("Scheme")), application.scheme.name, "scheme", "scheme")
    answers = answers_from_application(application)
    # What was stored is shown even if the scheme's settings have changed since (a carer page, say).
    steps = [step for step in STEPS if step.slug in answers or step.applies(answers, signup)]
    sections = summarise(steps, answers, area_options(include_retired=True), sent=True)
    return [(_("Scheme"), [scheme_row]), *sections]


def set_volunteer_outcome(
    referral: Referral, outcome: str, *, actor: StaffUser | None = None, actor_label: str | None = None
) -> VolunteerApplication:
    """Record what became of an application (accepted, waiting list, not progressed, withdrawn), by staff
    or by the partner, with an event in the referral's history. Setting the same outcome again does nothing."""
    application = getattr(referral, "volunteer_application", None)
    if application is None:
        raise VolunteeringError(_("Only volunteer applications have an outcome"))
    try:
        outcome = VolunteerOutcome(outcome)
    except ValueError:
        raise VolunteeringError(_("Select an outcome from the list")) from None
    if application.outcome == outcome:
        return application
    previous = application.outcome
    application.outcome = outcome
    note_volunteer_outcome(referral, outcome.value)
    referral.record(
        EventType.OUTCOME_SET, actor=actor, actor_label=actor_label, outcome=outcome.value, previous=previous
    )
    db.session.flush()
    return application
