"""A signed-in member of staff's own account: changing the password, and confirming it again before an export or
an admin change."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.audit import record_audit
from portal.auth import bp
from portal.auth.forms import ChangePasswordForm, ConfirmPasswordForm
from portal.auth.mfa import verify_totp
from portal.auth.passwords import password_problem
from portal.auth.reauth import mark_password_confirmed
from portal.auth.routes.sign_in import SIGN_IN_LIMIT, safe_next
from portal.auth.service import change_password as set_new_password
from portal.auth.service import end_staff_session, record_failed_sign_in
from portal.extensions import db, limiter
from portal.security import SIGNED_IN_AT


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def change_password():
    """Current password, then the new one twice. Every other session of the account ends; this one goes on."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("Your current password is not correct"))
        elif problem := password_problem(form.new_password.data, current_user.email):
            form.new_password.errors.append(problem)
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append(_("Your new password must be different from your current password"))
        else:
            user = current_user._get_current_object()
            set_new_password(user, form.new_password.data)
            db.session.commit()
            signed_in_at = session.get(SIGNED_IN_AT)
            login_user(user)  # the new session token, in this browser's cookie only
            if signed_in_at is not None:
                session[SIGNED_IN_AT] = signed_in_at  # changing a password does not extend the session
            mark_password_confirmed()
            flash(_("Your password has been changed. You have been signed out everywhere else."), "success")
            return redirect(url_for("triage.queue"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/confirm-password", methods=["GET", "POST"])
@login_required
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def confirm_password():
    """Password and security code again, before an export or an admin change, when the password was last given
    more than REAUTH_MINUTES ago."""
    form = ConfirmPasswordForm()
    next_path = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if user.check_password(form.password.data) and verify_totp(user, form.code.data):
            user.failed_sign_ins = 0
            record_audit("reauthenticated", actor=user)
            db.session.commit()
            mark_password_confirmed()
            return redirect(next_path)
        if record_failed_sign_in(user, stage="confirm_password"):
            end_staff_session(user)
            db.session.commit()
            logout_user()
            flash(_("You have been signed out. Sign in again."), "info")
            return redirect(url_for("auth.sign_in"))
        db.session.commit()
        form.password.errors.append(_("Enter a correct password and security code"))
    return render_template("auth/confirm_password.html", form=form, next_path=next_path)
