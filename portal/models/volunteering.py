"""Volunteering: the schemes residents can join (edited by admins) and their applications (1:1 with a
referral, as a hate-incident report is)."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class SchemeStatus(StrEnum):
    OPEN = "open"
    WAITING_LIST = "waiting_list"  # takes sign-ups, for a waiting list
    CLOSED = "closed"  # takes no sign-ups at the moment


class VolunteerOutcome(StrEnum):
    """What became of an application, set by staff or by the scheme's partner."""

    ACCEPTED = "accepted"
    WAITING_LIST = "waiting_list"
    NOT_PROGRESSED = "not_progressed"
    WITHDRAWN = "withdrawn"


class VolunteerScheme(db.Model):
    """A way to volunteer, with who can join, who runs it and where its applications go.

    A signpost-only scheme (such as Do-It) takes no sign-up here: its page points to `external_url`.
    """

    __tablename__ = "volunteer_scheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    what_volunteers_do: Mapped[str | None] = mapped_column(Text)
    time_commitment: Mapped[str | None] = mapped_column(String(200))
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]  # inclusive: 17 means up to the day before the 18th birthday
    carer_consent_under_18: Mapped[bool] = mapped_column(default=False, server_default=false())
    vetting_notes: Mapped[str | None] = mapped_column(Text)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"))
    auto_route: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(16), default=SchemeStatus.OPEN)
    signpost_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    external_url: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    partner = relationship("Partner")

    @property
    def takes_sign_ups(self) -> bool:
        return not self.signpost_only and self.status != SchemeStatus.CLOSED

    def admits_age(self, age: int) -> bool:
        return (self.min_age is None or age >= self.min_age) and (self.max_age is None or age <= self.max_age)

    def needs_carer(self, age: int | None) -> bool:
        """Whether an applicant of this age must give a parent or carer's details and consent."""
        return self.carer_consent_under_18 and age is not None and age < 18

    def __repr__(self) -> str:
        return f"<VolunteerScheme {self.slug} {self.status}>"


class VolunteerApplication(db.Model):
    """Every answer of a volunteer sign-up, in columns named as the sign-up's questions are."""

    __tablename__ = "volunteer_application"

    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("volunteer_scheme.id"), index=True)
    # About them
    full_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date] = mapped_column(Date)
    age_at_application: Mapped[int]  # on the day they sent it, in the partnership's time zone
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    postcode: Mapped[str | None] = mapped_column(String(16))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    # Parent or carer, for a scheme that needs their consent under 18
    carer_name: Mapped[str | None] = mapped_column(String(200))
    carer_relationship: Mapped[str | None] = mapped_column(String(100))
    carer_email: Mapped[str | None] = mapped_column(String(254))
    carer_phone: Mapped[str | None] = mapped_column(String(40))
    carer_consent: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Availability, interests, experience
    available_days: Mapped[list] = mapped_column(JSON, default=list)
    available_times: Mapped[list] = mapped_column(JSON, default=list)
    interests: Mapped[str | None] = mapped_column(Text)
    relevant_experience: Mapped[str | None] = mapped_column(Text)
    languages_spoken: Mapped[str | None] = mapped_column(String(200))
    access_needs: Mapped[str | None] = mapped_column(Text)
    how_heard: Mapped[str | None] = mapped_column(String(32))
    how_heard_other: Mapped[str | None] = mapped_column(String(200))
    consent_share: Mapped[bool] = mapped_column(default=False, server_default=false())
    # What became of it
    outcome: Mapped[str | None] = mapped_column(String(16), index=True)

    referral = relationship(
        "Referral", backref=backref("volunteer_application", uselist=False, cascade="all, delete-orphan")
    )
    scheme: Mapped[VolunteerScheme] = relationship()
    area = relationship("Area")

    @property
    def area_choice(self) -> str:
        return str(self.area_id) if self.area_id else ""

    @area_choice.setter
    def area_choice(self, value: str | None) -> None:
        self.area_id = int(value) if value else None
