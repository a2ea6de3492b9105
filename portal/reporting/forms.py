"""One form per question page of the reporting journey. Forms check presence and format only.

Field names are the column names of HateIncidentReport (and EqualityMonitoring), so answers move between
a draft, the check-answers page and the committed report without a mapping table to keep in step.
"""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, Optional, ValidationError

from portal.forms import (
    CharacterCount,
    CheckboxesInput,
    CheckboxInput,
    Email,
    GovukDateField,
    MaxLength,
    OnlyWhen,
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
from portal.models import Consent, HateStrand
from portal.reporting import options

DESCRIPTION_LIMIT = 5000
DETAIL_LIMIT = 2000


def radios(label, options_, *, required=None, hint=None, only_when=None) -> RadioField:
    """A radio question. `required` is the thing for "Select …"; without it the question is optional.
    `only_when=(field, value)` asks it only when another answer has that value."""
    validators = [OnlyWhen(*only_when)] if only_when else []
    validators += [Required(thing=required, choose=True)] if required else [Optional()]
    validators.append(AnyOf([value for value, _label in options_], message=_l("Select one of the options")))
    return RadioField(
        label,
        choices=choices(options_),
        validators=validators,
        description=hint or "",
        widget=RadioInput(),
        validate_choice=False,
    )


def text(label, *, limit=200, required=None, hint=None, only_when=None, area=False) -> StringField:
    validators = [OnlyWhen(*only_when)] if only_when else []
    validators += [Required(thing=required)] if required else [Optional()]
    validators.append(MaxLength(limit, thing=label))
    field_class, widget = (TextAreaField, TextArea()) if area else (StringField, TextInput())
    return field_class(label, validators=validators, description=hint or "", widget=widget)


class StepForm(StripWhitespaceForm):
    submit = SubmitField(_l("Continue"), widget=SubmitInput())


class CheckboxesField(SelectMultipleField):
    """Checkboxes whose values are checked against their options, with a GOV.UK message."""

    widget = CheckboxesInput()

    def __init__(self, label, options_, *, required, **kwargs):
        super().__init__(
            label,
            choices=choices(options_),
            validators=[Required(thing=required, choose=True)],
            validate_choice=False,
            **kwargs,
        )

    def pre_validate(self, form):
        if set(self.data or []) - choice_values(self):
            raise ValidationError(_l("Select from the options given"))


class WhoForm(StepForm):
    reporter_role = radios(
        _l("Who are you reporting for?"), options.REPORTER_ROLES, required=_l("who you are reporting for")
    )
    organisation_name = text(
        _l("Name of the organisation"),
        required=_l("the name of the organisation"),
        only_when=("reporter_role", "organisation"),
    )


class HostilityForm(StepForm):
    strands = CheckboxesField(
        _l("What do you think the hostility was about?"),
        options.STRANDS,
        required=_l("what you think the hostility was about"),
        description=_l("Select all that apply."),
    )
    strand_other = text(
        _l("Tell us what else it was about"),
        required=_l("what else the hostility was about"),
        only_when=("strands", HateStrand.OTHER),
    )


class WhatHappenedForm(StepForm):
    incident_types = CheckboxesField(
        _l("What happened?"),
        options.INCIDENT_TYPES,
        required=_l("what happened"),
        description=_l("Select all that apply."),
    )
    description = TextAreaField(
        _l("Tell us what happened"),
        description=_l("In your own words. Include anything that was said or done, and how it made you feel."),
        validators=[
            Required(thing=_l("what happened, in your own words")),
            MaxLength(DESCRIPTION_LIMIT, thing=_l("What happened")),
        ],
        widget=CharacterCount(),
    )


class WhenForm(StepForm):
    incident_date = GovukDateField(
        _l("When did it happen?"),
        description=_l("For example, 27 3 2026. If you do not know the exact date, give your best guess."),
        validators=[Required(thing=_l("the date it happened"))],
        thing=_l("The date it happened"),
        not_in_future=True,
    )
    date_is_approximate = BooleanField(_l("This is an approximate date"), widget=CheckboxInput())
    time_of_day = radios(_l("What time of day was it? (optional)"), options.TIMES_OF_DAY)
    still_happening = radios(
        _l("Is it still happening?"),
        options.YES_NO_NOT_SURE,
        required=_l("whether it is still happening"),
        hint=_l("For example, if it happens again and again."),
    )


class WhereForm(StepForm):
    place_type = radios(_l("Where did it happen?"), options.PLACE_TYPES, required=_l("where it happened"))


class AddressForm(StepForm):
    location = text(
        _l("Address or description of the place"),
        limit=500,
        area=True,
        required=_l("the address or a description of the place"),
        hint=_l("For example, the street and the nearest shop, or the bus route and stop."),
    )
    postcode = text(_l("Postcode (optional)"), limit=16)
    area_choice = SelectField(
        _l("Which area of the city was it in? (optional)"),
        validators=[Optional()],
        widget=Select(),
        validate_choice=False,
    )

    def validate_area_choice(self, field):
        if field.data not in choice_values(field):
            raise ValidationError(_l("Select an area from the list"))


class OnlineForm(StepForm):
    online_platform = text(
        _l("Which website, app or platform was it on?"),
        required=_l("the website, app or platform"),
        hint=_l("For example, Facebook, WhatsApp, a gaming site or a local forum."),
    )
    online_link = text(
        _l("Link to the post or profile (optional)"),
        limit=1000,
        hint=_l("Copy and paste the web address if you have it. We will not open it from this form."),
    )


class HarmForm(StepForm):
    anyone_hurt = radios(_l("Was anyone hurt?"), options.YES_NO_NOT_SURE, required=_l("whether anyone was hurt"))
    hurt_details = text(
        _l("Tell us about the injuries (optional)"), limit=DETAIL_LIMIT, area=True, only_when=("anyone_hurt", "yes")
    )
    property_damaged = radios(
        _l("Was anything damaged or stolen?"), options.YES_NO, required=_l("whether anything was damaged or stolen")
    )
    damage_details = text(
        _l("What was damaged or stolen? (optional)"),
        limit=DETAIL_LIMIT,
        area=True,
        only_when=("property_damaged", "yes"),
    )


class PeopleForm(StepForm):
    perpetrator_known = radios(_l("Do you know who did it? (optional)"), options.YES_NO_NOT_SURE)
    perpetrator_description = text(
        _l("Describe the person or people who did it (optional)"),
        limit=DETAIL_LIMIT,
        area=True,
        hint=_l("Names if you know them, how many there were, what they looked like or wore, anything they said."),
    )
    vehicle = text(
        _l("Any vehicle they used (optional)"),
        limit=500,
        hint=_l("For example, the make, colour and any part of the number plate."),
    )


class WitnessesForm(StepForm):
    witnesses = radios(_l("Did anyone else see or hear it? (optional)"), options.YES_NO_NOT_SURE)
    witness_details = text(
        _l("Tell us about them (optional)"),
        limit=DETAIL_LIMIT,
        area=True,
        only_when=("witnesses", "yes"),
        hint=_l("Who they are, or how we could find them. Do not share their details without their agreement."),
    )


class PoliceForm(StepForm):
    reported_to_police = radios(
        _l("Have you already reported this to the police?"),
        options.YES_NO,
        required=_l("whether you have reported it to the police"),
    )
    crime_reference = text(_l("Police reference number (optional)"), limit=64, only_when=("reported_to_police", "yes"))


class WhatNextForm(StepForm):
    consents = CheckboxesField(
        _l("What would you like to happen?"),
        options.CONSENTS,
        required=_l("what you would like to happen"),
        description=_l(
            "Select all that apply. We will only pass your report to the police or other partners "
            "if you agree, unless someone is at risk of serious harm."
        ),
    )

    def validate_consents(self, field):
        if Consent.JUST_RECORD in field.data and len(field.data) > 1:
            raise ValidationError(_l("Select ‘Just record it’ on its own, or the things you would like to happen"))


class AboutThemForm(StepForm):
    victim_name = text(_l("Their name (optional)"))
    victim_age_group = radios(_l("How old are they? (optional)"), options.VICTIM_AGE_GROUPS)
    victim_aware = radios(_l("Do they know you are reporting this? (optional)"), options.YES_NO_NOT_SURE)


class ContactForm(StepForm):
    wants_contact = radios(
        _l("Can we contact you about this?"),
        options.CONTACT_CHOICES,
        required=_l("whether we can contact you"),
        hint=_l("You can stay anonymous. We will still record what happened."),
    )
    contact_name = text(_l("Your name (optional)"), only_when=("wants_contact", "yes"))
    contact_email = EmailField(
        _l("Email address"),
        validators=[OnlyWhen("wants_contact", "yes"), Optional(), MaxLength(254, thing=_l("Email address")), Email()],
        widget=TextInput(),
    )
    contact_phone = StringField(
        _l("Phone number"),
        validators=[OnlyWhen("wants_contact", "yes"), Optional(), MaxLength(40, thing=_l("Phone number"))],
        widget=TextInput(),
    )
    preferred_contact = radios(
        _l("How would you prefer us to contact you? (optional)"),
        options.CONTACT_WAYS,
        only_when=("wants_contact", "yes"),
    )
    safe_times = text(
        _l("When is it safe to contact you? (optional)"),
        limit=500,
        only_when=("wants_contact", "yes"),
        hint=_l("For example, weekdays after 6pm."),
    )
    voicemail_ok = radios(
        _l("Is it safe to leave a voicemail or message? (optional)"), options.YES_NO, only_when=("wants_contact", "yes")
    )
    interpreter_language = text(
        _l("Do you need an interpreter? If so, for which language? (optional)"),
        limit=100,
        only_when=("wants_contact", "yes"),
    )
    access_needs = text(
        _l("Anything we should know to make contact easier for you? (optional)"),
        limit=DETAIL_LIMIT,
        area=True,
        only_when=("wants_contact", "yes"),
        hint=_l("For example, if you are deaf, use a wheelchair or need large print."),
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.wants_contact.data == "yes" and not self.contact_email.data and not self.contact_phone.data:
            self.contact_email.errors.append(_l("Enter an email address or a phone number so we can contact you"))
            return False
        return valid

    def validate_contact_phone(self, field):
        allowed = set("0123456789+()- ")
        if field.data and (not set(field.data) <= allowed or sum(c.isdigit() for c in field.data) < 7):
            raise ValidationError(_l("Enter a phone number, like 01632 960 001 or +44 7700 900 982"))


class EqualityForm(StepForm):
    age_group = radios(_l("What is your age? (optional)"), options.AGE_GROUPS)
    sex = radios(_l("What is your sex? (optional)"), options.SEXES)
    gender_same_as_birth = radios(
        _l("Is the gender you identify with the same as your sex registered at birth? (optional)"),
        options.YES_NO_PREFER_NOT,
    )
    ethnicity = radios(_l("What is your ethnic group? (optional)"), options.ETHNIC_GROUPS)
    religion = radios(_l("What is your religion? (optional)"), options.RELIGIONS)
    sexual_orientation = radios(
        _l("Which of the following best describes your sexual orientation? (optional)"), options.SEXUAL_ORIENTATIONS
    )
    disability = radios(
        _l(
            "Do you have a physical or mental health condition or illness lasting or expected "
            "to last 12 months or more? (optional)"
        ),
        options.YES_NO_PREFER_NOT,
    )


class SendForm(StripWhitespaceForm):
    """The declaration on the check-answers page. `website` is a honeypot: people never see or fill it."""

    website = StringField(_l("Leave this field empty"), widget=TextInput())
    submit = SubmitField(_l("Accept and send report"), widget=SubmitInput())


class EmergencyForm(StripWhitespaceForm):
    in_danger = radios(
        _l("Is anyone in danger now, or is the person who did it still there?"),
        options.YES_NO,
        required=_l("whether anyone is in danger now"),
    )
    submit = SubmitField(_l("Continue"), widget=SubmitInput())


class ConfirmationEmailForm(StripWhitespaceForm):
    email = EmailField(
        _l("Email address"),
        validators=[Required(thing=_l("your email address")), MaxLength(254, thing=_l("Email address")), Email()],
        widget=TextInput(),
    )
    submit = SubmitField(_l("Send me the reference"), widget=SubmitInput())
