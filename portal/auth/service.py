"""Staff authentication rules: passwords, lockout after repeated failures, and sessions."""

from datetime import timedelta
from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from portal.audit import record_audit
from portal.auth.passwords import password_problem
from portal.extensions import db
from portal.models import StaffRole, StaffUser
from portal.models._types import utcnow


@cache
def _dummy_hash() -> str:
    """Checked when the account does not exist, so a wrong email takes as long as a wrong password."""
    return generate_password_hash("not-a-real-password")


def find_staff(email: str) -> StaffUser | None:
    return db.session.execute(
        db.select(StaffUser).where(db.func.lower(StaffUser.email) == email.strip().lower())
    ).scalar_one_or_none()


def is_locked(user: StaffUser) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


def authenticate_staff(email: str, password: str) -> StaffUser | None:
    """The active, unlocked staff account with this email and password, or None. The answer and the time it takes
    are the same whether the account does not exist, is locked, or the password is wrong; the failure is
    counted towards the account's lockout and recorded in the audit trail (never the password typed)."""
    user = find_staff(email)
    if user is None or not user.active:
        check_password_hash(_dummy_hash(), password)
        record_audit("sign_in_failed", actor=user, actor_label=None if user else "unknown account", stage="password")
        return None
    if is_locked(user):
        check_password_hash(user.password_hash, password)
        record_audit("sign_in_failed", actor=user, stage="password", locked=True)
        return None
    if not user.check_password(password):
        record_failed_sign_in(user, stage="password")
        return None
    return user


def record_failed_sign_in(user: StaffUser, stage: str) -> bool:
    """Count a wrong password or code; after SIGN_IN_LOCKOUT_ATTEMPTS in a row, lock the account for
    SIGN_IN_LOCKOUT_MINUTES. Returns whether the account is now locked."""
    config = current_app.config
    user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
    record_audit("sign_in_failed", actor=user, stage=stage)
    if user.failed_sign_ins < config["SIGN_IN_LOCKOUT_ATTEMPTS"]:
        db.session.flush()
        return False
    minutes = config["SIGN_IN_LOCKOUT_MINUTES"]
    user.locked_until = utcnow() + timedelta(minutes=minutes)
    user.failed_sign_ins = 0  # a fresh allowance once the lock has expired
    record_audit("locked", actor=user, minutes=minutes)
    db.session.flush()
    return True


def start_staff_session(user: StaffUser, method: str) -> None:
    """After both factors: a fresh session token on every sign-in (so an old cookie can't be replayed), and the
    failure count back to zero."""
    user.rotate_session_token()
    user.last_signed_in_at = utcnow()
    user.failed_sign_ins = 0
    user.locked_until = None
    record_audit("sign_in", actor=user, method=method)
    db.session.flush()


def end_staff_session(user: StaffUser) -> None:
    """Rotating the token on sign-out invalidates the cookie even if someone kept a copy."""
    user.rotate_session_token()
    db.session.flush()


def change_password(user: StaffUser, new_password: str) -> None:
    """Set a new password (already checked against the rules) and end every other session of the account."""
    user.set_password(new_password)
    user.password_changed_at = utcnow()
    user.rotate_session_token()
    record_audit("password_changed", actor=user)
    db.session.flush()


def create_staff(email: str, name: str, password: str, role: StaffRole) -> StaffUser:
    """A new staff account, which sets up two-factor the first time it signs in. Raises ValueError for a password
    that breaks the rules (see portal.auth.passwords) or an email already in use."""
    problem = password_problem(password, email)
    if problem:
        raise ValueError(problem)
    email = email.strip().lower()
    if find_staff(email) is not None:
        raise ValueError(f"A staff account already uses {email}")
    user = StaffUser(email=email, name=name, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
