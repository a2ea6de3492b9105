"""Business rules for hate-incident reports."""

from dataclasses import dataclass, field
from datetime import date

from portal.extensions import db
from portal.models import Area, EventType, HateIncidentReport, Referral, ReferralKind
from portal.models.referral import generate_reference


@dataclass
class ReportAnswers:
    """What the resident told us, already validated for presence and format."""

    description: str
    incident_date: date | None
    location: str
    strands: list[str]
    strand_other: str | None = None
    area_id: int | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def anonymous(self) -> bool:
        return not (self.contact_email or self.contact_phone)


def active_areas() -> list[Area]:
    """The areas a resident can choose from, in the order admins set."""
    return list(db.session.execute(db.select(Area).filter_by(active=True).order_by(Area.position, Area.name)).scalars())


def new_referral(kind: ReferralKind) -> Referral:
    """A referral with a reference no other referral has."""
    while True:
        reference = generate_reference(kind)
        taken = db.session.execute(db.select(Referral.id).filter_by(reference=reference)).first()
        if not taken:
            return Referral(reference=reference, kind=kind)


def submit_report(answers: ReportAnswers) -> Referral:
    """Record a resident's hate-incident report as a new referral for the triage queue."""
    referral = new_referral(ReferralKind.HATE_INCIDENT)
    report = HateIncidentReport(
        referral=referral,
        description=answers.description,
        incident_date=answers.incident_date,
        location=answers.location,
        area_id=answers.area_id,
        strand_other=answers.strand_other or None,
        anonymous=answers.anonymous,
        contact_name=None if answers.anonymous else (answers.contact_name or None),
        contact_email=None if answers.anonymous else (answers.contact_email or None),
        contact_phone=None if answers.anonymous else (answers.contact_phone or None),
    )
    report.strands = answers.strands
    db.session.add_all([referral, report])
    referral.record(EventType.CREATED, actor_label="Resident (online form)")
    db.session.flush()
    return referral
