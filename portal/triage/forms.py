"""Forms officers use on a referral."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import RadioField, SubmitField

from portal.forms import RadioInput, Required, StripWhitespaceForm


class RouteForm(StripWhitespaceForm):
    partner = RadioField(
        _l("Route to partner"),
        validators=[Required(thing=_l("a partner"), choose=True)],
        widget=RadioInput(),
        validate_choice=False,
    )
    submit = SubmitField(_l("Route referral"), widget=GovSubmitInput())
