"""The demo partnership as the made-up history sees it, and a planned referral turned into model rows: the
referral, its made-up answers, its routes and its history of events (see portal/demo_history.py)."""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import current_app

from portal.extensions import db
from portal.models import (
    Area,
    Consent,
    EventType,
    HateIncidentReport,
    Partner,
    PartnerType,
    Referral,
    ReferralKind,
    Route,
    SchemeStatus,
    StaffUser,
    VolunteerApplication,
    VolunteerScheme,
)
from portal.routing.outbox import OUTBOX_ACTOR
from portal.routing.service import AUTOMATIC_ROUTE

if TYPE_CHECKING:
    from portal.demo_history import PlannedReferral

# The kind of partner each consent lets a report go to, and the demo partner preferred among that kind.
PARTNER_FOR_CONSENT = {
    Consent.POLICE: (PartnerType.POLICE, "police-hate-crime"),
    Consent.VICTIM_SUPPORT: (PartnerType.VICTIM_SUPPORT, "victim-witness-hub"),
    Consent.COUNCIL_HOUSING: (PartnerType.COUNCIL_HOUSING, "council-cohesion"),
}
WHAT_HAPPENED = {
    "verbal": ("shouted at near a bus stop", "sworn at in a shop queue", "called names on the way home"),
    "harassment": ("repeated comments from someone on the same street", "jeered at on the way to work for weeks"),
    "online": ("abusive messages on social media", "offensive comments under a community group post"),
    "physical": ("pushed in the street", "had a drink thrown at them outside a pub"),
    "property_damage": ("car window smashed", "plant pots kicked over and a fence panel broken"),
    "graffiti": ("offensive graffiti sprayed on a fence", "a symbol scratched into a front door"),
    "written": ("an offensive leaflet pushed through the door", "an anonymous note left on a car"),
    "other": ("something else happened",),
}
PLACES = ("home", "street", "street", "public_transport", "shop_or_pub", "workplace", "school_or_college")
OFFICER_LABEL = "Demo Triage Officer"


@dataclass(frozen=True)
class DemoPartner:
    id: int
    slug: str
    name: str
    partner_type: str
    ack_sla_hours: int | None = None


@dataclass(frozen=True)
class DemoScheme:
    id: int
    name: str
    partner: DemoPartner
    auto_route: bool = False
    waiting_list: bool = False
    min_age: int | None = None
    max_age: int | None = None


@dataclass(frozen=True)
class DemoSetting:
    """The areas, partners and schemes that made-up referrals are about and go to."""

    areas: list[tuple[int, str]]
    partners: list[DemoPartner]
    schemes: list[DemoScheme]

    @property
    def online_area_id(self) -> int | None:
        return next((area_id for area_id, slug in self.areas if slug == "online"), None)

    def partner_for(self, consent: str) -> DemoPartner | None:
        """The partner a report with this consent goes to: the demo's usual one, or the first of the right kind."""
        if consent not in PARTNER_FOR_CONSENT:
            return None
        partner_type, preferred = PARTNER_FOR_CONSENT[consent]
        fitting = [partner for partner in self.partners if partner.partner_type == partner_type]
        return next((partner for partner in fitting if partner.slug == preferred), fitting[0] if fitting else None)


def load_setting() -> DemoSetting:
    """The active areas, the active partners with a confirmed address, and the schemes taking sign-ups."""
    areas = db.session.execute(db.select(Area.id, Area.slug).filter_by(active=True).order_by(Area.position)).all()
    partners = {
        partner.id: DemoPartner(partner.id, partner.slug, partner.name, partner.partner_type, partner.ack_sla_hours)
        for partner in db.session.execute(db.select(Partner).filter_by(active=True).order_by(Partner.id)).scalars()
        if partner.is_confirmed
    }
    schemes = [
        DemoScheme(
            scheme.id,
            scheme.name,
            partners[scheme.partner_id],
            scheme.auto_route,
            scheme.status == SchemeStatus.WAITING_LIST,
            scheme.min_age,
            scheme.max_age,
        )
        for scheme in db.session.execute(db.select(VolunteerScheme).order_by(VolunteerScheme.position)).scalars()
        if scheme.takes_sign_ups and scheme.partner_id in partners
    ]
    return DemoSetting([tuple(area) for area in areas], list(partners.values()), schemes)


def referral_from_plan(planned: "PlannedReferral", officer: StaffUser | None) -> Referral:
    """A referral with its made-up answers, routes and events, at the planned times (not flushed)."""
    referral = Referral(
        reference=planned.reference,
        kind=planned.kind,
        status=planned.status,
        priority=planned.priority,
        created_at=planned.created_at,
        updated_at=planned.updated_at,
        classification=planned.classification,
        triage_due_at=planned.triage_due_at,
        triaged_at=planned.triaged_at,
        closed_at=planned.closed_at,
        close_outcome=planned.close_outcome,
        close_reason="Demo: closed (made-up example)." if planned.closed_at else None,
        area_id=planned.area_id,
    )
    rng = random.Random(planned.seed)  # noqa: S311 - made-up demo wording
    if planned.kind == ReferralKind.HATE_INCIDENT:
        referral.hate_incident = _report(planned, rng)
    else:
        referral.volunteer_application = _application(planned, rng)
    for event_at, event_type, by, detail in sorted(_events(planned, officer), key=lambda event: event[0]):
        actor = officer if by is officer and officer is not None else None
        label = None if actor else (OFFICER_LABEL if by is officer else by)
        referral.record(event_type, actor=actor, actor_label=label, **detail).created_at = event_at
    for planned_route in planned.routes:
        automatic = planned.scheme is not None and planned.scheme.auto_route
        referral.routes.append(
            Route(
                partner_id=planned_route.partner.id,
                status=planned_route.status,
                routed_by=None if automatic else officer,
                created_at=planned_route.created_at,
                sent_at=planned_route.sent_at,
                ack_due_at=planned_route.ack_due_at,
                acknowledged_at=planned_route.acknowledged_at,
                handed_back_at=planned_route.handed_back_at,
                hand_back_reason="Demo: not one for us (made-up example)." if planned_route.handed_back_at else None,
            )
        )
    return referral


def _events(planned: "PlannedReferral", officer) -> list[tuple]:
    """(when, type, who (the officer, or a label), detail) for everything that happened to the referral."""
    role = planned.reporter_role
    source = "Third-party reporting centre (online form)" if role == "organisation" else "Resident (online form)"
    scheme = {"scheme": planned.scheme.name} if planned.scheme else {}
    events = [(planned.created_at, EventType.CREATED, source, scheme)]
    if planned.classification:
        events.append((planned.triaged_at, EventType.CLASSIFIED, officer, {"classification": planned.classification}))
    for route in planned.routes:
        partner = route.partner.name
        router = AUTOMATIC_ROUTE if planned.scheme and planned.scheme.auto_route else officer
        events.append((route.created_at, EventType.ROUTED, router, {"partner": partner}))
        events.append((route.sent_at, EventType.SENT, OUTBOX_ACTOR, {"partner": partner}))
        if route.acknowledged_at:
            events.append((route.acknowledged_at, EventType.ACKNOWLEDGED, partner, {"partner": partner}))
        if route.handed_back_at:
            reason = {"partner": partner, "reason": "Demo: not one for us (made-up example)."}
            events.append((route.handed_back_at, EventType.HANDED_BACK, partner, reason))
    if planned.outcome:
        by = AUTOMATIC_ROUTE if planned.outcome_at == planned.created_at else planned.routes[0].partner.name
        events.append((planned.outcome_at, EventType.OUTCOME_SET, by, {"outcome": planned.outcome}))
    if planned.closed_at:
        detail = {"outcome": planned.close_outcome, "reason": "Demo: closed (made-up example)."}
        events.append((planned.closed_at, EventType.CLOSED, officer, detail))
    return events


def _local_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/London"))).date()


def _report(planned: "PlannedReferral", rng: random.Random) -> HateIncidentReport:
    number, types = planned.number, planned.incident_types
    online, centre = "online" in types, planned.reporter_role == "organisation"
    report = HateIncidentReport(
        reporter_role=planned.reporter_role,
        organisation_name="Demo Community Centre (made-up example)" if centre else None,
        description=f"Demo report: {rng.choice(WHAT_HAPPENED[types[0]])} (made-up example).",
        incident_date=_local_day(planned.created_at) - timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 5))),
        time_of_day=rng.choice(("morning", "afternoon", "evening", "evening", "night", "not_sure")),
        still_happening=rng.choice(("no", "no", "no", "yes", "not_sure")),
        place_type="online" if online else rng.choice(PLACES),
        location=None if online else "Demo location (made-up example)",
        area_id=planned.area_id,
        online_platform="Demo social network (made-up example)" if online else None,
        anyone_hurt="yes" if "physical" in types else "no",
        property_damaged="yes" if {"property_damage", "graffiti"} & set(types) else "no",
        perpetrator_known=rng.choice(("no", "no", "not_sure", "yes")),
        witnesses=rng.choice(("no", "yes", "not_sure")),
        reported_to_police="no",
        anonymous=planned.anonymous,
    )
    report.strands, report.incident_types, report.consents = planned.strands, types, planned.consents
    if planned.reporter_role in ("on_behalf", "organisation"):
        report.victim_name, report.victim_aware = f"Demo Person {number}", "yes"
    if not planned.anonymous:
        report.contact_name = f"Demo Resident {number}"
        report.contact_email = f"demo.resident{number}@example.org"
        report.contact_phone = f"07700 900{number % 1000:03d}"  # Ofcom's range for drama: never a real line
        report.preferred_contact = "email"
    return report


def _application(planned: "PlannedReferral", rng: random.Random) -> VolunteerApplication:
    number, scheme = planned.number, planned.scheme
    applied_on = _local_day(planned.created_at)
    age = rng.randint(scheme.min_age or 18, scheme.max_age or 74)
    born = applied_on - timedelta(days=round(365.25 * age) + rng.randint(20, 340))
    age = applied_on.year - born.year - ((applied_on.month, applied_on.day) < (born.month, born.day))
    application = VolunteerApplication(
        scheme_id=scheme.id,
        full_name=f"Demo Volunteer {number}",
        date_of_birth=born,
        age_at_application=age,
        email=f"demo.volunteer{number}@example.org",
        phone=f"07700 900{number % 1000:03d}",
        area_id=planned.area_id,
        available_days=sorted(rng.sample(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"], 2)),
        available_times=[rng.choice(["morning", "afternoon", "evening"])],
        interests="Demo application: would like to help people in their neighbourhood (made-up example).",
        how_heard=rng.choice(["friend_or_family", "social_media", "website", "event_or_leaflet", "police_or_council"]),
        consent_share=True,
        outcome=planned.outcome,
    )
    if age < 18:
        application.carer_name, application.carer_relationship = f"Demo Carer {number}", "Parent (made-up example)"
        application.carer_email, application.carer_consent = f"demo.carer{number}@example.org", True
    return application
