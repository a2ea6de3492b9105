"""Demo configuration for Peterborough (see shared SEED-FACTS.md). Safe to run again and again."""

from portal.extensions import db
from portal.models import Area, Partner, StaffRole, StaffUser

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

# (slug, name, description, email, secure_email)
PARTNERS = [
    (
        "police-hate-crime",
        "Cambridgeshire Constabulary hate crime team",
        "Investigates hate crimes and records hate incidents.",
        "hate-crime-team@example.org",
        True,
    ),
    (
        "victim-witness-hub",
        "Victim and Witness Hub",
        "Emotional and practical support for victims and witnesses of crime.",
        "victim-hub@example.org",
        False,
    ),
    (
        "council-cohesion",
        "Peterborough City Council community cohesion team",
        "Works with communities to prevent hate and tension.",
        "cohesion@example.org",
        False,
    ),
    (
        "prevention-enforcement",
        "Prevention and Enforcement Service",
        "Council, police and fire staff dealing with anti-social behaviour.",
        "pes@example.org",
        False,
    ),
    (
        "cross-keys-homes",
        "Cross Keys Homes",
        "Registered social landlord: tenancy and neighbourhood issues.",
        "neighbourhoods@example.org",
        False,
    ),
    (
        "specialist-abuse-services",
        "Specialist Abuse Services Peterborough",
        "Domestic abuse and sexual violence support.",
        "referrals.sasp@example.org",
        False,
    ),
    (
        "neighbourhood-watch",
        "Neighbourhood Watch",
        "Local schemes with the police.",
        "neighbourhood-watch@example.org",
        False,
    ),
    (
        "good-neighbour-scheme",
        "Salvation Army Good Neighbour Scheme",
        "Supports older people living independently.",
        "good-neighbours@example.org",
        False,
    ),
    (
        "police-volunteers",
        "Police Support Volunteers co-ordinator",
        "Cambridgeshire Constabulary volunteer co-ordinator.",
        "police-volunteers@example.org",
        False,
    ),
    (
        "police-cadets",
        "Volunteer Police Cadets co-ordinator",
        "Cambridgeshire Constabulary cadet co-ordinator.",
        "police-cadets@example.org",
        False,
    ),
]

DEMO_STAFF = [
    ("triage@example.org", "Demo Triage Officer", StaffRole.TRIAGER),
    ("admin@example.org", "Demo Administrator", StaffRole.ADMIN),
]
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - demo accounts only exist outside production


def seed_demo(*, with_staff: bool) -> dict[str, int]:
    """Add the demo areas, partners and (outside production) staff that are missing. Returns counts added."""
    added = {"areas": 0, "partners": 0, "staff": 0}
    existing_areas = set(db.session.execute(db.select(Area.slug)).scalars())
    for position, name in enumerate(AREAS):
        slug = name.lower().replace(" ", "-")
        if slug not in existing_areas:
            db.session.add(Area(slug=slug, name=name, position=position))
            added["areas"] += 1
    existing_partners = set(db.session.execute(db.select(Partner.slug)).scalars())
    for slug, name, description, email, secure in PARTNERS:
        if slug not in existing_partners:
            db.session.add(Partner(slug=slug, name=name, description=description, email=email, secure_email=secure))
            added["partners"] += 1
    if with_staff:
        existing_staff = set(db.session.execute(db.select(StaffUser.email)).scalars())
        for email, name, role in DEMO_STAFF:
            if email not in existing_staff:
                user = StaffUser(email=email, name=name, role=role)
                user.set_password(DEMO_PASSWORD)
                db.session.add(user)
                added["staff"] += 1
    db.session.flush()
    return added
