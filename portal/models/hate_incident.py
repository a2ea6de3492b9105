"""A resident's hate-incident report: the answers (1:1 with a referral), the strands and types chosen,
and the optional equality monitoring kept apart from them."""

from datetime import date
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db


class HateStrand(StrEnum):
    """What the hostility was about: the monitored strands and the locally recorded ones."""

    RACE = "race"
    RELIGION = "religion"
    SEXUAL_ORIENTATION = "sexual_orientation"
    DISABILITY = "disability"
    TRANSGENDER = "transgender"
    SEX_OR_GENDER = "sex_or_gender"
    AGE = "age"
    ALTERNATIVE_SUBCULTURE = "alternative_subculture"
    OTHER = "other"
    NOT_SURE = "not_sure"


class IncidentType(StrEnum):
    VERBAL = "verbal"
    PHYSICAL = "physical"
    PROPERTY_DAMAGE = "property_damage"
    GRAFFITI = "graffiti"
    ONLINE = "online"
    HARASSMENT = "harassment"
    WRITTEN = "written"
    OTHER = "other"


class Consent(StrEnum):
    """What the reporter wants to happen. These are consents: they decide where a report may go."""

    POLICE = "police"
    VICTIM_SUPPORT = "victim_support"
    COUNCIL_HOUSING = "council_housing"
    JUST_RECORD = "just_record"


class HateIncidentReport(db.Model):
    """Every answer of the reporting journey, in columns named as the journey's questions are."""

    __tablename__ = "hate_incident_report"

    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), primary_key=True)
    # Who is reporting
    reporter_role: Mapped[str | None] = mapped_column(String(32))
    organisation_name: Mapped[str | None] = mapped_column(String(200))
    # What happened
    strand_other: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    # When
    incident_date: Mapped[date | None] = mapped_column(Date)
    date_is_approximate: Mapped[bool] = mapped_column(default=False, server_default=false())
    time_of_day: Mapped[str | None] = mapped_column(String(16))
    still_happening: Mapped[str | None] = mapped_column(String(16))
    # Where
    place_type: Mapped[str | None] = mapped_column(String(32))
    location: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(16))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    online_platform: Mapped[str | None] = mapped_column(String(200))
    online_link: Mapped[str | None] = mapped_column(Text)  # stored as text, never rendered as a link
    # Harm
    anyone_hurt: Mapped[str | None] = mapped_column(String(16))
    hurt_details: Mapped[str | None] = mapped_column(Text)
    property_damaged: Mapped[str | None] = mapped_column(String(16))
    damage_details: Mapped[str | None] = mapped_column(Text)
    # The people who did it, and witnesses
    perpetrator_known: Mapped[str | None] = mapped_column(String(16))
    perpetrator_description: Mapped[str | None] = mapped_column(Text)
    vehicle: Mapped[str | None] = mapped_column(Text)
    witnesses: Mapped[str | None] = mapped_column(String(16))
    witness_details: Mapped[str | None] = mapped_column(Text)
    # Police
    reported_to_police: Mapped[str | None] = mapped_column(String(16))
    crime_reference: Mapped[str | None] = mapped_column(String(64))
    # What they would like to happen (consents)
    consent_police: Mapped[bool] = mapped_column(default=False, server_default=false())
    consent_victim_support: Mapped[bool] = mapped_column(default=False, server_default=false())
    consent_council_housing: Mapped[bool] = mapped_column(default=False, server_default=false())
    just_record: Mapped[bool] = mapped_column(default=False, server_default=false())
    # About the person it happened to, when someone else reports
    victim_name: Mapped[str | None] = mapped_column(String(200))
    victim_age_group: Mapped[str | None] = mapped_column(String(16))
    victim_aware: Mapped[str | None] = mapped_column(String(16))
    # Contact
    anonymous: Mapped[bool] = mapped_column(default=True)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    preferred_contact: Mapped[str | None] = mapped_column(String(16))
    safe_times: Mapped[str | None] = mapped_column(Text)
    voicemail_ok: Mapped[str | None] = mapped_column(String(16))
    interpreter_language: Mapped[str | None] = mapped_column(String(100))
    access_needs: Mapped[str | None] = mapped_column(Text)

    referral = relationship("Referral", back_populates="hate_incident")
    area = relationship("Area")
    strand_rows: Mapped[list["HateIncidentStrand"]] = relationship(
        cascade="all, delete-orphan", order_by="HateIncidentStrand.strand"
    )
    type_rows: Mapped[list["HateIncidentType"]] = relationship(
        cascade="all, delete-orphan", order_by="HateIncidentType.type"
    )

    @property
    def strands(self) -> list[str]:
        return [row.strand for row in self.strand_rows]

    @strands.setter
    def strands(self, values: list[str]) -> None:
        self.strand_rows = [HateIncidentStrand(strand=value) for value in dict.fromkeys(values or [])]

    @property
    def incident_types(self) -> list[str]:
        return [row.type for row in self.type_rows]

    @incident_types.setter
    def incident_types(self, values: list[str]) -> None:
        self.type_rows = [HateIncidentType(type=value) for value in dict.fromkeys(values or [])]

    @property
    def consents(self) -> list[str]:
        return [c.value for c in Consent if getattr(self, _CONSENT_COLUMNS[c])]

    @consents.setter
    def consents(self, values: list[str]) -> None:
        for consent, column in _CONSENT_COLUMNS.items():
            setattr(self, column, consent.value in (values or []))

    @property
    def wants_contact(self) -> str:
        return "no" if self.anonymous else "yes"

    @wants_contact.setter
    def wants_contact(self, value: str) -> None:
        self.anonymous = value != "yes"

    @property
    def area_choice(self) -> str:
        return str(self.area_id) if self.area_id else ""

    @area_choice.setter
    def area_choice(self, value: str | None) -> None:
        self.area_id = int(value) if value else None


_CONSENT_COLUMNS = {
    Consent.POLICE: "consent_police",
    Consent.VICTIM_SUPPORT: "consent_victim_support",
    Consent.COUNCIL_HOUSING: "consent_council_housing",
    Consent.JUST_RECORD: "just_record",
}


class HateIncidentStrand(db.Model):
    """One strand of hostility chosen for a report; a table, not a list in a blob, so it can be counted."""

    __tablename__ = "hate_incident_strand"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("hate_incident_report.referral_id", ondelete="CASCADE"), primary_key=True
    )
    strand: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class HateIncidentType(db.Model):
    """One kind of thing that happened (verbal abuse, damage…), countable like the strands."""

    __tablename__ = "hate_incident_type"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("hate_incident_report.referral_id", ondelete="CASCADE"), primary_key=True
    )
    type: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class EqualityMonitoring(db.Model):
    """Optional equality monitoring answers, kept apart from the report (every one may be 'prefer not
    to say'), so they can be counted, restricted and deleted separately."""

    __tablename__ = "equality_monitoring"

    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), primary_key=True)
    age_group: Mapped[str | None] = mapped_column(String(32))
    sex: Mapped[str | None] = mapped_column(String(32))
    gender_same_as_birth: Mapped[str | None] = mapped_column(String(32))
    ethnicity: Mapped[str | None] = mapped_column(String(64))
    religion: Mapped[str | None] = mapped_column(String(64))
    sexual_orientation: Mapped[str | None] = mapped_column(String(64))
    disability: Mapped[str | None] = mapped_column(String(32))
