"""Translations of what admins write for residents to read: scheme names and descriptions, Get help services,
area names and partner names. The page text itself is translated in the catalogues (portal/translations)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class ContentTranslation(db.Model):
    """One field of one thing (say the summary of the Neighbourhood Watch scheme) in one language.

    `subject` names the kind of thing ("scheme", "service", "area", "partner"; see portal/content.py) and
    `subject_id` its row. A translation is marked as needing review until a native speaker has checked it, and
    again whenever the English it was made from changes.
    """

    __tablename__ = "content_translation"
    __table_args__ = (UniqueConstraint("subject", "subject_id", "field", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int]
    field: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(16), index=True)
    text: Mapped[str] = mapped_column(Text)
    needs_review: Mapped[bool] = mapped_column(default=True, server_default=true())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<ContentTranslation {self.subject}:{self.subject_id}.{self.field} {self.locale}>"
