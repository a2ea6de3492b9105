"""Business rules of triage: who has a referral, and the decisions officers record on it.

Every change is one conditional UPDATE: a claim only where nobody holds the referral, anything else only
where the referral's version is the one the officer's page showed. Whoever loses is told, not overwritten.
"""

from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, case, func, insert, update
from sqlalchemy.orm import joinedload, selectinload

from portal.audit import request_client
from portal.extensions import db
from portal.models import (
    Classification,
    CloseOutcome,
    EventType,
    HateIncidentReport,
    Priority,
    Referral,
    ReferralEvent,
    ReferralStatus,
    ResponseTemplate,
    Route,
    StaffUser,
    VolunteerApplication,
)
from portal.models._types import utcnow
from portal.models.referral import looks_like_reference
from portal.reporting.service import reporter_update_email
from portal.statistics import note_first_triage


class TriageError(Exception):
    """A decision that cannot be recorded; the message is for the officer."""


class StaleReferral(TriageError):
    """Someone changed the referral after this officer's page was shown."""

    def __init__(self):
        super().__init__(
            "Someone else changed this referral while you were looking at it. Check what changed below, then try again."
        )


class AlreadyClaimed(TriageError):
    def __init__(self, holder: StaffUser | None):
        name = holder.name if holder is not None else _("another officer")
        super().__init__(_("%(name)s has already claimed this referral.", name=name))
        self.holder = holder


def find_referral(reference: str) -> Referral | None:
    """The referral with this reference, with everything its page shows loaded in a few queries."""
    reference = reference.strip().upper()
    if not looks_like_reference(reference):
        return None
    return db.session.execute(_referral_page_query(), {"reference": reference}).scalar_one_or_none()


@cache
def _referral_page_query():
    """Built once: building it, with its loader options, cost more than running it. What there is one of comes in
    the same query (outer joins); lists come one query each."""
    report = joinedload(Referral.hate_incident)
    return (
        db.select(Referral)
        .where(Referral.reference == bindparam("reference"))
        .options(
            report.joinedload(HateIncidentReport.area),
            report.selectinload(HateIncidentReport.strand_rows),
            report.selectinload(HateIncidentReport.type_rows),
            joinedload(Referral.equality),
            joinedload(Referral.assigned_to),
            joinedload(Referral.volunteer_application).joinedload(VolunteerApplication.scheme),
            selectinload(Referral.routes).joinedload(Route.partner),
            selectinload(Referral.events),
        )
        .execution_options(populate_existing=True)
    )


def view_referral(referral: Referral, officer: StaffUser) -> ReferralEvent:
    """Every time an officer opens a referral is recorded in its history: this is the view, for the page to show
    before `record_view` writes it. It is not in the session: one INSERT writes it, where the unit of work, for
    one row, went through everything the page had loaded (about a tenth of the page's time)."""
    return ReferralEvent(
        referral_id=referral.id,
        type=EventType.VIEWED,
        actor_id=officer.id,
        actor_label=officer.name,
        client=request_client(),
        created_at=utcnow(),
    )


def record_view(view: ReferralEvent) -> None:
    """Write the view `view_referral` made (the caller's commit commits it)."""
    columns = ("referral_id", "type", "actor_id", "actor_label", "client", "created_at")
    db.session.execute(insert(ReferralEvent).values({name: getattr(view, name) for name in columns}))


def _change(referral: Referral, version: int | None, *conditions, **values) -> None:
    """One conditional UPDATE; raises StaleReferral when the referral moved on (or the condition failed)."""
    where = [Referral.id == referral.id, *conditions]
    if version is not None:
        where.append(Referral.version == version)
    result = db.session.execute(
        update(Referral)
        .where(*where)
        .values(version=Referral.version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StaleReferral()  # the view rolls back the unit of work
    db.session.expire(referral)
    note_first_triage(referral)


def claim_referral(referral: Referral, officer: StaffUser) -> None:
    """Take an open referral nobody holds. When two officers claim at once, exactly one wins. The new
    state is worked out in the UPDATE itself, from the row as it is then, not as this page read it."""
    if referral.status == ReferralStatus.CLOSED:
        raise TriageError(_("This referral is closed."))
    values = {
        "assigned_to_id": officer.id,
        "status": case((Referral.status == ReferralStatus.NEW, ReferralStatus.IN_TRIAGE), else_=Referral.status),
        "triaged_at": func.coalesce(Referral.triaged_at, utcnow()),
    }
    try:
        _change(referral, None, Referral.assigned_to_id.is_(None), Referral.status != ReferralStatus.CLOSED, **values)
    except StaleReferral:
        holder = db.session.execute(
            db.select(StaffUser)
            .join(Referral, Referral.assigned_to_id == StaffUser.id)
            .where(Referral.id == referral.id)
        ).scalar_one_or_none()
        raise AlreadyClaimed(holder) from None
    referral.record(EventType.CLAIMED, actor=officer)


def assign_referral(referral: Referral, version: int, officer: StaffUser, assignee: StaffUser) -> None:
    if not assignee.active:
        raise TriageError(_("%(name)s cannot be given referrals: their account is not active.", name=assignee.name))
    values = {"assigned_to_id": assignee.id}
    if referral.status == ReferralStatus.NEW:
        values |= {"status": ReferralStatus.IN_TRIAGE}
    _change(referral, version, **values)
    referral.record(EventType.ASSIGNED, actor=officer, to=assignee.name)


def release_referral(referral: Referral, version: int, officer: StaffUser) -> None:
    """Give a referral back to the queue for someone else to claim."""
    _change(referral, version, assigned_to_id=None)
    referral.record(EventType.RELEASED, actor=officer)


def set_priority(referral: Referral, version: int, officer: StaffUser, priority: Priority, reason: str) -> None:
    _change(referral, version, priority=priority, priority_reason=reason, **_first_triage(referral))
    referral.record(EventType.PRIORITY_SET, actor=officer, priority=str(priority), reason=reason)


def classify_referral(referral: Referral, version: int, officer: StaffUser, classification: Classification) -> None:
    """Crime, non-crime hate incident, or not a hate incident (the police's non-crime hate incident code)."""
    if referral.hate_incident is None:
        raise TriageError(_("Only hate incident reports are classified."))
    _change(referral, version, classification=classification, **_first_triage(referral))
    referral.record(EventType.CLASSIFIED, actor=officer, classification=str(classification))


def link_duplicate(referral: Referral, version: int, officer: StaffUser, original_reference: str) -> Referral:
    original = find_referral(original_reference)
    if original is None:
        raise TriageError(_("There is no referral with that reference."))
    if original.id == referral.id:
        raise TriageError(_("A referral cannot be a duplicate of itself."))
    _change(referral, version, duplicate_of_id=original.id)
    referral.record(EventType.LINKED_DUPLICATE, actor=officer, original=original.reference)
    return original


def add_note(referral: Referral, officer: StaffUser, text: str) -> None:
    """An internal note: for staff only, never sent to anyone. Notes do not change the referral."""
    referral.record(EventType.NOTE, actor=officer, text=text)
    db.session.flush()


def close_referral(referral: Referral, version: int, officer: StaffUser, outcome: CloseOutcome, reason: str) -> None:
    """Close with an outcome and a reason, from any state."""
    if referral.status == ReferralStatus.CLOSED:
        raise TriageError(_("This referral is already closed."))
    values = {
        **_first_triage(referral),
        "status": ReferralStatus.CLOSED,
        "closed_at": utcnow(),
        "close_outcome": outcome,
        "close_reason": reason,
    }
    _change(referral, version, **values)
    referral.record(EventType.CLOSED, actor=officer, outcome=str(outcome), reason=reason)


def _first_triage(referral: Referral) -> dict:
    """A first decision counts as triage for the service level, and takes a new referral into triage."""
    values = {}
    if referral.triaged_at is None:
        values["triaged_at"] = utcnow()
    if referral.status == ReferralStatus.NEW:
        values["status"] = ReferralStatus.IN_TRIAGE
    return values


def reporter_email(referral: Referral) -> str | None:
    """Where a reporter who gave contact details asked to be updated, if by email."""
    report = referral.hate_incident
    if report is None or report.anonymous or not report.contact_email:
        return None
    return report.contact_email


def update_reporter(referral: Referral, officer: StaffUser, message: str) -> None:
    """An update to the reporter, through the outbox: the email is written in this same transaction."""
    from portal.routing.outbox import enqueue_email

    email = reporter_email(referral)
    if email is None:
        raise TriageError(_("The reporter did not give an email address, or chose to stay anonymous."))
    subject, body = reporter_update_email(referral, message)
    enqueue_email(recipient=email, subject=subject, body_text=body)
    referral.record(EventType.REPORTER_UPDATED, actor=officer, text=message)
    db.session.flush()


_RESPONSE_TEMPLATES = db.select(ResponseTemplate).filter_by(active=True).order_by(ResponseTemplate.name)
_ACTIVE_OFFICERS = db.select(StaffUser.id, StaffUser.name).filter_by(active=True).order_by(StaffUser.name)


def response_templates() -> list[ResponseTemplate]:
    """The templates officers can start a note or an update to a reporter from, by name."""
    return list(db.session.execute(_RESPONSE_TEMPLATES).scalars())


def active_officers() -> list:
    """Who a referral can be given to: each active officer's id and name (rows), by name."""
    return db.session.execute(_ACTIVE_OFFICERS).all()
