"""The form admins use to write response templates."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf

from portal.admin.response_service import TemplateAnswers
from portal.forms import (
    CharacterCount,
    CheckboxInput,
    MaxLength,
    RadioInput,
    Required,
    StripWhitespaceForm,
    SubmitInput,
    TextInput,
    choices,
)
from portal.models import ResponseTemplate, TemplatePurpose
from portal.triage.forms import TEXT_LIMIT

NAME_LIMIT = 120  # the column's size
BODY_LIMIT = TEXT_LIMIT  # a template must fit in the note or the update it becomes

# The list page's headings, in this order, and the choices on the form.
PURPOSE_HEADINGS = {
    TemplatePurpose.NOTE: _l("Internal notes"),
    TemplatePurpose.REPORTER_UPDATE: _l("Updates to reporters"),
}
PURPOSE_CHOICES = [
    (TemplatePurpose.NOTE, _l("An internal note on a referral")),
    (TemplatePurpose.REPORTER_UPDATE, _l("An update emailed to the reporter")),
]


class ResponseTemplateForm(StripWhitespaceForm):
    """A response template: presence and format only; the service checks the name is free."""

    name = StringField(
        _l("Name of the template"),
        description=_l("Officers choose a template by its name, so make it say what the text is about."),
        validators=[Required(thing=_l("the name of the template")), MaxLength(NAME_LIMIT, thing=_l("Name"))],
        widget=TextInput(),
    )
    purpose = RadioField(
        _l("What is it for?"),
        choices=choices(PURPOSE_CHOICES),
        validators=[
            Required(thing=_l("what the template is for"), choose=True),
            AnyOf([purpose.value for purpose in TemplatePurpose], message=_l("Select what the template is for")),
        ],
        widget=RadioInput(),
        validate_choice=False,
    )
    body = TextAreaField(
        _l("Text"),
        description=_l(
            "Officers use this text as it is, so write it to fit any referral. "
            "An update is emailed to the reporter with their reference and how to reply."
        ),
        validators=[Required(thing=_l("the text of the template")), MaxLength(BODY_LIMIT, thing=_l("Text"))],
        widget=CharacterCount(),
    )
    active = BooleanField(_l("Offer this template to officers"), widget=CheckboxInput())
    submit = SubmitField(_l("Save template"), widget=SubmitInput())

    @staticmethod
    def data_from(template: ResponseTemplate) -> dict:
        """What the edit page shows before the admin changes anything."""
        return {"name": template.name, "purpose": template.purpose, "body": template.body, "active": template.active}

    def answers(self) -> TemplateAnswers:
        return TemplateAnswers(
            name=self.name.data,
            purpose=TemplatePurpose(self.purpose.data),
            body=self.body.data,
            active=self.active.data,
        )
