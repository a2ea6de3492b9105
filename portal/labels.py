"""Words shown to people for the codes stored in the database, in one place for translation."""

from flask_babel import lazy_gettext as _l

from portal.models import EventType, ReferralKind, ReferralStatus, RouteStatus
from portal.reporting.options import STRANDS

KIND_LABELS = {
    ReferralKind.HATE_INCIDENT: _l("Hate incident"),
    ReferralKind.VOLUNTEER: _l("Volunteer application"),
}

STATUS_LABELS = {
    ReferralStatus.NEW: _l("New"),
    ReferralStatus.IN_TRIAGE: _l("In triage"),
    ReferralStatus.ROUTED: _l("Routed"),
    ReferralStatus.ACKNOWLEDGED: _l("Acknowledged"),
    ReferralStatus.HANDED_BACK: _l("Handed back"),
    ReferralStatus.CLOSED: _l("Closed"),
}

STATUS_CLASSES = {
    ReferralStatus.NEW: "govuk-tag--blue",
    ReferralStatus.IN_TRIAGE: "govuk-tag--yellow",
    ReferralStatus.ROUTED: "govuk-tag--turquoise",
    ReferralStatus.ACKNOWLEDGED: "govuk-tag--green",
    ReferralStatus.HANDED_BACK: "govuk-tag--orange",
    ReferralStatus.CLOSED: "govuk-tag--grey",
}

ROUTE_STATUS_LABELS = {
    RouteStatus.QUEUED: _l("Waiting to send"),
    RouteStatus.SENT: _l("Sent"),
    RouteStatus.ACKNOWLEDGED: _l("Acknowledged"),
    RouteStatus.FAILED: _l("Could not be delivered"),
    RouteStatus.HANDED_BACK: _l("Handed back"),
}

EVENT_LABELS = {
    EventType.CREATED: _l("Received"),
    EventType.VIEWED: _l("Viewed"),
    EventType.CLAIMED: _l("Claimed"),
    EventType.NOTE: _l("Note added"),
    EventType.ROUTED: _l("Routed"),
    EventType.SENT: _l("Email sent"),
    EventType.DELIVERY_FAILED: _l("Email could not be delivered"),
    EventType.ACKNOWLEDGED: _l("Acknowledged"),
    EventType.HANDED_BACK: _l("Handed back"),
    EventType.CLOSED: _l("Closed"),
    EventType.PURGED: _l("Personal data deleted"),
}


STRAND_LABELS = dict(STRANDS)


def strand_label(strand: str) -> str:
    return str(STRAND_LABELS.get(strand, strand))


def template_globals() -> dict:
    return {
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "status_classes": STATUS_CLASSES,
        "route_status_labels": ROUTE_STATUS_LABELS,
        "event_labels": EVENT_LABELS,
    }
