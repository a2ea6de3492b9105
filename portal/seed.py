"""Demo configuration for Peterborough (see shared SEED-FACTS.md). Safe to run again and again."""

from portal.content import SUBJECTS, seed_translations
from portal.demo_history import seed_history
from portal.extensions import db
from portal.models import (
    Area,
    Partner,
    PartnerAddress,
    PartnerType,
    ResponseTemplate,
    RoutingRule,
    SchemeStatus,
    SignpostCategory,
    SignpostService,
    StaffRole,
    StaffUser,
    TemplatePurpose,
    VolunteerScheme,
)
from portal.models._types import utcnow

AREAS = [
    "Central",
    "North",
    "East",
    "Park",
    "Fletton",
    "Bretton North",
    "Stanground Central",
    "Walton",
    "Orton Longueville",
    "Elsewhere in Peterborough",
    "Online",
]

# (slug, name, description, email, secure_email, type). The addresses are seeded as confirmed.
PARTNERS = [
    (
        "police-hate-crime",
        "Cambridgeshire Constabulary hate crime team",
        "Investigates hate crimes and records hate incidents.",
        "hate-crime-team@example.org",
        True,
        PartnerType.POLICE,
    ),
    (
        "victim-witness-hub",
        "Victim and Witness Hub",
        "Emotional and practical support for victims and witnesses of crime.",
        "victim-hub@example.org",
        False,
        PartnerType.VICTIM_SUPPORT,
    ),
    (
        "council-cohesion",
        "Peterborough City Council community cohesion team",
        "Works with communities to prevent hate and tension.",
        "cohesion@example.org",
        False,
        PartnerType.COUNCIL_HOUSING,
    ),
    (
        "prevention-enforcement",
        "Prevention and Enforcement Service",
        "Council, police and fire staff dealing with anti-social behaviour.",
        "pes@example.org",
        False,
        PartnerType.COUNCIL_HOUSING,
    ),
    (
        "cross-keys-homes",
        "Cross Keys Homes",
        "Registered social landlord: tenancy and neighbourhood issues.",
        "neighbourhoods@example.org",
        False,
        PartnerType.COUNCIL_HOUSING,
    ),
    (
        "specialist-abuse-services",
        "Specialist Abuse Services Peterborough",
        "Domestic abuse and sexual violence support.",
        "referrals.sasp@example.org",
        False,
        PartnerType.VICTIM_SUPPORT,
    ),
    (
        "neighbourhood-watch",
        "Neighbourhood Watch",
        "Local schemes with the police.",
        "neighbourhood-watch@example.org",
        False,
        PartnerType.VOLUNTEERING,
    ),
    (
        "good-neighbour-scheme",
        "Salvation Army Good Neighbour Scheme",
        "Supports older people living independently.",
        "good-neighbours@example.org",
        False,
        PartnerType.VOLUNTEERING,
    ),
    (
        "police-volunteers",
        "Police Support Volunteers co-ordinator",
        "Cambridgeshire Constabulary volunteer co-ordinator.",
        "police-volunteers@example.org",
        False,
        PartnerType.VOLUNTEERING,
    ),
    (
        "police-cadets",
        "Volunteer Police Cadets co-ordinator",
        "Cambridgeshire Constabulary cadet co-ordinator.",
        "police-cadets@example.org",
        False,
        PartnerType.VOLUNTEERING,
    ),
]

# The Get help directory: (slug, name, who it helps, how to contact, categories). Local numbers are from
# Ofcom's drama range (01632 960xxx) and emails use example.org; the national numbers are real. Web
# addresses are plain text: the portal never links residents to other sites from its own pages.
SIGNPOST_SERVICES = [
    (
        "emergency",
        "Emergency services",
        "Anyone in danger now, or if a crime is happening now. Police, fire and ambulance.",
        "Call 999.\nDeaf or speech-impaired: text relay 18001 999.",
        [SignpostCategory.EMERGENCY],
    ),
    (
        "police-non-emergency",
        "Cambridgeshire Constabulary (non-emergency)",
        "Anyone who wants to report a crime or a hate incident to the police when it is not an emergency.",
        "Call 101, any time.\nDeaf or speech-impaired: text relay 18001 101.",
        [SignpostCategory.HATE_CRIME, SignpostCategory.VICTIM_SUPPORT],
    ),
    (
        "true-vision",
        "True Vision",
        "Anyone in England and Wales who wants to report a hate crime or hate incident online, "
        "including for someone else.",
        "Report online at www.report-it.org.uk",
        [SignpostCategory.HATE_CRIME],
    ),
    (
        "victim-witness-hub",
        "Victim and Witness Hub",
        "Victims and witnesses of any crime, including hate crime, whether or not it was reported to the "
        "police. Free, confidential emotional and practical support.",
        "Phone 01632 960100, Monday to Friday, 8am to 8pm, and Saturday, 9am to 5pm.\nEmail victim-hub@example.org",
        [SignpostCategory.VICTIM_SUPPORT, SignpostCategory.HATE_CRIME],
    ),
    (
        "council-cohesion",
        "Peterborough City Council community cohesion team",
        "Communities, faith groups and residents worried about tension or hate in their area.",
        "Phone 01632 960200, Monday to Friday, 9am to 5pm.\nEmail cohesion@example.org",
        [SignpostCategory.HATE_CRIME, SignpostCategory.GENERAL],
    ),
    (
        "specialist-abuse-services",
        "Specialist Abuse Services Peterborough",
        "Anyone affected by domestic abuse or sexual violence, now or in the past, of any gender.",
        "Phone 01632 960300, Monday to Friday, 9am to 5pm.\nEmail support.sasp@example.org",
        [SignpostCategory.DOMESTIC_ABUSE, SignpostCategory.SEXUAL_VIOLENCE],
    ),
    (
        "aspire",
        "Aspire",
        "Adults worried about their own drug or alcohol use, and family and friends of someone who is.",
        "Phone 01632 960400, Monday to Friday, 9am to 5pm.\nEmail aspire@example.org",
        [SignpostCategory.SUBSTANCE_MISUSE],
    ),
    (
        "cross-keys-homes",
        "Cross Keys Homes",
        "Cross Keys Homes tenants with problems with their home or their neighbours, including harassment.",
        "Phone 01632 960500, Monday to Friday, 8am to 6pm.\nEmail neighbourhoods@example.org",
        [SignpostCategory.HOUSING],
    ),
]

# The volunteering schemes named in the plan, each linked to the partner seeded for it (by slug). Do-It takes
# no sign-up here: it is a signpost to the national volunteering website.
SCHEMES = [
    {
        "slug": "neighbourhood-watch",
        "name": "Neighbourhood Watch",
        "summary": "Join or start a local scheme that looks out for your street, with support from the police.",
        "what_volunteers_do": "Keep an eye out for neighbours, pass on crime prevention advice and police alerts, "
        "and report concerns. You can join a scheme near you or start one for your street.",
        "time_commitment": "As much or as little as you like",
        "min_age": 16,
        "partner": "neighbourhood-watch",
        "auto_route": True,
    },
    {
        "slug": "good-neighbour-scheme",
        "name": "Good Neighbour Scheme",
        "summary": "Run by the Salvation Army: help older people live independently and feel less alone.",
        "what_volunteers_do": "Visit or phone an older person near you for a chat, help with shopping or small "
        "jobs, and go with them to appointments or social groups.",
        "time_commitment": "About 1 to 2 hours a week",
        "min_age": 18,
        "vetting_notes": "You will need a Disclosure and Barring Service (DBS) check, which the Salvation Army "
        "arranges and pays for.",
        "partner": "good-neighbour-scheme",
        "auto_route": True,
    },
    {
        "slug": "police-support-volunteers",
        "name": "Police Support Volunteers",
        "summary": "Help Cambridgeshire Constabulary with crime prevention, enquiries and support for victims.",
        "what_volunteers_do": "Crime prevention events, house-to-house enquiries, collecting CCTV footage and "
        "visiting victims of crime, alongside police officers and staff.",
        "time_commitment": "At least 4 hours a month",
        "min_age": 18,
        "vetting_notes": "All Police Support Volunteers are vetted by the police before they start. Vetting "
        "usually takes 6 to 8 weeks.",
        "partner": "police-volunteers",
        "auto_route": False,
    },
    {
        "slug": "victim-witness-hub-volunteers",
        "name": "Victim and Witness Hub community volunteers",
        "summary": "Give emotional support to people affected by crime.",
        "what_volunteers_do": "Listen to and support victims and witnesses of crime by phone or in person, "
        "after training from the Hub.",
        "time_commitment": "About 3 hours a week",
        "min_age": 18,
        "vetting_notes": "You will need an enhanced DBS check and to complete the Hub's training.",
        "partner": "victim-witness-hub",
        "auto_route": False,
        "status": SchemeStatus.WAITING_LIST,
    },
    {
        "slug": "volunteer-police-cadets",
        "name": "Volunteer Police Cadets",
        "summary": "For young people aged 13 to 17: learn about policing and help your community.",
        "what_volunteers_do": "Weekly cadet sessions, helping at community events and crime prevention "
        "campaigns, and working towards awards.",
        "time_commitment": "About 2 hours a week, usually one evening",
        "min_age": 13,
        "max_age": 17,
        "carer_consent_under_18": True,
        "partner": "police-cadets",
        "auto_route": False,
    },
    {
        "slug": "do-it",
        "name": "Other volunteering (Do-It)",
        "summary": "Find thousands of other volunteering opportunities in and around Peterborough on Do-It, "
        "the national volunteering website.",
        "signpost_only": True,
        "external_url": "https://do-it.org",
    },
]

# Response templates officers start a note or an update to a reporter from: (name, purpose, body). The email
# around an update already gives the reference, how to reply and the 999 advice.
RESPONSE_TEMPLATES = [
    (
        "Left a voicemail",
        TemplatePurpose.NOTE,
        "Phoned the reporter and left a voicemail asking them to call back. The message gave no details of the report.",
    ),
    (
        "Report received",
        TemplatePurpose.REPORTER_UPDATE,
        "Thank you for your report. Someone from the partnership has read it and is deciding which organisation "
        "is best placed to help. We will let you know when it has been passed on.",
    ),
    (
        "Passed to a partner",
        TemplatePurpose.REPORTER_UPDATE,
        "We have passed your report to the organisation best placed to help. They may contact you using the "
        "details you gave us.",
    ),
]

DEMO_STAFF = [
    ("triage@example.org", "Demo Triage Officer", StaffRole.TRIAGER),
    ("admin@example.org", "Demo Administrator", StaffRole.ADMIN),
]
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - demo accounts only exist outside production


SCHEME_FIELDS = tuple(SUBJECTS["scheme"].fields)  # what residents read of a scheme


def seeded_english() -> dict[tuple[str, str, str], str]:
    """What the demo wrote in English, by (subject, slug, field): its translations are of these words."""
    english = {("area", _area_slug(name), "name"): name for name in AREAS}
    english.update({("partner", slug, "name"): name for slug, name, *_ in PARTNERS})
    for slug, name, who_it_helps, how_to_contact, _categories in SIGNPOST_SERVICES:
        english.update(
            {
                ("service", slug, "name"): name,
                ("service", slug, "who_it_helps"): who_it_helps,
                ("service", slug, "how_to_contact"): how_to_contact,
            }
        )
    for facts in SCHEMES:
        english.update({("scheme", facts["slug"], field): facts[field] for field in SCHEME_FIELDS if facts.get(field)})
    return english


def _area_slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _seed_services() -> int:
    """The Get help services missing by slug (an admin's edits to the others are left alone)."""
    existing = set(db.session.execute(db.select(SignpostService.slug)).scalars())
    added = 0
    for position, (slug, name, who_it_helps, how_to_contact, categories) in enumerate(SIGNPOST_SERVICES, start=1):
        if slug in existing:
            continue
        service = SignpostService(
            slug=slug, name=name, who_it_helps=who_it_helps, how_to_contact=how_to_contact, position=position * 10
        )
        service.categories = categories
        db.session.add(service)
        added += 1
    return added


def _seed_schemes() -> int:
    """The volunteering schemes missing by slug (an admin's edits to the others are left alone)."""
    existing = set(db.session.execute(db.select(VolunteerScheme.slug)).scalars())
    partners = {slug: partner_id for slug, partner_id in db.session.execute(db.select(Partner.slug, Partner.id))}
    added = 0
    for position, facts in enumerate(SCHEMES, start=1):
        if facts["slug"] in existing:
            continue
        scheme = VolunteerScheme(**{key: value for key, value in facts.items() if key != "partner"})
        scheme.partner_id = partners.get(facts.get("partner"))
        scheme.position = position * 10
        db.session.add(scheme)
        added += 1
    return added


def _seed_response_templates() -> int:
    """The response templates missing by name (an admin's edits to the others are left alone)."""
    existing = {name.lower() for name in db.session.execute(db.select(ResponseTemplate.name)).scalars()}
    added = 0
    for name, purpose, body in RESPONSE_TEMPLATES:
        if name.lower() not in existing:
            db.session.add(ResponseTemplate(name=name, purpose=purpose, body=body))
            added += 1
    return added


# Routing rules: (name, conditions, partner slugs). Each suggests partners to the officer, who confirms.
ROUTING_RULES = [
    ("Reporter asked for the police", {"kind": "hate_incident", "consent": "police"}, ["police-hate-crime"]),
    (
        "Reporter asked for victim support",
        {"kind": "hate_incident", "consent": "victim_support"},
        ["victim-witness-hub"],
    ),
    (
        "Reporter asked for council or housing advice",
        {"kind": "hate_incident", "consent": "council_housing"},
        ["council-cohesion"],
    ),
    ("Hate crimes go to the police hate crime team", {"classification": "crime"}, ["police-hate-crime"]),
    ("Non-crime hate incidents go to community cohesion", {"classification": "non_crime"}, ["council-cohesion"]),
    (
        "Disability hate: victim support",
        {"kind": "hate_incident", "strand": "disability"},
        ["victim-witness-hub"],
    ),
    ("City centre incidents: Prevention and Enforcement Service", {"area": "central"}, ["prevention-enforcement"]),
]


def _seed_rules() -> int:
    """The routing rules missing by name (an admin's edits to the others are left alone)."""
    existing = {name.lower() for name in db.session.execute(db.select(RoutingRule.name)).scalars()}
    partners = {partner.slug: partner for partner in db.session.execute(db.select(Partner)).scalars()}
    areas = {slug: area_id for slug, area_id in db.session.execute(db.select(Area.slug, Area.id))}
    added = 0
    for position, (name, conditions, slugs) in enumerate(ROUTING_RULES, start=1):
        if name.lower() in existing:
            continue
        rule = RoutingRule(name=name, position=position * 10, **{k: v for k, v in conditions.items() if k != "area"})
        if "area" in conditions:
            rule.area_id = areas.get(conditions["area"])
        rule.partners = [partners[slug] for slug in slugs if slug in partners]
        db.session.add(rule)
        added += 1
    return added


def seed_demo(*, with_staff: bool, with_history: bool = False) -> dict[str, int]:
    """Add the demo areas, partners, Get help services, volunteering schemes, their translations, response templates
    and (outside production) staff that are missing, and with_history (outside production too) a made-up history of
    referrals when there are none yet, so that the queue and the insights have something to show.
    Returns counts added."""
    added = dict.fromkeys(
        ("areas", "partners", "services", "schemes", "templates", "rules", "translations", "staff", "history"), 0
    )
    existing_areas = set(db.session.execute(db.select(Area.slug)).scalars())
    for position, name in enumerate(AREAS):
        slug = _area_slug(name)
        if slug not in existing_areas:
            db.session.add(Area(slug=slug, name=name, position=position))
            added["areas"] += 1
    existing_partners = set(db.session.execute(db.select(Partner.slug)).scalars())
    for slug, name, description, email, secure, partner_type in PARTNERS:
        if slug not in existing_partners:
            partner = Partner(
                slug=slug, name=name, description=description, secure_email=secure, partner_type=partner_type
            )
            partner.addresses = [PartnerAddress(email=email, confirmed_at=utcnow())]
            db.session.add(partner)
            added["partners"] += 1
    added["services"] = _seed_services()
    db.session.flush()  # the partners, for the schemes to link to
    added["schemes"] = _seed_schemes()
    added["templates"] = _seed_response_templates()
    added["rules"] = _seed_rules()
    db.session.flush()  # the schemes, for their translations
    added["translations"] = seed_translations()
    if with_staff:
        existing_staff = set(db.session.execute(db.select(StaffUser.email)).scalars())
        for email, name, role in DEMO_STAFF:
            if email not in existing_staff:
                user = StaffUser(email=email, name=name, role=role)
                user.set_password(DEMO_PASSWORD)
                db.session.add(user)
                added["staff"] += 1
        db.session.flush()  # the demo officer, who triaged the made-up history
        if with_history:
            added["history"] = seed_history()
    db.session.flush()
    return added
