"""Referrals: the one thing the triage queue works on, its kind-specific detail and its history."""

import re
import secrets
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow

# Easy to read out on the phone: no 0/O or 1/I to confuse.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6


class ReferralKind(StrEnum):
    HATE_INCIDENT = "hate_incident"
    VOLUNTEER = "volunteer"

    @property
    def prefix(self) -> str:
        return {"hate_incident": "HC", "volunteer": "VOL"}[self.value]


class ReferralStatus(StrEnum):
    NEW = "new"
    IN_TRIAGE = "in_triage"
    ROUTED = "routed"
    ACKNOWLEDGED = "acknowledged"
    HANDED_BACK = "handed_back"
    CLOSED = "closed"


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


PRIORITY_ORDER = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class Classification(StrEnum):
    """Per the police's non-crime hate incident code: a crime, a non-crime hate incident, or neither."""

    CRIME = "crime"
    NON_CRIME = "non_crime"
    NOT_HATE = "not_hate"


class CloseOutcome(StrEnum):
    RESOLVED_BY_PARTNER = "resolved_by_partner"
    ADVICE_GIVEN = "advice_given"
    RECORDED_ONLY = "recorded_only"
    NO_FURTHER_ACTION = "no_further_action"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"


class EventType(StrEnum):
    CREATED = "created"
    VIEWED = "viewed"
    CLAIMED = "claimed"
    ASSIGNED = "assigned"
    RELEASED = "released"
    PRIORITY_SET = "priority_set"
    CLASSIFIED = "classified"
    LINKED_DUPLICATE = "linked_duplicate"
    REPORTER_UPDATED = "reporter_updated"
    NOTE = "note"
    ROUTED = "routed"
    SENT = "sent"
    DELIVERY_FAILED = "delivery_failed"
    ACKNOWLEDGED = "acknowledged"
    HANDED_BACK = "handed_back"
    CLOSED = "closed"
    PURGED = "purged"
    OUTCOME_SET = "outcome_set"
    CONSENT_OVERRIDE = "consent_override"
    HELD = "held"
    HELD_SENT = "held_sent"
    REMINDED = "reminded"
    ESCALATED = "escalated"
    LINK_RESENT = "link_resent"


def generate_reference(kind: ReferralKind) -> str:
    """A short, unguessable reference such as HC-7K3QX9 (32**6, about a billion, per kind)."""
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{kind.prefix}-{body}"


_REFERENCE = re.compile(rf"^(HC|VOL)-[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}$")


def looks_like_reference(text: str) -> bool:
    """Whether text has the shape of a reference, checked before it goes anywhere near a query."""
    return bool(_REFERENCE.match(text))


# What the queue's tabs, filters and order read of a referral, at the end of both its indexes.
QUEUE_READS = ("created_at", "triaged_at", "triage_due_at", "kind", "priority", "assigned_to_id", "language", "area_id")


class Referral(db.Model):
    """A submission from a resident, whatever its kind, as the queue sees it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32), default=ReferralStatus.NEW)
    priority: Mapped[str] = mapped_column(String(16), default=Priority.NORMAL, index=True)
    priority_reason: Mapped[str | None] = mapped_column(Text)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Every change goes through a conditional UPDATE on this number, so a stale page cannot overwrite a
    # newer decision and two officers cannot both claim it.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    classification: Mapped[str | None] = mapped_column(String(32))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"), index=True)
    triage_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    triaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_outcome: Mapped[str | None] = mapped_column(String(32))
    close_reason: Mapped[str | None] = mapped_column(Text)
    # The language the resident used the form in ("pl", "ur"…), so the triage team can arrange an interpreter.
    language: Mapped[str | None] = mapped_column(String(16), default="en", index=True)
    # Set when retention or an erasure request removed the personal data; the row stays for counting.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # The area the resident chose, copied from the report or application when it was sent (neither changes), so
    # that the queue filters by area from its own index instead of looking up every queued referral's answers.
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    # What its routes say, for the queue (kept in step by portal.models.route_state whenever a route changes): a
    # route still to be acknowledged or put right; one sent and awaiting its acknowledgement, and the earliest
    # such acknowledgement due; one that needs an officer (undeliverable, held, or escalated). The queue counts
    # and lists these referrals from their own index, not by grouping a region's routes and looking each up.
    route_waiting: Mapped[bool] = mapped_column(default=False, server_default=false())
    route_awaiting: Mapped[bool] = mapped_column(default=False, server_default=false())
    route_ack_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    route_attention: Mapped[bool] = mapped_column(default=False, server_default=false())

    assigned_to = relationship("StaffUser")
    duplicate_of = relationship("Referral", remote_side="Referral.id")
    hate_incident = relationship(
        "HateIncidentReport", back_populates="referral", uselist=False, cascade="all, delete-orphan"
    )
    equality = relationship("EqualityMonitoring", uselist=False, cascade="all, delete-orphan")
    events: Mapped[list["ReferralEvent"]] = relationship(
        back_populates="referral", order_by="ReferralEvent.id", cascade="all, delete-orphan"
    )
    routes = relationship("Route", back_populates="referral", order_by="Route.id", cascade="all, delete-orphan")

    __table_args__ = (
        # The queue: each tab's referrals newest (or oldest) first, and the counts, which read every referral in the
        # queue, from this index alone (a few thousand small entries, not the table's wide rows).
        Index("ix_referral_queue", "status", *QUEUE_READS),
        Index("ix_referral_kind_created", "kind", "created_at"),
        # The queue's referrals with a route still waiting, and everything their counts and tabs read.
        Index(
            "ix_referral_route_waiting",
            "route_waiting",
            "status",
            "route_awaiting",
            "route_attention",
            "route_ack_due_at",
            *QUEUE_READS,
        ),
    )

    def record(self, event_type: EventType, *, actor=None, actor_label: str | None = None, **detail) -> "ReferralEvent":
        """Append an event to this referral's history (the caller's unit of work commits it)."""
        event = ReferralEvent(
            referral=self,
            type=event_type,
            actor=actor,
            actor_label=actor_label or (actor.name if actor is not None else None),
            detail=detail or None,
        )
        db.session.add(event)
        return event

    def __repr__(self) -> str:
        return f"<Referral {self.reference} {self.kind} {self.status}>"


class ReferralEvent(db.Model):
    """Append-only history of a referral: who did what, when. Never updated; deleted only by retention."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    actor_label: Mapped[str | None] = mapped_column(String(200))
    # The client's address for a staff member's or partner's action (not a resident's).
    client: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="events")
    actor = relationship("StaffUser")


class ReferralStatistic(db.Model):
    """The facts about a referral that identify nobody: the figures (reports by month, strand, area and route
    in; sign-ups by scheme and outcome; time to triage) are counted from these rows. Written when the referral
    arrives and kept in step with it, and kept when its personal data is purged, so the figures stay true."""

    __tablename__ = "referral_statistic"

    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    # The day and month it arrived, in the partnership's time zone ("2026-11"), so months group in plain SQL.
    received_on: Mapped[date] = mapped_column(Date, index=True)
    received_month: Mapped[str] = mapped_column(String(7))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"), index=True)
    reporter_role: Mapped[str | None] = mapped_column(String(32))
    anonymous: Mapped[bool | None] = mapped_column()
    consent_police: Mapped[bool | None] = mapped_column()
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer_scheme.id", ondelete="SET NULL"), index=True)
    volunteer_outcome: Mapped[str | None] = mapped_column(String(32))
    # Working minutes from arrival to the first triage decision, worked out once when that decision is made.
    triage_working_minutes: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    strand_rows: Mapped[list["ReferralStatisticStrand"]] = relationship(
        cascade="all, delete-orphan", order_by="ReferralStatisticStrand.strand"
    )

    __table_args__ = (Index("ix_referral_statistic_kind_received", "kind", "received_on", "received_month"),)

    @property
    def strands(self) -> list[str]:
        return [row.strand for row in self.strand_rows]

    @strands.setter
    def strands(self, values: list[str]) -> None:
        self.strand_rows = [ReferralStatisticStrand(strand=value) for value in dict.fromkeys(values or [])]


class ReferralStatisticStrand(db.Model):
    """One strand of hostility of a counted report, a row so that reports by strand is a GROUP BY."""

    __tablename__ = "referral_statistic_strand"

    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral_statistic.referral_id", ondelete="CASCADE"), primary_key=True
    )
    strand: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
