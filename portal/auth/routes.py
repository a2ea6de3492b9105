"""Staff sign-in and sign-out pages."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import bp
from portal.auth.forms import SignInForm, SignOutForm
from portal.auth.service import authenticate_staff, end_staff_session, start_staff_session
from portal.extensions import db, limiter


def safe_next(target: str | None) -> str:
    """Only our own paths: '//evil.example', '/\\evil.example' and absolute URLs fall back to the queue."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("triage.queue")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def sign_in():
    """Email and password sign-in for triage officers and admins."""
    if current_user.is_authenticated:
        return redirect(url_for("triage.queue"))
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate_staff(form.email.data, form.password.data)
        if user is None:
            form.email.errors.append(_("Enter a correct email address and password"))
        else:
            start_staff_session(user)
            db.session.commit()
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
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
