"""Helpers for the volunteering tests: a complete sign-up, page by page, and walking it through the app."""

from portal.extensions import db as _db
from portal.models import Referral, VolunteerApplication, VolunteerScheme
from tests.conftest import submit_form

VOLUNTEER = "/volunteer"

# A complete sign-up as an adult would answer it (the parent-carer page applies to under-18 cadets only).
SIGN_UP = {
    "name": {"full_name": "Amara Okafor"},
    "date-of-birth": {"date_of_birth": ["14", "6", "1990"]},
    "contact": {"email": "amara@example.org"},
    "address": {"postcode": "pe1 1hf", "area_choice": ""},
    "parent-carer": {
        "carer_name": "Grace Okafor",
        "carer_relationship": "Mother",
        "carer_phone": "01632 960 123",
        "carer_consent": "y",
    },
    "availability": {"available_days": ["tuesday", "saturday"], "available_times": ["evening"]},
    "about-you": {"languages_spoken": "English, Igbo"},
    "access-needs": {},
    "how-heard": {"how_heard": "friend_or_family"},
    "consent": {"consent_share": "y"},
}


def sign_up_answers(**pages) -> dict:
    """SIGN_UP with some pages' answers changed: sign_up_answers(date_of_birth={...}) replaces that page."""
    answers = {slug: dict(page) for slug, page in SIGN_UP.items()}
    for slug, page in pages.items():
        answers[slug.replace("_", "-")] = page
    return answers


def born(day, month, year) -> dict:
    return {"date_of_birth": [str(day), str(month), str(year)]}


def aged(years: int) -> dict:
    """A date of birth that makes someone `years` old today (in London), whatever year the tests run in:
    their birthday was 40 days ago."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    birthday = datetime.now(ZoneInfo("Europe/London")).date() - timedelta(days=40)
    day = min(birthday.day, 28)
    return born(day, birthday.month, birthday.year - years)


def walk_sign_up(client, scheme: str, answers: dict | None = None) -> tuple[list[str], str]:
    """Start the sign-up to `scheme` and answer each page the site leads to, until it leads somewhere
    that is not a question (check answers, or the not-eligible page). Returns (pages visited, where)."""
    answers = answers or SIGN_UP
    location = client.get(f"{VOLUNTEER}/{scheme}/start").headers["Location"]
    visited = []
    while location.rsplit("/", 1)[1].split("?")[0] in answers:
        page = location.rsplit("/", 1)[1]
        visited.append(page)
        response = submit_form(client, location, answers[page])
        assert response.status_code == 302, f"{page}: {response.status_code}"
        location = response.headers["Location"]
    return visited, location


def send_application(client, scheme: str, answers: dict | None = None):
    """Answer every page and send; returns the response to sending."""
    _visited, location = walk_sign_up(client, scheme, answers)
    assert location.endswith("/check-answers"), location
    return submit_form(client, location, {})


def scheme_named(slug: str) -> VolunteerScheme:
    return _db.session.execute(_db.select(VolunteerScheme).filter_by(slug=slug)).scalar_one()


def applications() -> list[VolunteerApplication]:
    _db.session.expire_all()
    return list(_db.session.execute(_db.select(VolunteerApplication)).scalars())


def referral_count() -> int:
    return _db.session.execute(_db.select(_db.func.count(Referral.id))).scalar_one()
