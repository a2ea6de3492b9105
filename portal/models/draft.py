"""Report drafts: a resident's answers while they go through the journey, kept on the server (never in
the cookie) under a random id that only their session holds, and deleted a few hours later."""

from datetime import datetime, timedelta

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow

DRAFT_LIFETIME = timedelta(hours=4)


def _expiry() -> datetime:
    return utcnow() + DRAFT_LIFETIME


class ReportDraft(db.Model):
    __tablename__ = "report_draft"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_expiry, index=True)
    # Set in the same transaction as the referral it became, so a second submit finds it and makes none.
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id", ondelete="SET NULL"), unique=True)

    @property
    def expired(self) -> bool:
        return self.expires_at <= utcnow()
