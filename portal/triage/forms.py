"""Forms officers use on a referral. Each decision form carries the version of the referral it was shown
with, so a decision made on a stale page is refused instead of overwriting a newer one."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, Optional, ValidationError

from portal.forms import (
    CheckboxesInput,
    CheckboxInput,
    MaxLength,
    RadioInput,
    Required,
    Select,
    StripWhitespaceForm,
    SubmitInput,
    TextArea,
    TextInput,
    choice_values,
    choices,
)
from portal.models import Classification, CloseOutcome, Priority

PRIORITIES = [
    (Priority.URGENT, _l("Urgent: someone may be at risk")),
    (Priority.HIGH, _l("High")),
    (Priority.NORMAL, _l("Normal")),
    (Priority.LOW, _l("Low")),
]
CLASSIFICATIONS = [
    (Classification.CRIME, _l("A hate crime")),
    (Classification.NON_CRIME, _l("A non-crime hate incident")),
    (Classification.NOT_HATE, _l("Not a hate incident")),
]
CLOSE_OUTCOMES = [
    (CloseOutcome.RESOLVED_BY_PARTNER, _l("Dealt with by a partner")),
    (CloseOutcome.ADVICE_GIVEN, _l("Advice or support given")),
    (CloseOutcome.RECORDED_ONLY, _l("Recorded only, as the reporter asked")),
    (CloseOutcome.NO_FURTHER_ACTION, _l("No further action")),
    (CloseOutcome.DUPLICATE, _l("Duplicate of another referral")),
    (CloseOutcome.WITHDRAWN, _l("Withdrawn by the reporter")),
]
TEXT_LIMIT = 5000


def _radios(label, options, thing):
    return RadioField(
        label,
        choices=choices(options),
        widget=RadioInput(),
        validate_choice=False,
        validators=[
            Required(thing=thing, choose=True),
            AnyOf([v for v, _ in options], message=_l("Select one of the options")),
        ],
    )


class DecisionForm(StripWhitespaceForm):
    version = HiddenField()

    def version_number(self) -> int:
        text = self.version.data or ""
        return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1


class ClaimForm(StripWhitespaceForm):
    submit = SubmitField(_l("Claim"), widget=SubmitInput())


class ReleaseForm(DecisionForm):
    submit = SubmitField(_l("Release to the queue"), widget=SubmitInput())


class AssignForm(DecisionForm):
    assignee = SelectField(
        _l("Give it to"),
        widget=Select(),
        validate_choice=False,
        validators=[Required(thing=_l("who to give it to"), choose=True)],
    )
    submit = SubmitField(_l("Assign"), widget=SubmitInput())

    def validate_assignee(self, field):
        if field.data not in choice_values(field):
            raise ValidationError(_l("Select an officer from the list"))


class PriorityForm(DecisionForm):
    priority = _radios(_l("Priority"), PRIORITIES, _l("a priority"))
    priority_reason = TextAreaField(
        _l("Why this priority?"),
        widget=TextArea(),
        validators=[Required(thing=_l("why you chose this priority")), MaxLength(1000, thing=_l("The reason"))],
    )
    submit = SubmitField(_l("Set priority"), widget=SubmitInput())


class ClassifyForm(DecisionForm):
    classification = _radios(_l("What is it?"), CLASSIFICATIONS, _l("what it is"))
    submit = SubmitField(_l("Save classification"), widget=SubmitInput())


class DuplicateForm(DecisionForm):
    original = StringField(
        _l("Reference of the referral it duplicates"),
        widget=TextInput(),
        validators=[
            Required(thing=_l("the reference of the original referral")),
            MaxLength(20, thing=_l("The reference")),
        ],
    )
    submit = SubmitField(_l("Link as duplicate"), widget=SubmitInput())


class _TemplatedTextForm(StripWhitespaceForm):
    """Free text, or a response template to start from (an admin-edited text)."""

    template = SelectField(
        _l("Start from a template (optional)"), widget=Select(), validate_choice=False, validators=[Optional()]
    )
    text = TextAreaField(widget=TextArea(), validators=[MaxLength(TEXT_LIMIT, thing=_l("The text"))])

    def validate_template(self, field):
        if field.data not in choice_values(field):
            raise ValidationError(_l("Select a template from the list"))

    def validate_text(self, field):
        if not field.data and not self.template.data:
            raise ValidationError(_l("Enter the text, or choose a template"))


class NoteForm(_TemplatedTextForm):
    text = TextAreaField(
        _l("Internal note"),
        description=_l("Only partnership staff can see notes."),
        widget=TextArea(),
        validators=[MaxLength(TEXT_LIMIT, thing=_l("The note"))],
    )
    submit = SubmitField(_l("Add note"), widget=SubmitInput())


class ReporterUpdateForm(_TemplatedTextForm):
    text = TextAreaField(
        _l("Message to the reporter"),
        description=_l("Sent by email. Do not include anything the reporter did not tell us."),
        widget=TextArea(),
        validators=[MaxLength(TEXT_LIMIT, thing=_l("The message"))],
    )
    submit = SubmitField(_l("Send update"), widget=SubmitInput())


class CloseForm(DecisionForm):
    outcome = _radios(_l("Outcome"), CLOSE_OUTCOMES, _l("the outcome"))
    close_reason = TextAreaField(
        _l("Reason"),
        widget=TextArea(),
        validators=[Required(thing=_l("the reason for closing it")), MaxLength(1000, thing=_l("The reason"))],
    )
    submit = SubmitField(_l("Close referral"), widget=SubmitInput())


class RouteForm(StripWhitespaceForm):
    """The partners to send a referral to: the rules' suggestions come ticked; an officer confirms, adds or
    removes. A partner the reporter did not agree to needs a reason (the page sets `consent_needed`)."""

    partners = SelectMultipleField(
        _l("Send it to"),
        validators=[Required(thing=_l("at least one partner"), choose=True)],
        widget=CheckboxesInput(),
        validate_choice=False,
    )
    override_reason = TextAreaField(
        _l("Reason for sending it without the reporter’s consent"),
        description=_l(
            "Only if you ticked a partner the reporter did not agree to, for example because someone is at risk. "
            "The reason is recorded in the history."
        ),
        validators=[MaxLength(1000, thing=_l("The reason"))],
        widget=TextArea(),
    )
    submit = SubmitField(_l("Send to the ticked partners"), widget=SubmitInput())

    consent_needed: frozenset[str] = frozenset()

    def validate_partners(self, field):
        if any(value not in choice_values(field) for value in field.data or []):
            raise ValidationError(_l("Select partners from the list"))

    def validate_override_reason(self, field):
        if not field.data and self.consent_needed.intersection(self.partners.data or []):
            raise ValidationError(
                _l("Give the reason for sending it to a partner the reporter did not agree to, or untick that partner")
            )


class ExportForm(StripWhitespaceForm):
    special_category = BooleanField(
        _l("Include special category data (the strands of hostility and equality monitoring answers)"),
        widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Download as CSV"), widget=SubmitInput())


VOLUNTEER_OUTCOMES = [
    ("accepted", _l("Accepted")),
    ("waiting_list", _l("On the waiting list")),
    ("not_progressed", _l("Not progressed")),
    ("withdrawn", _l("Withdrawn")),
]


class OutcomeForm(StripWhitespaceForm):
    outcome = _radios(_l("What became of the application?"), VOLUNTEER_OUTCOMES, _l("the outcome"))
    submit = SubmitField(_l("Save outcome"), widget=SubmitInput())
