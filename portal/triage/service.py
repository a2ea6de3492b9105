"""Business rules for the triage queue."""

from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import EventType, HateIncidentReport, Referral, Route, StaffUser
from portal.models.referral import looks_like_reference

QUEUE_PAGE_SIZE = 50


def list_queue(limit: int = QUEUE_PAGE_SIZE) -> list[Referral]:
    """The newest referrals first, with what the list shows loaded in the same round trip."""
    query = (
        db.select(Referral)
        .options(
            selectinload(Referral.hate_incident).selectinload(HateIncidentReport.strand_rows),
            selectinload(Referral.hate_incident).selectinload(HateIncidentReport.area),
        )
        .order_by(Referral.created_at.desc(), Referral.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(query).scalars())


def find_referral(reference: str) -> Referral | None:
    """The referral with this reference, with everything its page shows loaded in a few queries."""
    reference = reference.strip().upper()
    if not looks_like_reference(reference):
        return None
    query = (
        db.select(Referral)
        .filter_by(reference=reference)
        .options(
            selectinload(Referral.hate_incident).selectinload(HateIncidentReport.strand_rows),
            selectinload(Referral.hate_incident).selectinload(HateIncidentReport.area),
            selectinload(Referral.hate_incident).selectinload(HateIncidentReport.type_rows),
            selectinload(Referral.equality),
            selectinload(Referral.routes).selectinload(Route.partner),
            selectinload(Referral.events),
        )
        .execution_options(populate_existing=True)
    )
    return db.session.execute(query).scalar_one_or_none()


def view_referral(referral: Referral, officer: StaffUser) -> None:
    """Every time an officer opens a referral is recorded in its history."""
    referral.record(EventType.VIEWED, actor=officer)
    db.session.flush()
