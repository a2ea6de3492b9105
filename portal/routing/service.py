"""Decisions that send a referral to a partner. The email goes into the outbox in the same commit."""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import bindparam, case, func, update
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.labels import STRAND_LABELS
from portal.models import (
    Area,
    Classification,
    EventType,
    Partner,
    PartnerAddress,
    Referral,
    ReferralKind,
    ReferralStatus,
    Route,
    RouteStatus,
    RoutingRule,
    StaffUser,
    VolunteerScheme,
)
from portal.models._types import utcnow
from portal.models.partner import routing_rule_partner
from portal.reporting.service import report_summary
from portal.routing.emails import enqueue_route_email
from portal.routing.rules import PartnerFacts, ReferralFacts, RuleFacts, Suggestion, missing_consent, suggest_partners
from portal.statistics import note_first_triage

# Who the history says routed a referral that no officer routed.
AUTOMATIC_ROUTE = "Automatic (scheme rule)"


class RoutingError(Exception):
    """A routing decision that cannot be carried out; the message is for the officer."""


@dataclass
class RouteOption:
    """A partner an officer may still send a referral to, with what the rules say about it."""

    partner: PartnerFacts
    reasons: list[str] = field(default_factory=list)
    missing_consent: str | None = None

    @property
    def hint(self) -> str:
        parts = list(self.reasons)
        if self.missing_consent:
            parts.append(self.missing_consent + " " + _("Sending it needs a reason."))
        if not self.partner.confirmed:
            parts.append(_("No confirmed email address yet: it will be held until one is confirmed."))
        return " ".join(part if part.endswith(".") else part + "." for part in parts)


def route_options(referral: Referral) -> list[RouteOption]:
    """Every active partner the referral has not been sent to: the suggested ones first, in the rules'
    order, each with its reasons, then the others by name, each with what consent it lacks."""
    routed = {route.partner_id for route in referral.routes}
    partners = _partners_by_id()
    suggested = [
        RouteOption(s.partner, s.reasons, s.missing_consent)
        for s in routing_suggestions(referral, partners)
        if s.partner.id not in routed
    ]
    seen = {option.partner.id for option in suggested} | routed
    facts = referral_facts(referral)
    others = [
        RouteOption(partner, missing_consent=missing_consent(facts, partner.partner_type, partner.id))
        for partner in partners.values()
        if partner.active and partner.id not in seen
    ]
    return suggested + others


def _partners_by_id() -> dict[int, PartnerFacts]:
    """Every partner as the rules see it, by name: one query of columns, with whether an address is confirmed."""
    return {row[0]: PartnerFacts(*row) for row in db.session.execute(_PARTNERS)}


def route_referral_to(referral: Referral, partner_id: str, officer: StaffUser, override_reason: str = "") -> Route:
    """Route to the partner an officer chose from the form (an id as text, checked here)."""
    partner = db.session.get(Partner, int(partner_id)) if partner_id.isascii() and partner_id.isdigit() else None
    if partner is None:
        raise RoutingError(_("Select a partner from the list"))
    return route_referral(referral, partner, officer, override_reason=override_reason)


def route_referral(
    referral: Referral, partner: Partner, officer: StaffUser | None, *, override_reason: str = ""
) -> Route:
    """Send a referral to a partner: a Route, its emails in the outbox, and events, in one unit of work.
    Without an officer the route is automatic (a volunteer scheme that sends its applications itself).

    Consent is a hard rule: a report goes to a partner the reporter did not agree to only with an officer's
    reason, recorded as its own event. A partner with no confirmed address gets the route held: nothing is
    sent until an address is confirmed, and the queue shows it."""
    if not partner.active:
        raise RoutingError(_("%(partner)s is not taking referrals at the moment", partner=partner.name))
    if any(route.partner_id == partner.id for route in referral.routes):
        raise RoutingError(_("This referral has already been sent to %(partner)s", partner=partner.name))
    problem = missing_consent(referral_facts(referral), partner.partner_type, partner.id)
    override_reason = (override_reason or "").strip()
    if problem and (officer is None or not override_reason):
        raise RoutingError(
            _(
                "%(problem)s To send it to %(partner)s anyway, give the reason (for example, a safeguarding concern).",
                problem=problem,
                partner=partner.name,
            )
        )
    mark_routed(referral)
    route = Route(referral=referral, partner=partner, routed_by=officer)
    if problem:
        route.consent_override_reason = override_reason
    db.session.add(route)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # another officer routed it to the same partner a moment ago
        raise RoutingError(_("This referral has already been sent to %(partner)s", partner=partner.name)) from None
    label = None if officer else AUTOMATIC_ROUTE
    referral.record(EventType.ROUTED, actor=officer, actor_label=label, partner=partner.name)
    if problem:
        referral.record(
            EventType.CONSENT_OVERRIDE, actor=officer, partner=partner.name, reason=override_reason, consent=problem
        )
    if not enqueue_route_email(route):
        route.status = RouteStatus.HELD
        referral.record(EventType.HELD, actor=officer, actor_label=label, partner=partner.name)
    db.session.flush()
    return route


def release_held_routes(partner: Partner) -> int:
    """Send what was held for a partner, or could not be delivered to it, now that it has a confirmed
    address. A route on a closed referral stays as it is, and one the reporter's consent no longer covers
    (the partner's type changed while it waited) and that no officer overrode stays held. Returns how many
    routes were sent on."""
    if not partner.active:
        return 0
    waiting = db.session.execute(
        db.select(Route)
        .join(Referral)
        .where(
            Route.partner_id == partner.id,
            Route.status.in_((RouteStatus.HELD, RouteStatus.FAILED)),
            Referral.status != ReferralStatus.CLOSED,
        )
        .order_by(Route.id)
    ).scalars()
    released = 0
    for route in waiting:
        consent = missing_consent(referral_facts(route.referral), partner.partner_type, partner.id)
        if consent and not route.consent_override_reason:
            continue
        if enqueue_route_email(route):
            route.status = RouteStatus.QUEUED
            route.referral.record(EventType.HELD_SENT, actor_label=partner.name, partner=partner.name)
            released += 1
    db.session.flush()
    return released


def mark_routed(referral: Referral) -> None:
    """Routed, in one conditional UPDATE that refuses a closed referral (however stale the page was), and
    counts as its first triage if nothing else did."""
    changed = db.session.execute(
        update(Referral)
        .where(Referral.id == referral.id, Referral.status != ReferralStatus.CLOSED)
        .values(
            # An acknowledged referral stays acknowledged when one more partner is added.
            status=case(
                (Referral.status == ReferralStatus.ACKNOWLEDGED, ReferralStatus.ACKNOWLEDGED.value),
                else_=ReferralStatus.ROUTED.value,
            ),
            version=Referral.version + 1,
            updated_at=utcnow(),
            triaged_at=func.coalesce(Referral.triaged_at, utcnow()),
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise RoutingError(_("This referral is closed, so it cannot be sent to a partner."))
    db.session.expire(referral, ["status", "version", "updated_at", "triaged_at"])
    note_first_triage(referral)


# Pages of the report that describe the people who did it and the witnesses.
PEOPLE_PAGES = {"people", "witnesses"}
# The resident was told their equality monitoring answers are kept apart from the report: no partner sees them.
EQUALITY_STEP = "equality"


def partner_report_summary(referral: Referral):
    """What a partner is shown of a report: never the equality monitoring answers. For a non-crime hate
    incident the details of the people who did it, and of witnesses, stay with the partnership too (the
    non-crime hate incident code): a partner who needs them asks the triage team."""
    hidden = {EQUALITY_STEP} | (PEOPLE_PAGES if referral.classification == Classification.NON_CRIME else set())
    kept = [(name, [row for row in rows if row.step not in hidden]) for name, rows in report_summary(referral)]
    return [(name, rows) for name, rows in kept if rows]


def partner_sections(route: Route):
    """The answers this route's partner may see, grouped as on the resident's check-answers page."""
    referral = route.referral
    if referral.kind == ReferralKind.VOLUNTEER:
        from portal.volunteering.service import application_summary

        return application_summary(referral)
    return partner_report_summary(referral)


def referral_facts(referral: Referral) -> ReferralFacts:
    """The facts the routing rules look at, read from a referral and its detail row."""
    report = referral.hate_incident
    application = getattr(referral, "volunteer_application", None)
    return ReferralFacts(
        kind=referral.kind,
        strands=frozenset(report.strands) if report else frozenset(),
        classification=referral.classification,
        consents=frozenset(report.consents) if report else frozenset(),
        scheme_id=application.scheme_id if application else None,
        area_id=(report.area_id if report else getattr(application, "area_id", None)),
        scheme_partner_id=application.scheme.partner_id if application else None,
    )


# The SQL the referral page runs on every view, built once (building it cost more than running it).
_ACTIVE_RULES = (
    db.select(
        RoutingRule.id,
        RoutingRule.name,
        RoutingRule.kind,
        RoutingRule.strand,
        RoutingRule.classification,
        RoutingRule.consent,
        RoutingRule.scheme_id,
        RoutingRule.area_id,
        VolunteerScheme.name,
        Area.name,
    )
    .outerjoin(VolunteerScheme, VolunteerScheme.id == RoutingRule.scheme_id)
    .outerjoin(Area, Area.id == RoutingRule.area_id)
    .where(RoutingRule.active.is_(True))
    .order_by(RoutingRule.position, RoutingRule.id)
)
_RULE_PARTNERS = (
    db.select(routing_rule_partner.c.rule_id, routing_rule_partner.c.partner_id)
    .join(Partner, Partner.id == routing_rule_partner.c.partner_id)
    .where(routing_rule_partner.c.rule_id.in_(bindparam("rule_ids", expanding=True)))
    .order_by(Partner.name)
)
_PARTNERS = db.select(
    Partner.id,
    Partner.name,
    Partner.partner_type,
    Partner.active,
    db.select(PartnerAddress.id)
    .where(PartnerAddress.partner_id == Partner.id, PartnerAddress.confirmed_at.is_not(None))
    .exists(),
).order_by(Partner.name)


def active_rules() -> list[RuleFacts]:
    """The active routing rules in order, as the rules engine reads them: two queries of columns."""
    rows = db.session.execute(_ACTIVE_RULES).all()
    partner_ids = defaultdict(list)
    for rule_id, partner_id in db.session.execute(_RULE_PARTNERS, {"rule_ids": [row[0] for row in rows]}):
        partner_ids[rule_id].append(partner_id)
    return [
        RuleFacts(
            name=name,
            partner_ids=tuple(partner_ids[rule_id]),
            kind=kind,
            strand=strand,
            classification=classification,
            consent=consent,
            scheme_id=scheme_id,
            area_id=area_id,
            scheme_name=scheme_name or "",
            area_name=area_name or "",
            strand_name=str(STRAND_LABELS.get(strand, "")) if strand else "",
        )
        for rule_id, name, kind, strand, classification, consent, scheme_id, area_id, scheme_name, area_name in rows
    ]


def routing_suggestions(referral: Referral, partners: dict[int, PartnerFacts] | None = None) -> list[Suggestion]:
    """The partners the active rules suggest for this referral, with reasons; for a volunteer application,
    the partner that runs the scheme comes first."""
    partners = _partners_by_id() if partners is None else partners
    rules = []
    application = getattr(referral, "volunteer_application", None)
    if application is not None and application.scheme.partner_id:
        rules.append(
            RuleFacts(
                name=application.scheme.name,
                partner_ids=(application.scheme.partner_id,),
                scheme_id=application.scheme_id,
                scheme_name=application.scheme.name,
            )
        )
    rules.extend(active_rules())
    return suggest_partners(referral_facts(referral), rules, partners)
