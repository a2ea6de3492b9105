"""The second step of signing in: the security code from an authenticator app, a recovery code instead, or,
the first time, setting two-factor up (QR code, first code, recovery codes shown once)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.audit import record_audit
from portal.auth import bp
from portal.auth.forms import CodesSavedForm, RecoveryCodeForm, SecurityCodeForm
from portal.auth.mfa import (
    enable_two_factor,
    grouped,
    provisioning_uri,
    qr_code_svg,
    start_enrolment,
    unused_recovery_codes,
    use_recovery_code,
    verify_totp,
)
from portal.auth.pending import advance_pending_sign_in, end_pending_sign_in, pending_state, pending_user
from portal.auth.routes.sign_in import SIGN_IN_LIMIT, complete_sign_in
from portal.auth.service import record_failed_sign_in
from portal.extensions import db, limiter


def _already_signed_in():
    return redirect(url_for("triage.queue")) if current_user.is_authenticated else None


def _start_again():
    flash(_("Your sign-in has ended. Sign in again."), "info")
    return redirect(url_for("auth.sign_in"))


def _wrong_code(user, form, stage: str, message: str):
    """Count the failure; when it locks the account the sign-in ends (and the sign-in page then answers as for
    a wrong password)."""
    locked = record_failed_sign_in(user, stage=stage)
    db.session.commit()
    if locked:
        end_pending_sign_in()
        return _start_again()
    form.code.errors.append(message)
    return None


def _enrolled_pending_user():
    """The account half-way through signing in, with two-factor set up; or, instead, where to send the
    visitor (already signed in, sign-in expired, or two-factor still to set up)."""
    if signed_in := _already_signed_in():
        return None, signed_in
    user = pending_user()
    if user is None:
        return None, _start_again()
    if user.mfa_enabled_at is None:
        return None, redirect(url_for("auth.set_up_two_factor"))
    return user, None


@bp.route("/sign-in/security-code", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def security_code():
    """The 6-digit code from the authenticator app, after the password."""
    user, elsewhere = _enrolled_pending_user()
    if elsewhere is not None:
        return elsewhere
    form = SecurityCodeForm()
    if form.validate_on_submit():
        if verify_totp(user, form.code.data):
            return complete_sign_in(user, pending_state(), method="security_code")
        wrong = _wrong_code(
            user, form, "security_code", _("The security code is not correct. Enter the code your app shows now")
        )
        if wrong is not None:
            return wrong
    return render_template("auth/security_code.html", form=form)


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def recovery_code():
    """A one-time recovery code instead of the app's code, for a lost or broken phone."""
    user, elsewhere = _enrolled_pending_user()
    if elsewhere is not None:
        return elsewhere
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        if use_recovery_code(user, form.code.data):
            record_audit("recovery_code_used", actor=user, remaining=unused_recovery_codes(user))
            return complete_sign_in(user, pending_state(), method="recovery_code")
        wrong = _wrong_code(
            user,
            form,
            "recovery_code",
            _("The recovery code is not correct or has been used. Enter a code you have not used"),
        )
        if wrong is not None:
            return wrong
    return render_template("auth/recovery_code.html", form=form)


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def set_up_two_factor():
    """The first sign-in: scan the QR code (or type the key), enter the first code, then save the recovery codes.
    The codes are shown in the answer to this POST only, never stored or put in the session."""
    if signed_in := _already_signed_in():
        return signed_in
    user = pending_user()
    if user is None:
        return _start_again()
    if user.mfa_enabled_at is not None:
        return redirect(url_for("auth.security_code"))
    start_enrolment(user)
    db.session.commit()
    form = SecurityCodeForm()
    if form.validate_on_submit():
        if verify_totp(user, form.code.data):
            codes = enable_two_factor(user)
            record_audit("mfa_enrolled", actor=user)
            db.session.commit()
            advance_pending_sign_in("recovery_codes_shown")
            return render_template("auth/recovery_codes.html", codes=codes, saved_form=CodesSavedForm())
        wrong = _wrong_code(
            user, form, "set_up", _("The security code is not correct. Enter the code your app shows now")
        )
        if wrong is not None:
            return wrong
    uri = provisioning_uri(user)
    return render_template(
        "auth/set_up_two_factor.html",
        form=form,
        qr_code=qr_code_svg(uri, label=_("QR code to set up your authenticator app")),
        secret=grouped(user.totp_secret),
    )


@bp.route("/sign-in/recovery-codes-saved", methods=["POST"])
@limiter.limit(SIGN_IN_LIMIT)
def recovery_codes_saved():
    """'I have saved these codes': the end of setting up two-factor, and of signing in."""
    if signed_in := _already_signed_in():
        return signed_in
    user = pending_user()
    state = pending_state()
    if user is None or state is None or state.get("stage") != "recovery_codes_shown" or user.mfa_enabled_at is None:
        return _start_again()
    if not CodesSavedForm().validate_on_submit():
        return _start_again()
    return complete_sign_in(user, state, method="set_up_two_factor")
