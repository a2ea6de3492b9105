"""Which partners a referral should go to, and why: a pure function of the referral's facts and the rules.

Nothing here touches the database, so every combination is tested as a table (tests/routing/test_rules.py).
Rules only suggest; an officer confirms. Consent is a hard rule: a hate-incident report goes to a partner
only if the reporter agreed to that kind of partner, unless an officer records an override with a reason.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from portal.models import Classification, Consent, PartnerType, ReferralKind

# The consent a hate-incident report needs before it may go to each kind of partner. A volunteering scheme
# is not something a reporter can agree to from the form, so a report goes there only by override.
CONSENT_FOR_TYPE = {
    PartnerType.POLICE: Consent.POLICE,
    PartnerType.VICTIM_SUPPORT: Consent.VICTIM_SUPPORT,
    PartnerType.COUNCIL_HOUSING: Consent.COUNCIL_HOUSING,
}

MISSING_CONSENT = {
    PartnerType.POLICE: _l("The reporter did not agree to their report going to the police."),
    PartnerType.VICTIM_SUPPORT: _l("The reporter did not ask for victim support."),
    PartnerType.COUNCIL_HOUSING: _l("The reporter did not ask for council or housing advice."),
    PartnerType.VOLUNTEERING: _l("The reporter did not ask for their report to go to a volunteering scheme."),
    PartnerType.OTHER: _l("No consent the reporter can give covers this partner (its kind is not set)."),
}

CONSENT_WORDS = {
    Consent.POLICE: _l("the reporter asked for the police to be told"),
    Consent.VICTIM_SUPPORT: _l("the reporter asked for victim support"),
    Consent.COUNCIL_HOUSING: _l("the reporter asked for council or housing advice"),
    Consent.JUST_RECORD: _l("the reporter asked only for it to be recorded"),
}

CLASSIFICATION_WORDS = {
    Classification.CRIME: _l("it is classified as a hate crime"),
    Classification.NON_CRIME: _l("it is classified as a non-crime hate incident"),
    Classification.NOT_HATE: _l("it is classified as not a hate incident"),
}

KIND_WORDS = {
    ReferralKind.HATE_INCIDENT: _l("it is a hate incident report"),
    ReferralKind.VOLUNTEER: _l("it is a volunteer application"),
}


@dataclass(frozen=True)
class ReferralFacts:
    """What the rules may look at in a referral."""

    kind: str
    strands: frozenset[str] = frozenset()
    classification: str | None = None
    consents: frozenset[str] = frozenset()
    scheme_id: int | None = None
    area_id: int | None = None
    scheme_partner_id: int | None = None  # for an application: the partner that runs the scheme


@dataclass(frozen=True)
class PartnerFacts:
    id: int
    name: str
    partner_type: str
    active: bool = True
    confirmed: bool = True


@dataclass(frozen=True)
class RuleFacts:
    """A rule's conditions (None matches anything) and the partners it suggests. The names of the scheme,
    area and strand are carried so that the reason can be given in words."""

    name: str
    partner_ids: tuple[int, ...]
    kind: str | None = None
    strand: str | None = None
    classification: str | None = None
    consent: str | None = None
    scheme_id: int | None = None
    area_id: int | None = None
    scheme_name: str = ""
    area_name: str = ""
    strand_name: str = ""


@dataclass
class Suggestion:
    """A partner the rules suggest, every reason why, and what stops it going without an override."""

    partner: PartnerFacts
    reasons: list[str] = field(default_factory=list)
    missing_consent: str | None = None

    @property
    def needs_override(self) -> bool:
        return self.missing_consent is not None


def missing_consent(referral: ReferralFacts, partner_type: str, partner_id: int | None = None) -> str | None:
    """Why this referral may not go to this partner without an override, or None if it may."""
    if referral.kind == ReferralKind.VOLUNTEER:
        # An applicant agreed to share their details with the scheme they chose, and with nobody else.
        if partner_id is not None and partner_id == referral.scheme_partner_id:
            return None
        return str(_l("The applicant applied to a scheme this partner does not run."))
    needed = CONSENT_FOR_TYPE.get(partner_type)
    if needed is not None and needed in referral.consents:
        return None
    return str(MISSING_CONSENT.get(partner_type, MISSING_CONSENT[PartnerType.VOLUNTEERING]))


def rule_matches(rule: RuleFacts, referral: ReferralFacts) -> bool:
    return (
        (rule.kind is None or rule.kind == referral.kind)
        and (rule.strand is None or rule.strand in referral.strands)
        and (rule.classification is None or rule.classification == referral.classification)
        and (rule.consent is None or rule.consent in referral.consents)
        and (rule.scheme_id is None or rule.scheme_id == referral.scheme_id)
        and (rule.area_id is None or rule.area_id == referral.area_id)
    )


def rule_reason(rule: RuleFacts) -> str:
    """A rule's conditions in words, e.g. 'The reporter asked for victim support (rule “Victim support”)'."""
    parts = []
    if rule.consent:
        parts.append(str(CONSENT_WORDS.get(rule.consent, rule.consent)))
    if rule.classification:
        parts.append(str(CLASSIFICATION_WORDS.get(rule.classification, rule.classification)))
    if rule.strand:
        parts.append(str(_l("the hostility was about %(strand)s", strand=(rule.strand_name or rule.strand).lower())))
    if rule.scheme_id:
        parts.append(str(_l("the applicant applied to %(scheme)s", scheme=rule.scheme_name)))
    if rule.area_id:
        parts.append(str(_l("it happened in %(area)s", area=rule.area_name)))
    if rule.kind and not parts:
        parts.append(str(KIND_WORDS.get(rule.kind, rule.kind)))
    conditions = str(_l(" and ")).join(parts) if parts else str(_l("every referral"))
    return str(
        _l("%(conditions)s (rule “%(rule)s”)", conditions=conditions[:1].upper() + conditions[1:], rule=rule.name)
    )


def suggest_partners(
    referral: ReferralFacts, rules: Iterable[RuleFacts], partners: Mapping[int, PartnerFacts]
) -> list[Suggestion]:
    """The partners suggested for a referral, in the order of the rules that first named them, each with
    every matching rule's reason. Inactive partners are left out; a partner the reporter did not agree to
    is kept, marked as needing an officer's override."""
    suggestions: dict[int, Suggestion] = {}
    for rule in rules:
        if not rule_matches(rule, referral):
            continue
        reason = rule_reason(rule)
        for partner_id in rule.partner_ids:
            partner = partners.get(partner_id)
            if partner is None or not partner.active:
                continue
            suggestion = suggestions.setdefault(
                partner_id,
                Suggestion(partner, missing_consent=missing_consent(referral, partner.partner_type, partner.id)),
            )
            if reason not in suggestion.reasons:
                suggestion.reasons.append(reason)
    return list(suggestions.values())
