"""The signposting directory: services residents can turn to for help, edited by admins."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class SignpostCategory(StrEnum):
    """What kind of help a service gives; the Get help page groups services by these."""

    EMERGENCY = "emergency"
    VICTIM_SUPPORT = "victim_support"
    HATE_CRIME = "hate_crime"
    DOMESTIC_ABUSE = "domestic_abuse"
    SEXUAL_VIOLENCE = "sexual_violence"
    SUBSTANCE_MISUSE = "substance_misuse"
    MENTAL_HEALTH = "mental_health"
    HOUSING = "housing"
    GENERAL = "general"


class SignpostService(db.Model):
    """A service residents are pointed to, with who it helps and how to reach it (as plain text).

    Retired by making it inactive rather than deleting it, so what was shown can still be explained.
    """

    __tablename__ = "signpost_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    who_it_helps: Mapped[str] = mapped_column(Text)
    how_to_contact: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    category_rows: Mapped[list["SignpostServiceCategory"]] = relationship(
        cascade="all, delete-orphan", order_by="SignpostServiceCategory.category"
    )

    @property
    def categories(self) -> list[str]:
        return [row.category for row in self.category_rows]

    @categories.setter
    def categories(self, values: list[str]) -> None:
        wanted = list(dict.fromkeys(str(value) for value in values))
        kept = [row for row in self.category_rows if row.category in wanted]
        have = {row.category for row in kept}
        # Keep the rows that stay, so an edit does not delete and re-insert the same primary key.
        self.category_rows = kept + [SignpostServiceCategory(category=value) for value in wanted if value not in have]

    def __repr__(self) -> str:
        return f"<SignpostService {self.slug}>"


class SignpostServiceCategory(db.Model):
    """One kind of help a service gives: a row, not a list in a blob, so services can be found by it."""

    __tablename__ = "signpost_service_category"

    service_id: Mapped[int] = mapped_column(ForeignKey("signpost_service.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
