"""The routing rules as a table: a referral's facts and the rules in, suggested partners and reasons out.
The rules engine is a pure function, so these run without a database or an app."""

from itertools import combinations

import pytest

from portal.models import Consent
from portal.routing.rules import (
    PartnerFacts,
    ReferralFacts,
    RuleFacts,
    missing_consent,
    rule_reason,
    suggest_partners,
)

POLICE, HUB, COHESION, WATCH, CLOSED_PARTNER = 1, 2, 3, 4, 5
PARTNERS = {
    POLICE: PartnerFacts(POLICE, "Police hate crime team", "police"),
    HUB: PartnerFacts(HUB, "Victim and Witness Hub", "victim_support"),
    COHESION: PartnerFacts(COHESION, "Community cohesion team", "council_housing"),
    WATCH: PartnerFacts(WATCH, "Neighbourhood Watch", "volunteering"),
    CLOSED_PARTNER: PartnerFacts(CLOSED_PARTNER, "Closed agency", "council_housing", active=False),
}
CENTRAL, NORTH = 10, 11
RULES = [
    RuleFacts("Police", (POLICE,), kind="hate_incident", consent="police"),
    RuleFacts("Victim support", (HUB,), kind="hate_incident", consent="victim_support"),
    RuleFacts("Council advice", (COHESION,), kind="hate_incident", consent="council_housing"),
    RuleFacts("Crimes", (POLICE,), classification="crime"),
    RuleFacts("Non-crime", (COHESION,), classification="non_crime"),
    RuleFacts("Disability", (HUB,), kind="hate_incident", strand="disability", strand_name="Disability"),
    RuleFacts("City centre", (COHESION, CLOSED_PARTNER), area_id=CENTRAL, area_name="Central"),
    RuleFacts("Watch scheme", (WATCH,), kind="volunteer", scheme_id=7, scheme_name="Neighbourhood Watch"),
]


def report(consents=(), strands=("race",), classification=None, area_id=NORTH) -> ReferralFacts:
    return ReferralFacts(
        kind="hate_incident",
        strands=frozenset(strands),
        classification=classification,
        consents=frozenset(consents),
        area_id=area_id,
    )


def outcome(referral) -> list[tuple[int, list[str], bool]]:
    return [(s.partner.id, s.reasons, s.needs_override) for s in suggest_partners(referral, RULES, PARTNERS)]


REASON = {
    "police": "The reporter asked for the police to be told (rule “Police”)",
    "victim_support": "The reporter asked for victim support (rule “Victim support”)",
    "council_housing": "The reporter asked for council or housing advice (rule “Council advice”)",
}
ALL_CONSENTS = [c.value for c in Consent]
EVERY_COMBINATION = [set(combo) for size in range(len(ALL_CONSENTS) + 1) for combo in combinations(ALL_CONSENTS, size)]


@pytest.mark.parametrize("consents", EVERY_COMBINATION, ids=lambda c: "+".join(sorted(c)) or "none")
def test_every_consent_combination_suggests_exactly_the_partners_agreed_to(consents):
    expected = [
        (partner, [REASON[consent]], False)
        for consent, partner in (("police", POLICE), ("victim_support", HUB), ("council_housing", COHESION))
        if consent in consents
    ]
    assert outcome(report(consents)) == expected


@pytest.mark.parametrize("consents", EVERY_COMBINATION, ids=lambda c: "+".join(sorted(c)) or "none")
def test_a_crime_goes_to_the_police_only_with_consent_or_an_override(consents):
    [police] = [
        s for s in suggest_partners(report(consents, classification="crime"), RULES, PARTNERS) if s.partner.id == POLICE
    ]
    assert "It is classified as a hate crime (rule “Crimes”)" in police.reasons
    assert police.needs_override == ("police" not in consents)
    if police.needs_override:
        assert police.missing_consent == "The reporter did not agree to their report going to the police."


TABLE = [
    # (referral, [(partner, reasons, needs override)])
    (
        report(["victim_support"], strands=["disability", "race"]),
        [
            (HUB, [REASON["victim_support"], "The hostility was about disability (rule “Disability”)"], False),
        ],
    ),
    (
        report([], strands=["disability"]),
        [
            (HUB, ["The hostility was about disability (rule “Disability”)"], True),
        ],
    ),
    (
        report(["council_housing"], classification="non_crime", area_id=CENTRAL),
        [
            (
                COHESION,
                [
                    REASON["council_housing"],
                    "It is classified as a non-crime hate incident (rule “Non-crime”)",
                    "It happened in Central (rule “City centre”)",
                ],
                False,
            ),
        ],
    ),
    (report(["just_record"], classification="not_hate"), []),
    (
        report(["just_record"], area_id=CENTRAL),
        [
            (COHESION, ["It happened in Central (rule “City centre”)"], True),
        ],
    ),
    (
        ReferralFacts(kind="volunteer", scheme_id=7, scheme_partner_id=WATCH),
        [
            (WATCH, ["The applicant applied to Neighbourhood Watch (rule “Watch scheme”)"], False),
        ],
    ),
    (ReferralFacts(kind="volunteer", scheme_id=8), []),
]


@pytest.mark.parametrize(("referral", "expected"), TABLE)
def test_rules_table(referral, expected):
    assert outcome(referral) == expected


def test_inactive_partners_and_inactive_matches_are_left_out():
    suggested = [s.partner.id for s in suggest_partners(report(["council_housing"], area_id=CENTRAL), RULES, PARTNERS)]
    assert CLOSED_PARTNER not in suggested and suggested == [COHESION]


def test_no_rules_suggest_nothing_and_a_rule_with_no_conditions_matches_everything():
    assert suggest_partners(report(["police"]), [], PARTNERS) == []
    everything = RuleFacts("Everything", (HUB,))
    [hub] = suggest_partners(report(["victim_support"]), [everything], PARTNERS)
    assert hub.reasons == ["Every referral (rule “Everything”)"]


@pytest.mark.parametrize(
    ("partner_type", "consents", "missing"),
    [
        ("police", ["police"], None),
        (
            "police",
            ["victim_support", "council_housing"],
            "The reporter did not agree to their report going to the police.",
        ),
        ("victim_support", ["victim_support"], None),
        ("victim_support", ["police"], "The reporter did not ask for victim support."),
        ("council_housing", ["council_housing"], None),
        ("council_housing", ["just_record"], "The reporter did not ask for council or housing advice."),
        ("volunteering", ALL_CONSENTS, "The reporter did not ask for their report to go to a volunteering scheme."),
    ],
)
def test_consent_is_a_hard_rule_for_reports(partner_type, consents, missing):
    assert missing_consent(report(consents), partner_type) == missing


def test_a_volunteer_application_goes_to_its_schemes_partner_only_unless_overridden():
    application = ReferralFacts(kind="volunteer", scheme_id=7, scheme_partner_id=WATCH)
    assert missing_consent(application, "volunteering", WATCH) is None
    assert (
        missing_consent(application, "police", POLICE) == "The applicant applied to a scheme this partner does not run."
    )
    assert missing_consent(application, "volunteering", None) is not None


def test_a_partner_whose_type_is_not_set_needs_an_override_whatever_the_reporter_agreed():
    assert missing_consent(report(ALL_CONSENTS), "other") == (
        "No consent the reporter can give covers this partner (its kind is not set)."
    )


def test_a_reason_names_every_condition_of_its_rule():
    rule = RuleFacts(
        "Several",
        (HUB,),
        consent="victim_support",
        strand="religion",
        strand_name="Religion or belief",
        area_id=CENTRAL,
        area_name="Central",
    )
    assert rule_reason(rule) == (
        "The reporter asked for victim support and the hostility was about religion or belief and it happened in "
        "Central (rule “Several”)"
    )
