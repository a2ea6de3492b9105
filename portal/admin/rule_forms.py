"""The form admins use to write a routing rule: its conditions (each one optional) and the partners it
suggests. Presence and format only; the lists of schemes, areas and partners are set by the view."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import ValidationError

from portal.admin.rule_service import RuleAnswers
from portal.forms import (
    CheckboxesInput,
    CheckboxInput,
    MaxLength,
    Required,
    Select,
    StripWhitespaceForm,
    SubmitInput,
    TextInput,
    choice_values,
    choices,
)
from portal.labels import CLASSIFICATION_LABELS, KIND_LABELS, PARTNER_TYPE_LABELS
from portal.models import Consent, ReferralKind, RoutingRule
from portal.reporting.options import CONSENTS, STRANDS

NAME_LIMIT = 200  # the column's size
POSITION_LIMIT = 9999
ANY = ("", _l("Any"))
# A reporter who asked only for a record consents to no partner, so a rule cannot ask for that.
RULE_CONSENTS = [(value, label) for value, label in CONSENTS if value != Consent.JUST_RECORD]
# Conditions only a hate incident report has, and the one only a volunteer application has.
REPORT_ONLY = ("strand", "classification", "consent")


def condition(label, options, hint="") -> SelectField:
    return SelectField(
        label,
        choices=choices([ANY, *options]),
        description=hint,
        widget=Select(),
        validate_choice=False,
    )


class RuleForm(StripWhitespaceForm):
    """A routing rule. A referral matches when it meets every condition that is not Any."""

    name = StringField(
        _l("Name of the rule"),
        description=_l("Officers see it with each suggestion, so say what the rule is for."),
        validators=[Required(thing=_l("the name of the rule")), MaxLength(NAME_LIMIT, thing=_l("Name"))],
        widget=TextInput(),
    )
    kind = condition(_l("Kind of referral"), KIND_LABELS.items())
    strand = condition(_l("What the hostility was about"), STRANDS, _l("Matches a report that names this strand."))
    classification = condition(_l("Classification"), CLASSIFICATION_LABELS.items(), _l("As an officer classified it."))
    consent = condition(
        _l("What the reporter asked for"),
        RULE_CONSENTS,
        _l("The reporter’s answer to what they would like to happen. It is their consent for that kind of partner."),
    )
    scheme_id = condition(_l("Volunteering scheme"), [], _l("The scheme a volunteer applied to."))
    area_id = condition(_l("Area"), [], _l("Where the incident happened, or where the volunteer lives."))
    partner_ids = SelectMultipleField(
        _l("Which partners does it suggest?"),
        description=_l("Select all that apply. An officer still chooses where each referral goes."),
        validators=[Required(thing=_l("at least one partner"), choose=True)],
        widget=CheckboxesInput(),
        validate_choice=False,
    )
    position = StringField(
        _l("Position"),
        description=_l("Rules are checked in this order, lowest first: partners are suggested in that order."),
        validators=[Required(thing=_l("a position"))],
        widget=TextInput(),
    )
    active = BooleanField(_l("Use this rule to suggest partners"), widget=CheckboxInput())
    submit = SubmitField(_l("Save rule"), widget=SubmitInput())

    def set_options(self, schemes, areas, partners) -> None:
        """The lists that come from the database: schemes, areas (retired ones marked) and partners."""
        self.scheme_id.choices = choices([ANY, *((scheme.id, scheme.name) for scheme in schemes)])
        self.area_id.choices = choices(
            [
                ANY,
                *((area.id, area.name if area.active else _l("%(name)s (retired)", name=area.name)) for area in areas),
            ]
        )
        self.partner_ids.choices = choices((partner.id, _partner_label(partner)) for partner in partners)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in (self[name] for name in CONDITION_FIELDS):
            field.data = field.data or ""  # not sent at all: Any
            if field.data not in choice_values(field):
                field.errors.append(_l("Select %(thing)s from the list, or Any", thing=str(field.label.text).lower()))
                valid = False
        return valid and self._conditions_can_match()

    def _conditions_can_match(self) -> bool:
        """A rule for volunteer applications with a report's condition (or the reverse) would never match."""
        if self.kind.data == ReferralKind.VOLUNTEER and any(self[name].data for name in REPORT_ONLY):
            self.kind.errors.append(
                _l("A volunteer application has no strand, classification or consent: choose Any for those")
            )
            return False
        if self.kind.data == ReferralKind.HATE_INCIDENT and self.scheme_id.data:
            self.kind.errors.append(_l("A hate incident report has no volunteering scheme: choose Any for the scheme"))
            return False
        return True

    def validate_partner_ids(self, field):
        if set(field.data or []) - choice_values(field):
            raise ValidationError(_l("Select partners from the list"))

    def validate_position(self, field):
        if not (field.data.isascii() and field.data.isdigit() and len(field.data) <= 4):
            raise ValidationError(
                _l("Position must be a whole number from 0 to %(limit)s, like 10", limit=POSITION_LIMIT)
            )

    @staticmethod
    def data_from(rule: RoutingRule) -> dict:
        """What the edit page shows before the admin changes anything."""
        data = {name: "" if getattr(rule, name) is None else str(getattr(rule, name)) for name in CONDITION_FIELDS}
        data.update(
            name=rule.name,
            active=rule.active,
            position=str(rule.position),
            partner_ids=[str(partner.id) for partner in rule.partners],
        )
        return data

    def answers(self) -> RuleAnswers:
        return RuleAnswers(
            name=self.name.data,
            active=self.active.data,
            position=int(self.position.data),
            kind=self.kind.data or None,
            strand=self.strand.data or None,
            classification=self.classification.data or None,
            consent=self.consent.data or None,
            scheme_id=int(self.scheme_id.data) if self.scheme_id.data else None,
            area_id=int(self.area_id.data) if self.area_id.data else None,
            partner_ids=[int(value) for value in dict.fromkeys(self.partner_ids.data)],
        )


CONDITION_FIELDS = ("kind", "strand", "classification", "consent", "scheme_id", "area_id")


def _partner_label(partner) -> str:
    kind = PARTNER_TYPE_LABELS.get(partner.partner_type, partner.partner_type)
    if not partner.active:
        return _l("%(name)s (%(kind)s, not taking referrals)", name=partner.name, kind=kind)
    return _l("%(name)s (%(kind)s)", name=partner.name, kind=kind)
