"""The volunteer sign-up: its question pages in order, which apply to whom, and the summary of answers.

Built like the reporting journey (portal/reporting/journey.py), whose Step, Row and helpers it reuses;
here whether a page applies also depends on the scheme and on the day (a carer's consent is asked for
only when the scheme needs it and the applicant is under 18 on that day).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from portal.models import VolunteerScheme
from portal.reporting.journey import Answers, Row, Step, checked_form, summarise
from portal.volunteering import forms


@dataclass(frozen=True)
class SignUp:
    """What the pages depend on besides the answers: the scheme, and the day the age is counted on."""

    scheme: VolunteerScheme
    today: date


def _always(answers: Answers, signup: SignUp) -> bool:
    return True


@dataclass(frozen=True)
class SignUpStep(Step):
    applies: Callable[[Answers, SignUp], bool] = _always


def age_on(born: date, day: date) -> int:
    """Age in whole years on `day`. Someone born on 29 February has their birthday on 1 March in a year
    that is not a leap year (the rule in England and Wales): on 28 February they are still a year younger."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def date_of_birth(answers: Answers) -> date | None:
    parts = answers.get("date-of-birth", {}).get("date_of_birth") or []
    try:
        day, month, year = (int(part) for part in parts)
        return date(year, month, day)
    except (TypeError, ValueError, OverflowError):
        return None


def age_from(answers: Answers, today: date) -> int | None:
    born = date_of_birth(answers)
    return age_on(born, today) if born else None


def _needs_carer(answers: Answers, signup: SignUp) -> bool:
    return signup.scheme.needs_carer(age_from(answers, signup.today))


CONTACT = {"spellcheck": False}
STEPS = [
    SignUpStep(
        "name",
        forms.NameForm,
        _l("What is your full name?"),
        _l("About you"),
        heading_field="full_name",
        params={"full_name": {"autocomplete": "name", "spellcheck": False}},
    ),
    SignUpStep(
        "date-of-birth",
        forms.DateOfBirthForm,
        _l("What is your date of birth?"),
        _l("About you"),
        heading_field="date_of_birth",
    ),
    SignUpStep(
        "contact",
        forms.ContactForm,
        _l("How can the scheme contact you?"),
        _l("About you"),
        intro=_l("Give an email address, a phone number, or both."),
        params={
            "email": {"type": "email", "autocomplete": "email", **CONTACT},
            "phone": {"type": "tel", "autocomplete": "tel", "classes": "govuk-input--width-20"},
        },
    ),
    SignUpStep(
        "address",
        forms.AddressForm,
        _l("Where do you live?"),
        _l("About you"),
        params={"postcode": {"classes": "govuk-input--width-10", "autocomplete": "postal-code", **CONTACT}},
    ),
    SignUpStep(
        "parent-carer",
        forms.CarerForm,
        _l("Your parent or carer"),
        _l("Your parent or carer"),
        applies=_needs_carer,
        intro=_l("Because you are under 18, a parent or carer needs to agree to you joining this scheme."),
        params={
            "carer_name": {"autocomplete": "off", **CONTACT},
            "carer_email": {"type": "email", "autocomplete": "off", **CONTACT},
            "carer_phone": {"type": "tel", "autocomplete": "off", "classes": "govuk-input--width-20"},
        },
    ),
    SignUpStep(
        "availability",
        forms.AvailabilityForm,
        _l("When could you volunteer?"),
        _l("Availability and interests"),
    ),
    SignUpStep(
        "about-you",
        forms.AboutYouForm,
        _l("Your interests and experience"),
        _l("Availability and interests"),
        intro=_l("These questions are optional. They help the scheme find the right role for you."),
        params={"languages_spoken": {"classes": "govuk-!-width-two-thirds"}},
    ),
    SignUpStep(
        "access-needs",
        forms.AccessNeedsForm,
        _l("Do you need any adjustments or support to volunteer?"),
        _l("Availability and interests"),
        heading_field="access_needs",
    ),
    SignUpStep(
        "how-heard",
        forms.HowHeardForm,
        _l("How did you hear about volunteering with us?"),
        _l("Availability and interests"),
        heading_field="how_heard",
        reveals={"how_heard": {"other": ["how_heard_other"]}},
    ),
    SignUpStep("consent", forms.ConsentForm, _l("Sharing your application"), _l("Sharing your application")),
]

STEP_BY_SLUG = {step.slug: step for step in STEPS}


def applicable_steps(answers: Answers, signup: SignUp) -> list[SignUpStep]:
    return [step for step in STEPS if step.applies(answers, signup)]


def next_step(current: SignUpStep, answers: Answers, signup: SignUp) -> SignUpStep | None:
    later = STEPS[STEPS.index(current) + 1 :]
    return next((step for step in later if step.applies(answers, signup)), None)


def previous_step(current: SignUpStep, answers: Answers, signup: SignUp) -> SignUpStep | None:
    earlier = STEPS[: STEPS.index(current)]
    return next((step for step in reversed(earlier) if step.applies(answers, signup)), None)


def first_incomplete_step(answers: Answers, signup: SignUp, areas=()) -> SignUpStep | None:
    """The first page that applies and whose saved answers are missing or no longer valid."""
    for step in applicable_steps(answers, signup):
        if step.slug not in answers or not checked_form(step, answers, areas)[1]:
            return step
    return None


def summary_rows(answers: Answers, signup: SignUp, areas=()) -> list[tuple[str, list[Row]]]:
    """The answers that apply, grouped by section, as the check-answers page and staff see them."""
    return summarise(applicable_steps(answers, signup), answers, areas)
