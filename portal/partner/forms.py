"""Forms on the partner's referral page. They share one page without prefixes, so each has its own field
and button names (their ids must differ), and the CSRF token is written into each form by the template."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import AnyOf

from portal.forms import MaxLength, RadioInput, Required, StripWhitespaceForm, SubmitInput, TextArea, choices
from portal.partner.service import REASON_LIMIT
from portal.triage.forms import VOLUNTEER_OUTCOMES


class AcknowledgeForm(StripWhitespaceForm):
    acknowledge = SubmitField(_l("Acknowledge referral"), widget=SubmitInput())


class HandBackForm(StripWhitespaceForm):
    reason = TextAreaField(
        _l("Why are you handing it back?"),
        description=_l("For example, it is outside the area you cover, or you cannot help with this kind of case."),
        widget=TextArea(),
        validators=[
            Required(thing=_l("why you are handing it back")),
            MaxLength(REASON_LIMIT, thing=_l("The reason")),
        ],
    )
    hand_back = SubmitField(_l("Hand back to triage"), widget=SubmitInput())


class OutcomeForm(StripWhitespaceForm):
    outcome = RadioField(
        _l("What became of the application?"),
        choices=choices(VOLUNTEER_OUTCOMES),
        widget=RadioInput(),
        validate_choice=False,
        validators=[
            Required(thing=_l("the outcome"), choose=True),
            AnyOf([value for value, _label in VOLUNTEER_OUTCOMES], message=_l("Select one of the options")),
        ],
    )
    save_outcome = SubmitField(_l("Save outcome"), widget=SubmitInput())


class NewLinkForm(StripWhitespaceForm):
    new_link = SubmitField(_l("Send a new link"), widget=SubmitInput())
