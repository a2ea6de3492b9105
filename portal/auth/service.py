"""Staff authentication rules."""

from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.models import StaffRole, StaffUser
from portal.models._types import utcnow


@cache
def _dummy_hash() -> str:
    """Checked when the account does not exist, so a wrong email takes as long as a wrong password."""
    return generate_password_hash("not-a-real-password")


def authenticate_staff(email: str, password: str) -> StaffUser | None:
    """The active staff account with this email and password, or None (the same answer either way)."""
    user = db.session.execute(
        db.select(StaffUser).where(db.func.lower(StaffUser.email) == email.strip().lower())
    ).scalar_one_or_none()
    if user is None or not user.active:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password):
        return None
    return user


def start_staff_session(user: StaffUser) -> None:
    """A fresh session token on every sign-in, so an old cookie can't be replayed."""
    user.rotate_session_token()
    user.last_signed_in_at = utcnow()
    db.session.flush()


def end_staff_session(user: StaffUser) -> None:
    """Rotating the token on sign-out invalidates the cookie even if someone kept a copy."""
    user.rotate_session_token()
    db.session.flush()


def create_staff(email: str, name: str, password: str, role: StaffRole) -> StaffUser:
    """A new staff account. Raises ValueError for a short password or an email already in use."""
    if len(password) < 12:
        raise ValueError("The password must be at least 12 characters")
    email = email.strip().lower()
    exists = db.session.execute(db.select(StaffUser.id).where(db.func.lower(StaffUser.email) == email)).first()
    if exists:
        raise ValueError(f"A staff account already uses {email}")
    user = StaffUser(email=email, name=name, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
