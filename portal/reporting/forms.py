"""The hate-incident report form: presence and format only; the service decides the rest."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSelect, GovSubmitInput, GovTextInput
from wtforms import EmailField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, Optional, ValidationError

from portal.forms import (
    CheckboxesInput,
    Email,
    GovukDateField,
    MaxLength,
    OnlyWhen,
    RadioInput,
    Required,
    StripWhitespaceForm,
    choice_values,
    choices,
)
from portal.models import HateStrand
from portal.reporting.service import ReportAnswers

DESCRIPTION_LIMIT = 5000

STRAND_LABELS = {
    HateStrand.RACE: _l("Race, ethnicity or nationality (including Gypsy, Roma and Traveller)"),
    HateStrand.RELIGION: _l("Religion or belief"),
    HateStrand.SEXUAL_ORIENTATION: _l("Sexual orientation"),
    HateStrand.DISABILITY: _l("Disability (including learning disability and mental health)"),
    HateStrand.TRANSGENDER: _l("Transgender identity"),
    HateStrand.SEX_OR_GENDER: _l("Sex or gender"),
    HateStrand.AGE: _l("Age"),
    HateStrand.ALTERNATIVE_SUBCULTURE: _l("Alternative subculture (for example goth, emo or punk)"),
    HateStrand.OTHER: _l("Something else"),
    HateStrand.NOT_SURE: _l("I'm not sure"),
}


class ReportForm(StripWhitespaceForm):
    """A first, single-page version of the report: what, when, where, why, and how to reach them."""

    description = TextAreaField(
        _l("What happened?"),
        description=_l("Tell us in your own words. Include anything that was said or done."),
        validators=[Required(thing=_l("what happened")), MaxLength(DESCRIPTION_LIMIT, thing=_l("What happened"))],
        widget=GovCharacterCount(),
    )
    incident_date = GovukDateField(
        _l("When did it happen?"),
        description=_l("For example, 27 3 2026. If you do not know the exact date, give your best guess."),
        validators=[Required(thing=_l("the date it happened"))],
        thing=_l("The date it happened"),
        not_in_future=True,
    )
    location = StringField(
        _l("Where did it happen?"),
        description=_l("An address, a street or a description of the place. If it happened online, say where."),
        validators=[Required(thing=_l("where it happened")), MaxLength(500, thing=_l("Where it happened"))],
        widget=GovTextInput(),
    )
    area = SelectField(
        _l("Which area of the city was it in? (optional)"),
        validators=[Optional()],
        widget=GovSelect(),
        validate_choice=False,
    )
    strands = SelectMultipleField(
        _l("What do you think the hostility was about?"),
        description=_l("Select all that apply."),
        choices=choices(STRAND_LABELS.items()),
        validators=[Required(thing=_l("what you think the hostility was about"), choose=True)],
        widget=CheckboxesInput(),
        validate_choice=False,
    )
    strand_other = StringField(
        _l("Tell us what else it was about"),
        validators=[MaxLength(200, thing=_l("What else it was about"))],
        widget=GovTextInput(),
    )
    wants_contact = RadioField(
        _l("Can we contact you about this?"),
        description=_l("You can stay anonymous. We will still record what happened."),
        choices=choices([("yes", _l("Yes")), ("no", _l("No, I want to stay anonymous"))]),
        validators=[
            Required(thing=_l("whether we can contact you"), choose=True),
            AnyOf(["yes", "no"], message=_l("Select whether we can contact you")),
        ],
        widget=RadioInput(),
        validate_choice=False,
    )
    contact_name = StringField(
        _l("Your name"),
        validators=[OnlyWhen("wants_contact", "yes"), MaxLength(200, thing=_l("Your name"))],
        widget=GovTextInput(),
    )
    contact_email = EmailField(
        _l("Email address"),
        validators=[OnlyWhen("wants_contact", "yes"), MaxLength(254, thing=_l("Email address")), Email()],
        widget=GovTextInput(),
    )
    contact_phone = StringField(
        _l("Phone number"),
        validators=[OnlyWhen("wants_contact", "yes"), MaxLength(40, thing=_l("Phone number"))],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Send report"), widget=GovSubmitInput())

    def answers(self) -> ReportAnswers:
        """The answers that apply, as the service takes them: hidden questions are left out."""
        wants_contact = self.wants_contact.data == "yes"
        return ReportAnswers(
            description=self.description.data,
            incident_date=self.incident_date.data,
            location=self.location.data,
            strands=self.strands.data,
            strand_other=self.strand_other.data if HateStrand.OTHER in self.strands.data else None,
            area_id=int(self.area.data) if self.area.data else None,
            contact_name=self.contact_name.data if wants_contact else None,
            contact_email=self.contact_email.data if wants_contact else None,
            contact_phone=self.contact_phone.data if wants_contact else None,
        )

    def validate_strands(self, field):
        unknown = set(field.data or []) - {strand.value for strand in HateStrand}
        if unknown:
            raise ValidationError(_l("Select what you think the hostility was about"))

    def validate_area(self, field):
        if field.data not in choice_values(field):
            raise ValidationError(_l("Select an area from the list"))

    def validate_strand_other(self, field):
        if HateStrand.OTHER in (self.strands.data or []) and not field.data:
            raise ValidationError(_l("Enter what else the hostility was about"))

    def validate_contact_email(self, field):
        if not field.data and not self.contact_phone.data:
            raise ValidationError(_l("Enter an email address or a phone number so we can contact you"))

    def validate_contact_phone(self, field):
        allowed = set("0123456789+()- ")
        if field.data and (not set(field.data) <= allowed or sum(c.isdigit() for c in field.data) < 7):
            raise ValidationError(_l("Enter a phone number, like 01632 960 001 or +44 7700 900 982"))
