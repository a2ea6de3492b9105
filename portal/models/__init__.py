"""The portal's data model. Import models from here so that Alembic sees every table."""

from portal.models import route_state  # noqa: F401 - keeps each referral's route state in step with its routes
from portal.models.area import Area
from portal.models.content import ContentTranslation
from portal.models.draft import ReportDraft
from portal.models.hate_incident import (
    Consent,
    EqualityMonitoring,
    HateIncidentReport,
    HateIncidentStrand,
    HateIncidentType,
    HateStrand,
    IncidentType,
)
from portal.models.outbox import OutboxMessage, OutboxStatus
from portal.models.partner import Partner, PartnerAddress, PartnerType, Route, RouteStatus, RoutingRule
from portal.models.referral import (
    Classification,
    CloseOutcome,
    EventType,
    Priority,
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralStatistic,
    ReferralStatisticStrand,
    ReferralStatus,
)
from portal.models.signposting import SignpostCategory, SignpostService
from portal.models.staff import StaffRecoveryCode, StaffRole, StaffUser
from portal.models.staff_tools import AuditEvent, ResponseTemplate, TemplatePurpose
from portal.models.volunteering import SchemeStatus, VolunteerApplication, VolunteerOutcome, VolunteerScheme

__all__ = [
    "Area",
    "AuditEvent",
    "Classification",
    "ContentTranslation",
    "CloseOutcome",
    "Priority",
    "ResponseTemplate",
    "TemplatePurpose",
    "Consent",
    "EqualityMonitoring",
    "HateIncidentType",
    "IncidentType",
    "ReportDraft",
    "EventType",
    "HateIncidentReport",
    "HateIncidentStrand",
    "HateStrand",
    "OutboxMessage",
    "OutboxStatus",
    "Partner",
    "PartnerAddress",
    "PartnerType",
    "RoutingRule",
    "Referral",
    "ReferralEvent",
    "ReferralKind",
    "ReferralStatistic",
    "ReferralStatisticStrand",
    "ReferralStatus",
    "Route",
    "RouteStatus",
    "SignpostCategory",
    "SignpostService",
    "StaffRecoveryCode",
    "StaffRole",
    "StaffUser",
    "SchemeStatus",
    "VolunteerApplication",
    "VolunteerOutcome",
    "VolunteerScheme",
]
