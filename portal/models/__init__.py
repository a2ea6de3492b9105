"""The portal's data model. Import models from here so that Alembic sees every table."""

from portal.models.area import Area
from portal.models.outbox import OutboxMessage, OutboxStatus
from portal.models.partner import Partner, Route, RouteStatus
from portal.models.referral import (
    EventType,
    HateIncidentReport,
    HateIncidentStrand,
    HateStrand,
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralStatus,
)
from portal.models.staff import StaffRole, StaffUser

__all__ = [
    "Area",
    "EventType",
    "HateIncidentReport",
    "HateIncidentStrand",
    "HateStrand",
    "OutboxMessage",
    "OutboxStatus",
    "Partner",
    "Referral",
    "ReferralEvent",
    "ReferralKind",
    "ReferralStatus",
    "Route",
    "RouteStatus",
    "StaffRole",
    "StaffUser",
]
