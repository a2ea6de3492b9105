"""Forms admins use to keep the Get help directory up to date."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, ValidationError

from portal.forms import (
    CharacterCount,
    CheckboxesInput,
    MaxLength,
    RadioInput,
    Required,
    StripWhitespaceForm,
    SubmitInput,
    TextInput,
    choices,
)
from portal.models import SignpostCategory, SignpostService
from portal.signposting.labels import CATEGORY_LABELS
from portal.signposting.service import ServiceAnswers

NAME_LIMIT = 200
TEXT_LIMIT = 1000
POSITION_LIMIT = 9999


class ServiceForm(StripWhitespaceForm):
    """A service in the directory: presence and format only; the service checks the name is free."""

    name = StringField(
        _l("Name of the service"),
        validators=[Required(thing=_l("the name of the service")), MaxLength(NAME_LIMIT, thing=_l("Name"))],
        widget=TextInput(),
    )
    who_it_helps = TextAreaField(
        _l("Who it helps"),
        description=_l("Who can use it and what help it gives, in a sentence or two."),
        validators=[Required(thing=_l("who the service helps")), MaxLength(TEXT_LIMIT, thing=_l("Who it helps"))],
        widget=CharacterCount(),
    )
    how_to_contact = TextAreaField(
        _l("How to contact it"),
        description=_l(
            "Phone numbers, opening hours, email and web addresses, each on its own line. "
            "Web addresses are shown as text, not as links."
        ),
        validators=[
            Required(thing=_l("how to contact the service")),
            MaxLength(TEXT_LIMIT, thing=_l("How to contact it")),
        ],
        widget=CharacterCount(),
    )
    categories = SelectMultipleField(
        _l("What does it help with?"),
        description=_l("Select all that apply. The Get help page shows emergencies first."),
        choices=choices(CATEGORY_LABELS.items()),
        validators=[Required(thing=_l("what the service helps with"), choose=True)],
        widget=CheckboxesInput(),
        validate_choice=False,
    )
    position = StringField(
        _l("Position"),
        description=_l("Services are listed by this number, lowest first, under each heading."),
        validators=[Required(thing=_l("a position"))],
        widget=TextInput(),
    )
    active = RadioField(
        _l("Show it on the Get help page?"),
        choices=choices([("yes", _l("Yes")), ("no", _l("No, hide it from residents"))]),
        validators=[
            Required(thing=_l("whether to show the service on the Get help page"), choose=True),
            AnyOf(["yes", "no"], message=_l("Select whether to show the service on the Get help page")),
        ],
        widget=RadioInput(),
        validate_choice=False,
    )
    submit = SubmitField(_l("Save service"), widget=SubmitInput())

    @staticmethod
    def data_from(service: SignpostService) -> dict:
        """What the edit page shows before the admin changes anything."""
        return {
            "name": service.name,
            "who_it_helps": service.who_it_helps,
            "how_to_contact": service.how_to_contact,
            "categories": service.categories,
            "position": str(service.position),
            "active": "yes" if service.active else "no",
        }

    def answers(self) -> ServiceAnswers:
        return ServiceAnswers(
            name=self.name.data,
            who_it_helps=self.who_it_helps.data,
            how_to_contact=self.how_to_contact.data,
            categories=list(dict.fromkeys(self.categories.data)),
            position=int(self.position.data),
            active=self.active.data == "yes",
        )

    def validate_categories(self, field):
        if set(field.data or []) - {category.value for category in SignpostCategory}:
            raise ValidationError(_l("Select what the service helps with"))

    def validate_position(self, field):
        if not (field.data.isascii() and field.data.isdigit()):
            raise ValidationError(_l("Position must be a whole number, like 10"))
        if int(field.data) > POSITION_LIMIT:
            raise ValidationError(_l("Position must be %(limit)s or less", limit=f"{POSITION_LIMIT:,}"))
