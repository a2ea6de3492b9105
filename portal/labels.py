"""Words shown to people for the codes stored in the database, in one place for translation."""

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache

from flask_babel import get_locale, get_timezone
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from portal.helpers import format_datetime
from portal.models import EventType, PartnerType, ReferralKind, ReferralStatus, RouteStatus
from portal.models._types import utcnow
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
    RouteStatus.HELD: _l("Held: partner address not confirmed"),
    RouteStatus.QUEUED: _l("Waiting to send"),
    RouteStatus.SENT: _l("Sent"),
    RouteStatus.ACKNOWLEDGED: _l("Acknowledged"),
    RouteStatus.FAILED: _l("Could not be delivered"),
    RouteStatus.HANDED_BACK: _l("Handed back"),
}

ROUTE_STATUS_CLASSES = {
    RouteStatus.HELD: "govuk-tag--orange",
    RouteStatus.QUEUED: "govuk-tag--grey",
    RouteStatus.SENT: "govuk-tag--blue",
    RouteStatus.ACKNOWLEDGED: "govuk-tag--green",
    RouteStatus.FAILED: "govuk-tag--red",
    RouteStatus.HANDED_BACK: "govuk-tag--orange",
}

EVENT_LABELS = {
    EventType.CREATED: _l("Received"),
    EventType.VIEWED: _l("Viewed"),
    EventType.CLAIMED: _l("Claimed"),
    EventType.ASSIGNED: _l("Assigned"),
    EventType.RELEASED: _l("Released to the queue"),
    EventType.PRIORITY_SET: _l("Priority set"),
    EventType.CLASSIFIED: _l("Classified"),
    EventType.LINKED_DUPLICATE: _l("Linked as a duplicate"),
    EventType.REPORTER_UPDATED: _l("Update sent to the reporter"),
    EventType.OUTCOME_SET: _l("Application outcome recorded"),
    EventType.NOTE: _l("Note added"),
    EventType.ROUTED: _l("Routed"),
    EventType.SENT: _l("Email sent"),
    EventType.DELIVERY_FAILED: _l("Email could not be delivered"),
    EventType.ACKNOWLEDGED: _l("Acknowledged"),
    EventType.HANDED_BACK: _l("Handed back"),
    EventType.CLOSED: _l("Closed"),
    EventType.PURGED: _l("Personal data deleted"),
    EventType.CONSENT_OVERRIDE: _l("Sent without the reporter's consent"),
    EventType.HELD: _l("Held until the partner confirms an address"),
    EventType.HELD_SENT: _l("Sent on: the partner confirmed an address"),
    EventType.REMINDED: _l("Reminder sent to the partner"),
    EventType.ESCALATED: _l("Not acknowledged in time"),
    EventType.LINK_RESENT: _l("New link sent to the partner"),
}


STRAND_LABELS = dict(STRANDS)

PARTNER_TYPE_LABELS = {
    PartnerType.POLICE: _l("Police"),
    PartnerType.VICTIM_SUPPORT: _l("Victim support"),
    PartnerType.COUNCIL_HOUSING: _l("Council or housing"),
    PartnerType.VOLUNTEERING: _l("Volunteering scheme"),
    PartnerType.OTHER: _l("Other"),
}


class TranslatedOnce(Mapping):
    """Words for codes, each translated once for each language while the process runs (the translations are read
    once, at start-up). A lazy string asks Flask-Babel for its translation afresh every time it is shown, and the
    queue shows four on each of its fifty rows."""

    def __init__(self, words: dict):
        self.words = words
        self.translated: dict = {}  # locale -> {code: words}

    def __getitem__(self, code):
        return self.resolved()[code]

    def resolved(self) -> dict:
        """Every code's words in the current language, for a page that shows many."""
        locale = get_locale()
        done = self.translated.get(locale)
        if done is None:
            done = self.translated[locale] = {key: str(words) for key, words in self.words.items()}
        return done

    def __iter__(self):
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


STRAND_WORDS = TranslatedOnce(STRAND_LABELS)


def strand_label(strand: str) -> str:
    return STRAND_WORDS.get(strand, strand)


def template_globals() -> dict:
    return {
        "kind_labels": TranslatedOnce(KIND_LABELS),
        "status_labels": TranslatedOnce(STATUS_LABELS),
        "status_classes": STATUS_CLASSES,
        "route_status_labels": TranslatedOnce(ROUTE_STATUS_LABELS),
        "route_status_classes": ROUTE_STATUS_CLASSES,
        "partner_type_labels": TranslatedOnce(PARTNER_TYPE_LABELS),
        "event_labels": TranslatedOnce(EVENT_LABELS),
        "priority_labels": TranslatedOnce(PRIORITY_LABELS),
        "priority_classes": PRIORITY_CLASSES,
        "classification_labels": TranslatedOnce(CLASSIFICATION_LABELS),
        "close_outcome_labels": TranslatedOnce(CLOSE_OUTCOME_LABELS),
        "event_detail_label": event_detail_label,
        "sla_html": sla_html,
        "triage_overdue": triage_overdue,
    }


PRIORITY_LABELS = {"urgent": _l("Urgent"), "high": _l("High"), "normal": _l("Normal"), "low": _l("Low")}
PRIORITY_CLASSES = {
    "urgent": "govuk-tag--red",
    "high": "govuk-tag--orange",
    "normal": "govuk-tag--grey",
    "low": "govuk-tag--grey",
}
CLASSIFICATION_LABELS = {
    "crime": _l("Hate crime"),
    "non_crime": _l("Non-crime hate incident"),
    "not_hate": _l("Not a hate incident"),
}
CLOSE_OUTCOME_LABELS = {
    "resolved_by_partner": _l("Dealt with by a partner"),
    "advice_given": _l("Advice or support given"),
    "recorded_only": _l("Recorded only"),
    "no_further_action": _l("No further action"),
    "duplicate": _l("Duplicate"),
    "withdrawn": _l("Withdrawn"),
}
VOLUNTEER_OUTCOME_LABELS = {
    "accepted": _l("Accepted"),
    "waiting_list": _l("On the waiting list"),
    "not_progressed": _l("Not progressed"),
    "withdrawn": _l("Withdrawn"),
}
_DETAIL_LABELS = {
    "priority": PRIORITY_LABELS,
    "classification": CLASSIFICATION_LABELS,
    "outcome": {**CLOSE_OUTCOME_LABELS, **VOLUNTEER_OUTCOME_LABELS},
}


def event_detail_label(key: str, value: str) -> str:
    """The words for a value recorded in an event (a priority, a classification…); names as they are."""
    return str(_DETAIL_LABELS.get(key, {}).get(value, value))


SLA_WORDS = TranslatedOnce(
    {
        "triaged": _l("Triaged %(when)s"),
        "late": _l("late"),
        "overdue": _l("Overdue"),
        "was_due": _l("was due %(when)s"),
        "due": _l("Due %(when)s"),
    }
)


def triage_overdue(referral) -> bool:
    """Whether an open referral's triage is past its deadline now: the one thing on a queue row that time changes."""
    due = referral.triage_due_at
    return due is not None and referral.triaged_at is None and referral.status != "closed" and due < utcnow()


def sla_html(referral) -> Markup:
    """When triage is due, and whether it is late, for the referral page and the queue."""
    if referral.triage_due_at is None:
        return Markup("")
    overdue = triage_overdue(referral)
    return _sla_html(referral.triage_due_at, referral.triaged_at, overdue, get_locale(), get_timezone())


@lru_cache(maxsize=1024)  # a few hundred bytes each
def _sla_html(due: datetime, triaged: datetime | None, overdue: bool, locale, zone) -> Markup:
    """The same times in the same language (`locale`) and zone read the same: worked out once each."""
    if triaged is not None:
        text = SLA_WORDS["triaged"] % {"when": format_datetime(triaged)}
        late = Markup(' <strong class="govuk-tag govuk-tag--red">{}</strong>').format(SLA_WORDS["late"])
        return Markup("{}{}").format(text, late if triaged > due else "")
    if overdue:
        return Markup('<strong class="govuk-tag govuk-tag--red">{}</strong> {}').format(
            SLA_WORDS["overdue"], SLA_WORDS["was_due"] % {"when": format_datetime(due)}
        )
    return Markup("{}").format(SLA_WORDS["due"] % {"when": format_datetime(due)})
