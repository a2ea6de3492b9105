"""Staff sign-in, two-factor and password forms: presence and format only (the service checks the rest)."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo

from portal.forms import MaxLength, PasswordInput, Required, StripWhitespaceForm, SubmitInput, TextInput


class SignInForm(StripWhitespaceForm):
    email = EmailField(
        _l("Email address"),
        validators=[Required(thing=_l("your email address")), MaxLength(254, thing=_l("Email address"))],
        widget=TextInput(),
    )
    password = PasswordField(
        _l("Password"),
        validators=[Required(thing=_l("your password")), MaxLength(1000, thing=_l("Password"))],
        widget=PasswordInput(),
    )
    submit = SubmitField(_l("Sign in"), widget=SubmitInput())


class SignOutForm(StripWhitespaceForm):
    """Only a CSRF token: signing out is a POST so another site cannot sign an officer out."""


def _security_code(label=None):
    return StringField(
        label or _l("Security code"),
        description=_l("The 6-digit code your authenticator app shows now, for example 123456"),
        validators=[Required(thing=_l("the security code")), MaxLength(20, thing=_l("Security code"))],
        widget=TextInput(),
    )


class SecurityCodeForm(StripWhitespaceForm):
    code = _security_code()
    submit = SubmitField(_l("Continue"), widget=SubmitInput())


class RecoveryCodeForm(StripWhitespaceForm):
    code = StringField(
        _l("Recovery code"),
        description=_l("One of the codes you saved when you set up two-factor authentication, for example abcde-fghjk"),
        validators=[Required(thing=_l("a recovery code")), MaxLength(40, thing=_l("Recovery code"))],
        widget=TextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=SubmitInput())


class CodesSavedForm(StripWhitespaceForm):
    submit = SubmitField(_l("I have saved these codes"), widget=SubmitInput())


class ChangePasswordForm(StripWhitespaceForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[Required(thing=_l("your current password")), MaxLength(1000, thing=_l("Current password"))],
        widget=PasswordInput(),
    )
    new_password = PasswordField(
        _l("New password"),
        description=_l(
            "At least 12 characters. Not a common password, and not your email address. "
            "Several words together are easy to remember and hard to guess."
        ),
        validators=[Required(thing=_l("a new password")), MaxLength(1000, thing=_l("New password"))],
        widget=PasswordInput(),
    )
    confirm_password = PasswordField(
        _l("Confirm new password"),
        validators=[
            Required(thing=_l("your new password again")),
            EqualTo("new_password", message=_l("The passwords do not match. Enter the same new password twice")),
        ],
        widget=PasswordInput(),
    )
    submit = SubmitField(_l("Change password"), widget=SubmitInput())


class ConfirmPasswordForm(StripWhitespaceForm):
    password = PasswordField(
        _l("Password"),
        validators=[Required(thing=_l("your password")), MaxLength(1000, thing=_l("Password"))],
        widget=PasswordInput(),
    )
    code = _security_code()
    submit = SubmitField(_l("Continue"), widget=SubmitInput())
