"""Partner agencies, the addresses they receive referrals at, the rules that suggest them, and the routes
that send referrals to them."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class RouteStatus(StrEnum):
    HELD = "held"  # the partner has no confirmed address yet: nothing is sent until it has
    QUEUED = "queued"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    FAILED = "failed"
    HANDED_BACK = "handed_back"


class PartnerType(StrEnum):
    """What kind of agency a partner is. It decides which of the reporter's consents a hate-incident report
    needs before it may go there (see `consent_needed`)."""

    POLICE = "police"
    VICTIM_SUPPORT = "victim_support"
    COUNCIL_HOUSING = "council_housing"
    VOLUNTEERING = "volunteering"
    # Not set yet (partners that existed before types did): no consent covers it, so a report goes there
    # only with an officer's reason until an admin sets the type.
    OTHER = "other"


class Partner(db.Model):
    """An agency that receives referrals by email."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(500))
    partner_type: Mapped[str] = mapped_column(
        String(32), default=PartnerType.OTHER, server_default=PartnerType.OTHER.value
    )
    # A secure-email recipient (for example a police .pnn or a CJSM address) is sent the full details;
    # anyone else gets a notice and a signed link.
    secure_email: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Working hours to acknowledge a referral; empty means the partnership's default (SLA_ACKNOWLEDGE_HOURS).
    ack_sla_hours: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    addresses: Mapped[list["PartnerAddress"]] = relationship(
        back_populates="partner", order_by="PartnerAddress.id", cascade="all, delete-orphan"
    )

    @property
    def confirmed_addresses(self) -> list[str]:
        return [address.email for address in self.addresses if address.confirmed_at is not None]

    @property
    def is_confirmed(self) -> bool:
        """Whether anything can be sent: at least one address has been confirmed from its own inbox."""
        return any(address.confirmed_at is not None for address in self.addresses)

    def __repr__(self) -> str:
        return f"<Partner {self.slug}>"


class PartnerAddress(db.Model):
    """An email address a partner receives referrals at. It is used only once someone has followed the
    confirmation link sent to it, so a typing mistake cannot send special category data to a stranger."""

    __tablename__ = "partner_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    partner: Mapped[Partner] = relationship(back_populates="addresses")

    __table_args__ = (UniqueConstraint("partner_id", "email", name="uq_partner_address_email"),)


routing_rule_partner = Table(
    "routing_rule_partner",
    db.metadata,
    Column("rule_id", Integer, ForeignKey("routing_rule.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", Integer, ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True),
)


class RoutingRule(db.Model):
    """An admin-editable rule: when a referral matches every condition that is set, suggest these partners.
    An empty condition matches anything. Rules only suggest; an officer confirms."""

    __tablename__ = "routing_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str | None] = mapped_column(String(32))
    strand: Mapped[str | None] = mapped_column(String(32))
    classification: Mapped[str | None] = mapped_column(String(32))
    consent: Mapped[str | None] = mapped_column(String(32))
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer_scheme.id", ondelete="CASCADE"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    partners: Mapped[list[Partner]] = relationship(secondary=routing_rule_partner, order_by="Partner.name")
    scheme = relationship("VolunteerScheme")
    area = relationship("Area")

    def __repr__(self) -> str:
        return f"<RoutingRule {self.id} {self.name!r}>"


class Route(db.Model):
    """One referral sent to one partner, with that delivery's own state."""

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"))
    status: Mapped[str] = mapped_column(String(16), default=RouteStatus.QUEUED)
    routed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ack_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Sent without the reporter's consent for this kind of partner: the officer's reason (also an event).
    consent_override_reason: Mapped[str | None] = mapped_column(Text)
    handed_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hand_back_reason: Mapped[str | None] = mapped_column(Text)
    # Not acknowledged in time: re-sent once (reminded), then raised with the triage team (escalated).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Working minutes from sending to acknowledgement, worked out once when the partner acknowledges.
    ack_working_minutes: Mapped[int | None] = mapped_column()

    referral = relationship("Referral", back_populates="routes")
    partner: Mapped[Partner] = relationship()
    routed_by = relationship("StaffUser")

    __table_args__ = (
        UniqueConstraint("referral_id", "partner_id", name="uq_route_referral_partner"),
        # What each partner was sent in a period (the insights' routes by partner).
        Index("ix_route_partner_sent", "partner_id", "sent_at"),
        # The few routes still waiting or failing, among a region's million: for reminders and escalations, the
        # insights' routes awaiting acknowledgement, and the route state's migration (the queue reads that state
        # from the referral's own index now).
        Index("ix_route_status_referral", "status", "referral_id", "ack_due_at", "escalated_at"),
    )
