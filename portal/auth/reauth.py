"""Re-authentication: exports and admin changes ask for the password and a security code again when the
password was last given more than REAUTH_MINUTES ago. The time it was given is kept in the (signed) session,
set at sign-in and on the confirm-password page."""

import time
from functools import wraps

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _

PASSWORD_CONFIRMED_AT = "password_confirmed_at"  # noqa: S105 - a session key, not a password


def mark_password_confirmed(at: int | None = None) -> None:
    session[PASSWORD_CONFIRMED_AT] = int(at or time.time())


def sign_in_is_recent() -> bool:
    confirmed_at = session.get(PASSWORD_CONFIRMED_AT)
    return confirmed_at is not None and time.time() - confirmed_at <= current_app.config["REAUTH_MINUTES"] * 60


def _page_to_return_to() -> str:
    """After confirming: the page asked for (a GET), or the page the form was on (a POST, which is not repeated:
    its answers are lost)."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = request.referrer or ""
    root = request.host_url.rstrip("/")
    return referrer[len(root) :] if referrer.startswith(root + "/") else url_for("triage.queue")


def ask_for_password_again():
    """The redirect to the confirm-password page, or None when the password was given recently enough."""
    if sign_in_is_recent():
        return None
    if request.method != "GET":
        flash(
            _("Confirm your password before making this change. Nothing was changed: do it again once you have."),
            "info",
        )
    return redirect(url_for("auth.confirm_password", next=_page_to_return_to()))


def recent_sign_in_required(view):
    """For views that export data or change settings (use after login_required)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return ask_for_password_again() or view(*args, **kwargs)

    return wrapped


def require_recent_sign_in_for_changes():
    """A before_request hook for a blueprint whose every POST is a change (the admin pages)."""
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return None
    return ask_for_password_again()
