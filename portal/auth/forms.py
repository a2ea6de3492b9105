"""Staff sign-in form."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField

from portal.forms import MaxLength, Required, StripWhitespaceForm


class SignInForm(StripWhitespaceForm):
    email = EmailField(
        _l("Email address"),
        validators=[Required(thing=_l("your email address")), MaxLength(254, thing=_l("Email address"))],
        widget=GovTextInput(),
    )
    password = PasswordField(
        _l("Password"),
        validators=[Required(thing=_l("your password")), MaxLength(1000, thing=_l("Password"))],
        widget=GovPasswordInput(),
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class SignOutForm(StripWhitespaceForm):
    """Only a CSRF token: signing out is a POST so another site cannot sign an officer out."""
