"""Renders a journey page's questions with the GOV.UK macros: page headings, conditional reveals,
exclusive options and per-question settings all come from the Step, so one template serves every page."""

from markupsafe import Markup
from wtforms import BooleanField, RadioField, SelectMultipleField

from portal.forms import GovukDateField
from portal.reporting.journey import Step
from portal.templating import widgets_drawn_once

FIELDSET_TYPES = (RadioField, SelectMultipleField, GovukDateField)


def render_questions(step: Step, form) -> Markup:
    revealed = step.revealed_fields()
    questions = [question for question in step.questions(form) if question.name not in revealed]
    with widgets_drawn_once():
        return Markup("\n").join([render_question(step, form, question) for question in questions])


def render_question(step: Step, form, question) -> Markup:
    heading = question.name == step.heading_field
    nested = question.name in step.revealed_fields()
    params = dict(step.params.get(question.name, {}))
    size = "l" if heading else ("s" if nested else "m")
    if isinstance(question, BooleanField):
        params.setdefault("classes", "govuk-checkboxes--small")
    elif isinstance(question, FIELDSET_TYPES):
        legend = {"text": question.label.text, "classes": f"govuk-fieldset__legend--{size}"}
        if heading:
            legend["isPageHeading"] = True
        params["fieldset"] = {"legend": legend}
    else:
        label = {"classes": f"govuk-label--{size}"}
        if heading:
            label["isPageHeading"] = True
        params["label"] = label
    if isinstance(question, (RadioField, SelectMultipleField)) and (
        question.name in step.reveals or question.name in step.exclusive
    ):
        params["items"] = [_item(step, form, question, choice.value) for choice in question.choices]
    return question(params=params)


def _item(step: Step, form, question, value) -> dict:
    item = {}
    children = step.reveals.get(question.name, {}).get(value)
    if children:
        item["conditional"] = {"html": Markup("").join(render_question(step, form, form[name]) for name in children)}
    if step.exclusive.get(question.name) == value:
        item["behaviour"] = "exclusive"
    return item
