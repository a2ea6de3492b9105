"""Business rules for routing rules: admins add, change, reorder and delete them without a code change. Rules
only suggest partners to an officer (portal/routing/rules.py decides which match); every change is audited."""

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.labels import STRAND_LABELS
from portal.models import Area, AuditEvent, Partner, RoutingRule, StaffUser, VolunteerScheme
from portal.routing.rules import RuleFacts

CONDITIONS = ("kind", "strand", "classification", "consent", "scheme_id", "area_id")


@dataclass
class RuleAnswers:
    """What an admin entered for a rule, already checked for presence and format. None matches anything."""

    name: str
    active: bool
    position: int
    kind: str | None
    strand: str | None
    classification: str | None
    consent: str | None
    scheme_id: int | None
    area_id: int | None
    partner_ids: list[int]


def listed_rules() -> list[RoutingRule]:
    """Every rule in the order officers' suggestions follow, with what the list shows of each."""
    query = (
        db.select(RoutingRule)
        .order_by(RoutingRule.position, RoutingRule.id)
        .options(selectinload(RoutingRule.partners), selectinload(RoutingRule.scheme), selectinload(RoutingRule.area))
    )
    return list(db.session.execute(query).scalars())


def find_rule(rule_id: int) -> RoutingRule | None:
    return db.session.get(RoutingRule, rule_id)


def next_rule_position() -> int:
    highest = db.session.execute(db.select(db.func.max(RoutingRule.position))).scalar_one_or_none()
    return (highest or 0) + 10


def rule_options() -> tuple[list[VolunteerScheme], list[Area], list[Partner]]:
    """What a rule can name: every scheme, every area (retired ones too), every partner."""
    schemes = db.session.execute(db.select(VolunteerScheme).order_by(VolunteerScheme.position, VolunteerScheme.id))
    areas = db.session.execute(db.select(Area).order_by(Area.active.desc(), Area.position, Area.id))
    partners = db.session.execute(db.select(Partner).order_by(db.func.lower(Partner.name), Partner.id))
    return list(schemes.scalars()), list(areas.scalars()), list(partners.scalars())


def rule_facts(rule: RoutingRule) -> RuleFacts:
    """A stored rule as the routing engine reads it (so the list can show the reason officers will see)."""
    return RuleFacts(
        name=rule.name,
        partner_ids=tuple(partner.id for partner in rule.partners),
        kind=rule.kind,
        strand=rule.strand,
        classification=rule.classification,
        consent=rule.consent,
        scheme_id=rule.scheme_id,
        area_id=rule.area_id,
        scheme_name=rule.scheme.name if rule.scheme else "",
        area_name=rule.area.name if rule.area else "",
        strand_name=str(STRAND_LABELS.get(rule.strand, "")) if rule.strand else "",
    )


def _record(action: str, actor: StaffUser, rule: RoutingRule) -> None:
    detail = {"rule": rule.id, "name": rule.name, "active": rule.active, "position": rule.position}
    detail.update({name: getattr(rule, name) for name in CONDITIONS})
    detail["partners"] = [partner.id for partner in rule.partners]
    db.session.add(AuditEvent(action=action, actor=actor, detail=detail))


def _apply(rule: RoutingRule, answers: RuleAnswers) -> None:
    for name, value in vars(answers).items():
        if name != "partner_ids":
            setattr(rule, name, value)
    wanted = set(answers.partner_ids)
    rule.partners = list(db.session.execute(db.select(Partner).where(Partner.id.in_(wanted))).scalars())


def create_rule(answers: RuleAnswers, actor: StaffUser) -> RoutingRule:
    """Add a rule. If it is active, officers see its suggestions on the next referral they open."""
    rule = RoutingRule()
    _apply(rule, answers)
    db.session.add(rule)
    db.session.flush()
    _record("rule_added", actor, rule)
    db.session.flush()
    return rule


def update_rule(rule: RoutingRule, answers: RuleAnswers, actor: StaffUser) -> RoutingRule:
    """Change a rule's conditions, partners, order, or turn it off. Routes already made are not changed."""
    _apply(rule, answers)
    db.session.flush()
    _record("rule_changed", actor, rule)
    db.session.flush()
    return rule


def delete_rule(rule: RoutingRule, actor: StaffUser) -> None:
    """Delete a rule. The audit trail keeps what it said."""
    _record("rule_deleted", actor, rule)
    db.session.delete(rule)
    db.session.flush()
