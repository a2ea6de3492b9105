"""One form per question page of the volunteer sign-up. Forms check presence and format only: eligibility
and duplicates are decided in the service.

Field names are the column names of VolunteerApplication, as in the reporting journey.
"""

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import Optional, StopValidation, ValidationError

from portal.forms import (
    CheckboxInput,
    Email,
    GovukDateField,
    MaxLength,
    OnlyWhen,
    Required,
    Select,
    StripWhitespaceForm,
    SubmitInput,
    TextInput,
    choice_values,
)
from portal.reporting.forms import DETAIL_LIMIT, CheckboxesField, StepForm, radios, text
from portal.volunteering import options

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
OLDEST_BIRTH_YEAR = 1900


def normalise_postcode(value):
    """'pe1  1hf' → 'PE1 1HF', so postcodes are stored one way. Anything that is not a postcode is left as
    typed, to be shown back with its error."""
    if not isinstance(value, str):
        return value
    compact = re.sub(r"\s+", "", value).upper()
    tidy = f"{compact[:-3]} {compact[-3:]}"
    return tidy if POSTCODE.match(tidy) else value


class MustAgree:
    """A checkbox that has to be ticked, such as a consent."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            field.errors[:] = []
            raise StopValidation(self.message)


def check_phone(field) -> None:
    allowed = set("0123456789+()- ")
    if field.data and (not set(field.data) <= allowed or sum(c.isdigit() for c in field.data) < 7):
        raise ValidationError(_l("Enter a phone number, like 01632 960 001 or +44 7700 900 982"))


def email_field(label, *, only_when=None) -> EmailField:
    validators = [OnlyWhen(*only_when)] if only_when else []
    validators += [Optional(), MaxLength(254, thing=label), Email()]
    return EmailField(label, validators=validators, widget=TextInput())


def phone_field(label) -> StringField:
    return StringField(label, validators=[Optional(), MaxLength(40, thing=label)], widget=TextInput())


class NameForm(StepForm):
    full_name = text(_l("What is your full name?"), required=_l("your full name"))


class DateOfBirthForm(StepForm):
    date_of_birth = GovukDateField(
        _l("What is your date of birth?"),
        description=_l("For example, 27 3 2007"),
        validators=[Required(thing=_l("your date of birth"))],
        thing=_l("Date of birth"),
        not_in_future=True,
        is_birthday=True,
    )

    def validate_date_of_birth(self, field):
        if field.data and field.data.year < OLDEST_BIRTH_YEAR:
            raise ValidationError(_l("Date of birth must be after %(year)s", year=OLDEST_BIRTH_YEAR))


class ContactForm(StepForm):
    email = email_field(_l("Email address"))
    phone = phone_field(_l("Phone number"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.email.data and not self.phone.data and not self.email.errors and not self.phone.errors:
            self.email.errors.append(_l("Enter an email address or a phone number so the scheme can contact you"))
            return False
        return valid

    def validate_phone(self, field):
        check_phone(field)


class AddressForm(StepForm):
    postcode = StringField(
        _l("Postcode"),
        validators=[Required(thing=_l("your postcode")), MaxLength(16, thing=_l("Postcode"))],
        filters=[normalise_postcode],
        widget=TextInput(),
    )
    area_choice = SelectField(
        _l("Which area do you live in? (optional)"),
        validators=[Optional()],
        widget=Select(),
        validate_choice=False,
    )

    def validate_postcode(self, field):
        if field.data and not POSTCODE.match(field.data):
            raise ValidationError(_l("Enter a full UK postcode, like PE1 1HF"))

    def validate_area_choice(self, field):
        if field.data not in choice_values(field):
            raise ValidationError(_l("Select an area from the list"))


class CarerForm(StepForm):
    carer_name = text(_l("Their full name"), required=_l("your parent or carer’s full name"))
    carer_relationship = text(
        _l("How are they related to you?"),
        limit=100,
        required=_l("how your parent or carer is related to you"),
        hint=_l("For example, mother, father, grandparent, foster carer or guardian."),
    )
    carer_email = email_field(_l("Their email address"))
    carer_phone = phone_field(_l("Their phone number"))
    carer_consent = BooleanField(
        _l("My parent or carer agrees to me applying, and to the scheme contacting them about it"),
        validators=[MustAgree(_l("Confirm that your parent or carer agrees to you applying"))],
        widget=CheckboxInput(),
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (
            not self.carer_email.data
            and not self.carer_phone.data
            and not (self.carer_email.errors or self.carer_phone.errors)
        ):
            self.carer_email.errors.append(_l("Enter your parent or carer’s email address or phone number"))
            return False
        return valid

    def validate_carer_phone(self, field):
        check_phone(field)


class AvailabilityForm(StepForm):
    available_days = CheckboxesField(
        _l("Which days could you volunteer?"),
        options.DAYS,
        required=_l("the days you could volunteer"),
        description=_l("Select all that apply."),
    )
    available_times = CheckboxesField(
        _l("What times of day could you volunteer?"),
        options.TIMES,
        required=_l("the times of day you could volunteer"),
        description=_l("Select all that apply."),
    )


class AboutYouForm(StepForm):
    interests = text(
        _l("What interests you about this scheme? (optional)"),
        limit=DETAIL_LIMIT,
        area=True,
        hint=_l("For example, what you would like to do, or why you want to help."),
    )
    relevant_experience = text(
        _l("Any experience that could help (optional)"),
        limit=DETAIL_LIMIT,
        area=True,
        hint=_l("Paid or unpaid, at work, school, college or in your community."),
    )
    languages_spoken = text(
        _l("Which languages do you speak? (optional)"), hint=_l("For example, English, Polish and Punjabi.")
    )


class AccessNeedsForm(StepForm):
    access_needs = text(
        _l("Do you need any adjustments or support to volunteer? (optional)"),
        limit=DETAIL_LIMIT,
        area=True,
        hint=_l("For example, step-free access, a British Sign Language interpreter, or large print."),
    )


class HowHeardForm(StepForm):
    how_heard = radios(_l("How did you hear about volunteering with us? (optional)"), options.HOW_HEARD)
    how_heard_other = text(_l("Tell us where (optional)"), only_when=("how_heard", "other"))


class ConsentForm(StepForm):
    consent_share = BooleanField(
        _l("I agree to my application being shared with the organisation that runs the scheme"),
        validators=[MustAgree(_l("Confirm that you agree to your application being shared with the scheme"))],
        widget=CheckboxInput(),
    )


class SendForm(StripWhitespaceForm):
    """The check-answers page's button. `website` is a honeypot: people never see or fill it."""

    website = StringField(_l("Leave this field empty"), widget=TextInput())
    submit = SubmitField(_l("Send application"), widget=SubmitInput())
