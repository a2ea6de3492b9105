"""Staff sign-in (the password step) and sign-out."""

from urllib.parse import unquote, urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import bp
from portal.auth.forms import SignInForm, SignOutForm
from portal.auth.pending import begin_pending_sign_in, end_pending_sign_in
from portal.auth.reauth import mark_password_confirmed
from portal.auth.service import authenticate_staff, end_staff_session, start_staff_session
from portal.extensions import db, limiter

# Per client, on every page that checks a password or a code (per account: the lockout in the service).
SIGN_IN_LIMIT = "10 per minute;50 per hour"


def safe_next(target: str | None, default: str = "triage.queue") -> str:
    """Only our own paths. '//evil.example', '/\\evil.example', 'https:evil.example', '/%2F%2Fevil.example',
    'javascript:…' and anything with a scheme, a host, a backslash or a control character fall back to the
    queue, whatever a browser might make of them."""
    if target and _is_own_path(target) and _is_own_path(unquote(target)):
        return target
    return url_for(default)


def _is_own_path(target: str) -> bool:
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(character) < 32 or ord(character) == 127 for character in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def complete_sign_in(user, pending: dict, method: str):
    """Both factors passed: sign in for real and go where the member of staff was going."""
    start_staff_session(user, method)
    db.session.commit()
    end_pending_sign_in()
    login_user(user)
    mark_password_confirmed(pending["password_at"])
    return redirect(safe_next(pending.get("next")))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def sign_in():
    """Email and password, the first step of signing in; the security code page (or setting up two-factor)
    follows. A wrong email, a wrong password and a locked account get the same answer."""
    if current_user.is_authenticated:
        return redirect(url_for("triage.queue"))
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate_staff(form.email.data, form.password.data)
        db.session.commit()  # the failure count and the audit trail, whatever the outcome
        if user is None:
            form.email.errors.append(_("Enter a correct email address and password"))
        else:
            end_pending_sign_in()
            begin_pending_sign_in(user, safe_next(request.args.get("next")))
            if user.mfa_enabled_at is None:
                return redirect(url_for("auth.set_up_two_factor"))
            return redirect(url_for("auth.security_code"))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    form = SignOutForm()
    if form.validate_on_submit():
        end_staff_session(current_user)
        db.session.commit()
        logout_user()
        flash(_("You have signed out."), "success")
        return redirect(url_for("auth.sign_in"))
    return redirect(url_for("triage.queue"))
