"""The half-signed-in state between the password and the second factor: kept in the session with the account's
id, its session token (so a sign-in or password change elsewhere ends it) and an expiry of 5 minutes. Nothing
is signed in (Flask-Login) until the second factor passes; each step writes a fresh state."""

import secrets
import time

from flask import session

from portal.auth.service import is_locked
from portal.extensions import db
from portal.models import StaffUser

PENDING = "pending_sign_in"
PENDING_SECONDS = 5 * 60


def begin_pending_sign_in(user: StaffUser, next_path: str) -> None:
    now = int(time.time())
    session[PENDING] = {
        "user": user.id,
        "token": user.session_token,
        "expires": now + PENDING_SECONDS,
        "password_at": now,
        "next": next_path,
        "stage": "second_factor",
        "nonce": secrets.token_urlsafe(12),
    }


def pending_state() -> dict | None:
    state = session.get(PENDING)
    if not isinstance(state, dict) or state.get("expires", 0) < time.time():
        session.pop(PENDING, None)
        return None
    return state


def pending_user() -> StaffUser | None:
    """The account half-way through signing in with this browser, or None (none, expired, locked, or changed)."""
    state = pending_state()
    if state is None:
        return None
    user = db.session.get(StaffUser, state["user"])
    if user is None or not user.active or user.session_token != state["token"] or is_locked(user):
        session.pop(PENDING, None)
        return None
    return user


def advance_pending_sign_in(stage: str) -> None:
    """Move to the next step with a fresh state (a new nonce), keeping the account, expiry and destination."""
    state = dict(session[PENDING])
    state.update(stage=stage, nonce=secrets.token_urlsafe(12))
    session[PENDING] = state


def end_pending_sign_in() -> dict | None:
    return session.pop(PENDING, None)
