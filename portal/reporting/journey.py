"""The reporting journey: its question pages in order, which apply to whom, and the summary of answers.

Answers are kept as the resident typed them, per page: {step slug: {field name: [values]}}. The same
forms that check a page when it is sent check the whole draft again before it becomes a referral.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField

from portal.forms import GovukDateField, OnlyWhen, clean_text
from portal.helpers import format_date
from portal.models import HateStrand
from portal.per_request import per_request
from portal.reporting import forms

Answers = dict[str, dict[str, list[str]]]


def answer(answers: Answers, slug: str, name: str) -> str | None:
    values = answers.get(slug, {}).get(name) or []
    return values[0] if values else None


def _always(answers: Answers) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[forms.StepForm]
    title: str
    section: str
    applies: Callable[[Answers], bool] = _always
    heading_field: str | None = None  # a one-question page: that question's legend is the page heading
    intro: str | None = None
    reveals: dict = field(default_factory=dict)  # {field: {option value: [fields shown when chosen]}}
    exclusive: dict = field(default_factory=dict)  # {checkboxes field: the option that clears the others}
    params: dict = field(default_factory=dict)  # extra GOV.UK macro params per field
    target: str = "report"  # which record the answers go to: "report" or "equality"

    def make_form(self, answers: Answers | None = None, *, formdata=None, areas=(), page=False) -> forms.StepForm:
        """The page's form: from what was posted, or from the answers saved in the draft. A form shown on a
        `page` carries a CSRF token; one rebuilt only to check or summarise saved answers needs none."""
        if formdata is None:
            formdata = MultiDict(_pairs((answers or {}).get(self.slug, {})))
        form = self.form(formdata=formdata, meta={"csrf": page})
        if self.asks_area:
            form.area_choice.choices = areas
        return form

    @property
    def asks_area(self) -> bool:
        return hasattr(self.form, "area_choice")

    def questions(self, form) -> list:
        """The fields residents answer on this page (not the button or the form token)."""
        return [f for f in form if f.name not in {"csrf_token", "submit"}]

    def revealed_fields(self) -> set[str]:
        return {name for by_value in self.reveals.values() for names in by_value.values() for name in names}

    def asked(self, form, question) -> bool:
        """Whether a question applies given the page's other answers (a revealed one only when revealed)."""
        return all(v.applies(form) for v in question.validators if isinstance(v, OnlyWhen))


def _role(answers):
    return answer(answers, "who", "reporter_role")


def _place(answers):
    return answer(answers, "where", "place_type")


MULTI_LINE = {"classes": "govuk-!-width-full"}

STEPS = [
    Step(
        "who",
        forms.WhoForm,
        _l("Who are you reporting for?"),
        _l("About the report"),
        heading_field="reporter_role",
        reveals={"reporter_role": {"organisation": ["organisation_name"]}},
    ),
    Step(
        "hostility",
        forms.HostilityForm,
        _l("What do you think the hostility was about?"),
        _l("What happened"),
        heading_field="strands",
        reveals={"strands": {HateStrand.OTHER: ["strand_other"]}},
        exclusive={"strands": HateStrand.NOT_SURE},
    ),
    Step(
        "what-happened",
        forms.WhatHappenedForm,
        _l("What happened?"),
        _l("What happened"),
        params={"description": {"maxlength": forms.DESCRIPTION_LIMIT, "rows": 8}},
    ),
    Step(
        "when",
        forms.WhenForm,
        _l("When did it happen?"),
        _l("When and where"),
        params={"time_of_day": {"classes": "govuk-radios--small"}},
    ),
    Step("where", forms.WhereForm, _l("Where did it happen?"), _l("When and where"), heading_field="place_type"),
    Step(
        "address",
        forms.AddressForm,
        _l("Tell us where it happened"),
        _l("When and where"),
        applies=lambda a: _place(a) != "online",
        params={"postcode": {"classes": "govuk-input--width-10", "autocomplete": "off"}},
    ),
    Step(
        "online",
        forms.OnlineForm,
        _l("Where online did it happen?"),
        _l("When and where"),
        applies=lambda a: _place(a) == "online",
        params={"online_link": {"spellcheck": False, "autocomplete": "off"}},
    ),
    Step(
        "harm",
        forms.HarmForm,
        _l("Was anyone hurt, or anything damaged?"),
        _l("Harm"),
        reveals={"anyone_hurt": {"yes": ["hurt_details"]}, "property_damaged": {"yes": ["damage_details"]}},
    ),
    Step(
        "people",
        forms.PeopleForm,
        _l("The person or people who did it"),
        _l("The people involved"),
        intro=_l("These questions are optional. Answer what you can."),
    ),
    Step(
        "witnesses",
        forms.WitnessesForm,
        _l("Witnesses"),
        _l("The people involved"),
        reveals={"witnesses": {"yes": ["witness_details"]}},
    ),
    Step(
        "police",
        forms.PoliceForm,
        _l("The police"),
        _l("The police"),
        reveals={"reported_to_police": {"yes": ["crime_reference"]}},
    ),
    Step(
        "what-next",
        forms.WhatNextForm,
        _l("What would you like to happen?"),
        _l("What happens next"),
        heading_field="consents",
        exclusive={"consents": "just_record"},
    ),
    Step(
        "about-them",
        forms.AboutThemForm,
        _l("About the person it happened to"),
        _l("About the person"),
        applies=lambda a: _role(a) not in (None, "victim"),
        intro=_l("These questions are optional. Only tell us what they would be happy for us to know."),
    ),
    Step(
        "contact",
        forms.ContactForm,
        _l("Contact details"),
        _l("Contact"),
        reveals={
            "wants_contact": {
                "yes": [
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                    "preferred_contact",
                    "safe_times",
                    "voicemail_ok",
                    "interpreter_language",
                    "access_needs",
                ]
            }
        },
        params={
            "contact_name": {"autocomplete": "name", "spellcheck": False},
            "contact_email": {"type": "email", "autocomplete": "email", "spellcheck": False},
            "contact_phone": {"type": "tel", "autocomplete": "tel", "classes": "govuk-input--width-20"},
            "interpreter_language": {"classes": "govuk-input--width-20"},
        },
    ),
    Step(
        "equality",
        forms.EqualityForm,
        _l("Equality monitoring"),
        _l("Equality monitoring"),
        intro=_l(
            "These questions are optional and kept separately from your report. Your answers help the "
            "partnership check that everyone can use this service. Continue without answering if you "
            "prefer."
        ),
        params={
            name: {"classes": "govuk-radios--small"}
            for name in (
                "age_group",
                "sex",
                "gender_same_as_birth",
                "ethnicity",
                "religion",
                "sexual_orientation",
                "disability",
            )
        },
        target="equality",
    ),
]

STEP_BY_SLUG = {step.slug: step for step in STEPS}


def applicable_steps(answers: Answers) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def next_step(current: Step, answers: Answers) -> Step | None:
    later = STEPS[STEPS.index(current) + 1 :]
    return next((step for step in later if step.applies(answers)), None)


def previous_step(current: Step, answers: Answers) -> Step | None:
    earlier = STEPS[: STEPS.index(current)]
    return next((step for step in reversed(earlier) if step.applies(answers)), None)


def checked_form(step, answers: Answers, areas=()):
    """A page's form rebuilt from the saved answers and checked, and whether they are valid. Within a request each
    page's answers are checked once: check answers, the send and the referral it builds all read the same forms
    (any journey whose steps have make_form, as the reporting and volunteering journeys do)."""
    key = (id(step), json.dumps(answers.get(step.slug, {}), sort_keys=True), id(areas))
    checked = per_request("checked_forms")
    if key not in checked:
        form = step.make_form(answers, areas=areas)
        checked[key] = (form, form.validate(), areas)  # the areas kept, so that their id is not reused meanwhile
    form, valid, _areas = checked[key]
    return form, valid


def first_incomplete_step(answers: Answers, areas=()) -> Step | None:
    """The first page that applies and whose saved answers are missing or no longer valid."""
    for step in applicable_steps(answers):
        if step.slug not in answers or not checked_form(step, answers, areas)[1]:
            return step
    return None


def answers_to_keep(step: Step, form) -> dict[str, list[str]]:
    """What to save from a valid page: the values of the questions that applied, as typed (cleaned)."""
    kept = {}
    for question in step.questions(form):
        if step.asked(form, question) and question.raw_data:
            kept[question.name] = [clean_text(value) for value in question.raw_data if value != ""]
    return kept


def _pairs(answers: dict[str, list[str]]):
    return [(name, value) for name, values in answers.items() for value in values]


# --- What the answers say, in words, for check-answers, the staff page and emails ---


@dataclass(frozen=True)
class Row:
    key: str
    value: str | Markup
    step: str
    field: str


def display(question) -> str | Markup:
    data = question.data
    if isinstance(question, BooleanField):
        return str(_l("Yes") if data else _l("No"))
    if isinstance(question, GovukDateField):
        return format_date(data) if isinstance(data, date) else ""
    if isinstance(question, SelectMultipleField):  # in the order the options are offered
        chosen = set(data or [])
        return Markup("<br>").join(str(choice.label) for choice in question.choices if choice.value in chosen)
    if isinstance(question, (RadioField, SelectField)):
        labels = {choice.value: choice.label for choice in question.choices}
        return str(labels.get(data, "")) if data else ""
    return data or ""


def summary_rows(answers: Answers, areas=(), *, sent=False) -> list[tuple[str, list[Row]]]:
    """The answers that apply, grouped by section, as the check-answers page and staff see them."""
    return summarise(applicable_steps(answers), answers, areas, sent=sent)


def summarise(steps, answers: Answers, areas=(), *, sent=False) -> list[tuple[str, list[Row]]]:
    """The rows of these steps' answers, grouped by section (any journey whose steps have make_form,
    questions, asked, section and slug, as the reporting and volunteering journeys do). Answers already `sent`
    were checked then: their forms are only built to word them, not checked again."""
    sections: dict[str, list[Row]] = {}
    for step in steps:
        form = step.make_form(answers, areas=areas) if sent else checked_form(step, answers, areas)[0]
        rows = sections.setdefault(str(step.section), [])
        for question in step.questions(form):
            if not step.asked(form, question):
                continue
            key = str(question.label.text).replace(" (optional)", "")
            rows.append(Row(key, display(question) or str(_l("Not answered")), step.slug, question.id))
    return [(section, rows) for section, rows in sections.items() if rows]
