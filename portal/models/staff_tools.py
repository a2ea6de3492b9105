"""What staff use around the queue: response templates, and the audit trail of staff actions that are
not about one referral (exports, for example)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class TemplatePurpose(StrEnum):
    NOTE = "note"
    REPORTER_UPDATE = "reporter_update"


class ResponseTemplate(db.Model):
    """Words officers reuse: an internal note, or an update to a reporter. Edited by admins."""

    __tablename__ = "response_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    purpose: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(db.Model):
    """A security-relevant action: a sign-in or failed sign-in, an export, an admin change, a purge, an
    erasure. Append-only: nothing in the app updates or deletes it (on PostgreSQL a trigger refuses to)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # Who, in words, when there is no staff account (a failed sign-in, the worker, a partner's link).
    actor_label: Mapped[str | None] = mapped_column(String(200))
    # The client's address as the app saw it (after PROXY_COUNT proxies): staff actions only.
    client: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor = relationship("StaffUser")
