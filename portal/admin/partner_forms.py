"""Forms admins use to keep partners: the partner itself, an address to add, and the buttons that act on one
address. Presence and format only; the services check names and addresses are free."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, Optional, ValidationError

from portal.admin.partner_service import PartnerAnswers
from portal.forms import (
    CharacterCount,
    CheckboxInput,
    Email,
    MaxLength,
    RadioInput,
    Required,
    StripWhitespaceForm,
    SubmitInput,
    TextInput,
    choices,
)
from portal.labels import PARTNER_TYPE_LABELS
from portal.models import Partner, PartnerType

NAME_LIMIT = 200  # the column's size
DESCRIPTION_LIMIT = 500
EMAIL_LIMIT = 254
SLA_LIMIT = 720  # working hours: about 18 weeks of working days

# What each kind of partner may be sent, in the admin's words: the consent a report needs to go there.
PARTNER_TYPE_HINTS = {
    PartnerType.POLICE: _l("A hate incident report goes here only if the reporter agreed to tell the police."),
    PartnerType.VICTIM_SUPPORT: _l("A hate incident report goes here only if the reporter asked for victim support."),
    PartnerType.COUNCIL_HOUSING: _l(
        "A hate incident report goes here only if the reporter asked for council or housing advice."
    ),
    PartnerType.OTHER: _l("No consent covers it: a hate incident report goes here only with an officer's reason."),
    PartnerType.VOLUNTEERING: _l(
        "Runs a volunteering scheme: it gets applications to its scheme. A hate incident report goes here only "
        "if an officer gives a reason."
    ),
}


class HintedRadioInput(RadioInput):
    """Radios with a hint under each option."""

    def __init__(self, hints: dict):
        self.hints = hints

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item in params["items"]:
            if item["value"] in self.hints:
                item["hint"] = {"text": self.hints[item["value"]]}
        return params


class PartnerForm(StripWhitespaceForm):
    """A partner agency."""

    name = StringField(
        _l("Name of the partner"),
        validators=[Required(thing=_l("the name of the partner")), MaxLength(NAME_LIMIT, thing=_l("Name"))],
        widget=TextInput(),
    )
    description = TextAreaField(
        _l("What it does (optional)"),
        description=_l("Officers read this when they choose where to send a referral."),
        validators=[Optional(), MaxLength(DESCRIPTION_LIMIT, thing=_l("What it does"))],
        widget=CharacterCount(),
    )
    partner_type = RadioField(
        _l("What kind of partner is it?"),
        choices=choices(PARTNER_TYPE_LABELS.items()),
        validators=[
            Required(thing=_l("what kind of partner it is"), choose=True),
            AnyOf([kind.value for kind in PartnerType], message=_l("Select what kind of partner it is")),
        ],
        widget=HintedRadioInput(PARTNER_TYPE_HINTS),
        validate_choice=False,
    )
    secure_email = BooleanField(
        _l("Send the full details of each referral by email"),
        description=_l(
            "Only for a secure email service, such as a police .pnn or a CJSM address. The email will hold "
            "special category data about residents. Other partners get a notice and a link."
        ),
        widget=CheckboxInput(),
    )
    active = BooleanField(
        _l("Taking referrals"),
        description=_l("Officers can send referrals to this partner, and routing rules suggest it."),
        widget=CheckboxInput(),
    )
    ack_sla_hours = StringField(
        _l("Time to acknowledge a referral, in working hours (optional)"),
        validators=[Optional()],
        widget=TextInput(),
    )
    submit = SubmitField(_l("Save partner"), widget=SubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ack_sla_hours.description = _l(
            "A whole number from 1 to %(limit)s. Leave it empty for the partnership’s usual %(hours)s hours.",
            limit=SLA_LIMIT,
            hours=f"{current_app.config['SLA_ACKNOWLEDGE_HOURS']:g}",
        )

    def validate_ack_sla_hours(self, field):
        number = field.data
        if not (number.isascii() and number.isdigit() and len(number) <= 4 and 1 <= int(number) <= SLA_LIMIT):
            raise ValidationError(
                _l("Time to acknowledge must be a whole number from 1 to %(limit)s, like 16", limit=SLA_LIMIT)
            )

    @staticmethod
    def data_from(partner: Partner) -> dict:
        """What the edit page shows before the admin changes anything."""
        return {
            "name": partner.name,
            "description": partner.description or "",
            "partner_type": partner.partner_type,
            "secure_email": partner.secure_email,
            "active": partner.active,
            "ack_sla_hours": "" if partner.ack_sla_hours is None else str(partner.ack_sla_hours),
        }

    def answers(self) -> PartnerAnswers:
        return PartnerAnswers(
            name=self.name.data,
            description=self.description.data or None,
            partner_type=PartnerType(self.partner_type.data).value,
            secure_email=self.secure_email.data,
            active=self.active.data,
            ack_sla_hours=int(self.ack_sla_hours.data) if self.ack_sla_hours.data else None,
        )


class AddressForm(StripWhitespaceForm):
    """An email address to add to a partner."""

    email = EmailField(
        _l("Email address"),
        description=_l(
            "We will email a link to this address. Nothing is sent to it until someone follows the link to confirm it."
        ),
        validators=[
            Required(thing=_l("the email address")),
            MaxLength(EMAIL_LIMIT, thing=_l("Email address")),
            Email(),
        ],
        widget=TextInput(),
    )
    submit = SubmitField(_l("Add address and send the link"), widget=SubmitInput())


class ButtonForm(StripWhitespaceForm):
    """Only a CSRF token: a button that acts on one thing (send a link again, remove an address, delete a rule)."""
