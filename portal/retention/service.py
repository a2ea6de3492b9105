"""Retention and erasure: delete a referral's personal data, keep the facts that identify nobody.

A referral is due when the policy says (RETENTION_HATE_INCIDENT_MONTHS after a report was closed;
RETENTION_VOLUNTEER_MONTHS after a volunteer application's outcome, or its closure). Purging keeps the
referral row, its reference, status, timestamps, routes and the kind of each event (so the queue's and the
dashboard's counts stay true), writes a ReferralStatistic, and removes everything a person told us or an
officer wrote about them: the answers, the equality monitoring, the draft, the free text on the referral,
its routes and its events, and the emails about it.
"""

import calendar
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.audit import record_audit
from portal.extensions import db
from portal.models import (
    EventType,
    HateIncidentReport,
    OutboxMessage,
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralStatus,
    ReportDraft,
    Route,
    VolunteerApplication,
    VolunteerOutcome,
)
from portal.statistics import record_statistic

RETENTION_ACTOR = "Retention"
# What an event's detail may keep after a purge: names of partners and staff, and codes from fixed lists.
# Everything else (a note, a reason, an update to the reporter, an error message) is someone's words.
KEPT_EVENT_DETAIL = frozenset(
    {
        "partner",
        "route",
        "outcome",
        "previous",
        "classification",
        "priority",
        "consent",
        "scheme",
        "to",
        "original",
        "policy",
        "erasure",
    }
)
# Outcomes that end an application; a waiting list does not (the applicant is still waiting).
FINAL_OUTCOMES = (VolunteerOutcome.ACCEPTED, VolunteerOutcome.NOT_PROGRESSED, VolunteerOutcome.WITHDRAWN)
BATCH = 200


@dataclass
class PurgeSummary:
    """What a purge did (or, in a dry run, would do)."""

    dry_run: bool = False
    hate_incident: int = 0
    volunteer: int = 0
    events_cleaned: int = 0
    messages_deleted: int = 0
    references: list[str] = field(default_factory=list)

    @property
    def referrals(self) -> int:
        return self.hate_incident + self.volunteer

    def counts(self) -> dict:
        return {
            "hate_incident": self.hate_incident,
            "volunteer": self.volunteer,
            "events_cleaned": self.events_cleaned,
            "messages_deleted": self.messages_deleted,
        }


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def due_for_purge(now: datetime) -> list[int]:
    """The ids of referrals whose personal data the policy says must go now, oldest first. Open reports
    are never due; a volunteer application is due once its final outcome (or its closure) is old enough."""
    config = current_app.config
    report_cutoff = months_before(now, config["RETENTION_HATE_INCIDENT_MONTHS"])
    volunteer_cutoff = months_before(now, config["RETENTION_VOLUNTEER_MONTHS"])
    outcome_set = (
        select(ReferralEvent.referral_id, func.max(ReferralEvent.created_at).label("at"))
        .where(ReferralEvent.type == EventType.OUTCOME_SET)
        .group_by(ReferralEvent.referral_id)
        .subquery()
    )
    closed_long_ago = (Referral.status == ReferralStatus.CLOSED) & (Referral.closed_at <= volunteer_cutoff)
    outcome_long_ago = VolunteerApplication.outcome.in_([o.value for o in FINAL_OUTCOMES]) & (
        func.coalesce(outcome_set.c.at, Referral.closed_at) <= volunteer_cutoff
    )
    reports = select(Referral.id).where(
        Referral.purged_at.is_(None),
        Referral.kind == ReferralKind.HATE_INCIDENT,
        Referral.status == ReferralStatus.CLOSED,
        Referral.closed_at <= report_cutoff,
    )
    applications = (
        select(Referral.id)
        .outerjoin(VolunteerApplication, VolunteerApplication.referral_id == Referral.id)
        .outerjoin(outcome_set, outcome_set.c.referral_id == Referral.id)
        .where(
            Referral.purged_at.is_(None),
            Referral.kind == ReferralKind.VOLUNTEER,
            or_(closed_long_ago, outcome_long_ago),
        )
    )
    return sorted(db.session.execute(reports.union_all(applications)).scalars())


def purge_due(now: datetime, dry_run: bool = False) -> PurgeSummary:
    """Purge every referral the policy says is due (see due_for_purge), with one audit event for the run.
    A dry run does the same work inside a savepoint and rolls it back, so it reports exactly what a real
    run would do and changes nothing. The caller commits."""
    summary = PurgeSummary(dry_run=dry_run)
    ids = due_for_purge(now)
    savepoint = db.session.begin_nested() if dry_run else None
    for start in range(0, len(ids), BATCH):
        for referral in _load(ids[start : start + BATCH]):
            purge_referral(referral, now, summary, actor_label=RETENTION_ACTOR)
    if savepoint is not None:
        savepoint.rollback()
    elif summary.referrals:
        record_audit("retention_purged", actor_label=RETENTION_ACTOR, **summary.counts())
    return summary


def erase_referral(referral: Referral, reason: str, actor, now: datetime | None = None) -> PurgeSummary:
    """A subject-rights erasure: purge this referral now, whatever its state, with the officer's reason as an
    event and in the audit trail. The caller commits."""
    from portal.models._types import utcnow

    if referral.purged_at is not None:
        raise ValueError("already purged")
    summary = PurgeSummary()
    purge_referral(referral, now or utcnow(), summary, actor=actor, reason=reason)
    record_audit("referral_erased", actor=actor, reference=referral.reference, reason=reason, **summary.counts())
    return summary


def _load(ids: list[int]) -> list[Referral]:
    return list(
        db.session.execute(
            select(Referral)
            .where(Referral.id.in_(ids))
            .options(
                selectinload(Referral.hate_incident).selectinload(HateIncidentReport.strand_rows),
                selectinload(Referral.hate_incident).selectinload(HateIncidentReport.type_rows),
                selectinload(Referral.equality),
                selectinload(Referral.events),
                selectinload(Referral.routes),
            )
            .order_by(Referral.id)
        ).scalars()
    )


def purge_referral(
    referral: Referral, now: datetime, summary: PurgeSummary, *, actor=None, actor_label=None, reason=None
):
    """Keep the statistic, then delete or blank every personal detail of one referral (see the module)."""
    if referral.purged_at is not None:
        return
    record_statistic(referral)
    summary.messages_deleted += _delete_messages(referral)
    summary.events_cleaned += _clean_events(referral)
    for route in referral.routes:
        route.consent_override_reason = None
        route.hand_back_reason = None
    # Each is a delete-orphan relationship: unlinking deletes the row (and a report's strands and types).
    referral.hate_incident = None
    referral.equality = None
    if referral.kind == ReferralKind.VOLUNTEER:
        referral.volunteer_application = None
    db.session.execute(db.delete(ReportDraft).where(ReportDraft.referral_id == referral.id))
    referral.priority_reason = None
    referral.close_reason = None
    referral.language = None  # with the rest of what the resident told us, if only by how they told it
    referral.area_id = None  # the statistic keeps it, as it keeps the strands
    referral.purged_at = now
    referral.version = referral.version + 1
    referral.record(
        EventType.PURGED,
        actor=actor,
        actor_label=actor_label,
        **({"reason": reason, "erasure": True} if reason else {"policy": "retention"}),
    )
    db.session.flush()
    if referral.kind == ReferralKind.VOLUNTEER:
        summary.volunteer += 1
    else:
        summary.hate_incident += 1
    summary.references.append(referral.reference)


def messages_about(referral: Referral):
    """The emails about a referral: those to partners for its routes, and those to the resident (which carry
    its reference in the subject)."""
    route_ids = select(Route.id).where(Route.referral_id == referral.id)
    return or_(OutboxMessage.route_id.in_(route_ids), OutboxMessage.subject.contains(referral.reference))


def _delete_messages(referral: Referral) -> int:
    result = db.session.execute(db.delete(OutboxMessage).where(messages_about(referral)))
    return result.rowcount or 0


def _clean_events(referral: Referral) -> int:
    cleaned = 0
    for event in referral.events:
        if event.detail and set(event.detail) - KEPT_EVENT_DETAIL:
            event.detail = {key: value for key, value in event.detail.items() if key in KEPT_EVENT_DETAIL} or None
            cleaned += 1
    return cleaned
