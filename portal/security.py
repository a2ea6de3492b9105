"""Security that applies to every request: response headers with a per-response CSP nonce, CSRF on every
POST, and the limits on a staff session (idle and absolute), with the keep-alive the idle warning calls.

The session token (StaffUser.session_token, the Flask-Login id) makes a session revocable server-side; the
two timestamps here live in the signed session cookie, so a copied cookie expires as the original does.
"""

import secrets
import time

from flask import Blueprint, Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user, user_logged_in

from portal.extensions import csrf

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# Requests that must not count as activity: assets, and anything a page does on its own.
NOT_ACTIVITY = {"static"}

bp = Blueprint("session", __name__, url_prefix="/staff")


# Public journeys whose forms check their own CSRF token and, when it fails (a page left open for hours, cookies
# blocked), show the answers again with a message instead of an error page, so a resident loses nothing. Every
# other POST (staff, admin, sign-in, any new blueprint) is refused with a 400 before its view runs.
FORMS_CHECK_THEIR_OWN_CSRF = {"reporting", "volunteering", "partner"}


def register_security(app: Flask) -> None:
    """CSRF protection, the session limits, the keep-alive route and the security headers."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # protect_every_post() decides instead
    csrf.init_app(app)
    app.before_request(protect_every_post)
    app.before_request(enforce_session_limits)
    app.after_request(set_security_headers)
    app.context_processor(lambda: {"cspNonce": csp_nonce()})
    app.register_blueprint(bp)
    user_logged_in.connect(start_session_clock, app)


def protect_every_post() -> None:
    """Deny by default: a POST without a valid CSRF token is a 400, unless its form reports the failure itself."""
    if request.method == "POST" and request.blueprint not in FORMS_CHECK_THEIR_OWN_CSRF:
        csrf.protect()


def start_session_clock(sender, user, **extra) -> None:
    """Flask-Login signal: whatever the sign-in route (password, MFA), the clocks start when it signs in."""
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now


def session_ended_reason() -> str | None:
    """Why the signed-in staff user's session is over, or None while it is within both limits."""
    now = time.time()
    # A session signed in before these limits existed has no clock yet: it starts now.
    signed_in_at = session.setdefault(SIGNED_IN_AT, int(now))
    last_seen = session.get(LAST_SEEN, signed_in_at)
    idle_minutes = current_app.config["SESSION_IDLE_MINUTES"]
    max_hours = current_app.config["SESSION_MAX_HOURS"]
    if now - signed_in_at > max_hours * 3600:
        return _("You were signed out because you have been signed in for %(hours)s hours.", hours=max_hours)
    if now - last_seen > idle_minutes * 60:
        return _("You were signed out because you had not done anything for %(minutes)s minutes.", minutes=idle_minutes)
    return None


def enforce_session_limits():
    """Sign a staff user out after SESSION_IDLE_MINUTES without a request, or SESSION_MAX_HOURS after signing in."""
    if request.endpoint in NOT_ACTIVITY or not current_user.is_authenticated:
        return None
    reason = session_ended_reason()
    if reason is None:
        session[LAST_SEEN] = int(time.time())
        return None
    logout_user()
    session.clear()
    flash(reason, "info")
    if request.path.startswith("/staff"):
        return redirect(url_for("auth.sign_in"))
    return None


@bp.route("/keep-alive", methods=["POST"])
@login_required
def keep_alive():
    """'Stay signed in' on the idle warning: the request itself resets the idle clock (CSRF-protected)."""
    return current_app.response_class(status=204, mimetype="text/plain")


# --- Headers ---

CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000; includeSubDomains"


def csp_nonce() -> str:
    """A fresh nonce per response, for GOV.UK Frontend's one inline script (template.html's cspNonce)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def set_security_headers(response):
    headers = response.headers
    headers["Content-Security-Policy"] = CSP.format(nonce=csp_nonce())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["ENVIRONMENT"] not in {"development", "test"}:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response
