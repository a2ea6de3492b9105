"""Staff accounts: triage officers and admins."""

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class StaffRole(StrEnum):
    TRIAGER = "triager"
    ADMIN = "admin"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class StaffUser(UserMixin, db.Model):
    """A member of staff who signs in to work the queue.

    The session cookie holds `session_token`, not the primary key, so rotating the token on sign-in
    and sign-out ends every other session that used it.
    """

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=StaffRole.TRIAGER)
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor: a TOTP secret, set when the member of staff has proved their app works (enrolled).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    mfa_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Failed sign-ins in a row, and the time the account is locked until after too many.
    failed_sign_ins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recovery_codes: Mapped[list["StaffRecoveryCode"]] = relationship(
        back_populates="staff_user", cascade="all, delete-orphan", order_by="StaffRecoveryCode.id"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.ADMIN

    def get_id(self) -> str:
        return self.session_token

    def __repr__(self) -> str:
        return f"<StaffUser {self.id} {self.role}>"


class StaffRecoveryCode(db.Model):
    """A one-time code that signs a member of staff in when their authenticator app is lost. Only its hash
    is kept; the codes are shown once, at enrolment."""

    __tablename__ = "staff_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff_user: Mapped[StaffUser] = relationship(back_populates="recovery_codes")
