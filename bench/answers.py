"""What the benchmark's residents and officers send, and how a page is read: made-up answers, the queue's filters,
the CSRF token and the reference on a page.

Shared by bench/locustfile.py (the load) and bench/inprocess.py (CPU per page in one process). It imports nothing
from Locust: importing Locust patches the standard library for gevent, which bench/inprocess.py must not have, or
its CPU figures include the waits of a patched database client.
"""

import json
import os
import random
import re
import uuid
from datetime import date, timedelta
from urllib.parse import urlsplit

JOURNEY = "/report-hate-incident"

_CSRF = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*>')
_VALUE = re.compile(r'\bvalue="([^"]*)"')
REFERENCE = re.compile(r'class="portal-reference">((?:HC|VOL)-[0-9A-Z]{6})<')


class JourneyBroken(Exception):
    """A page answered something a resident or officer would not have gone on from."""


def load_fixture() -> dict:
    path = os.environ.get("BENCH_FIXTURE")
    if not path:
        return {"references": [], "areas": [], "scheme": "good-neighbour-scheme"}
    with open(path) as file:
        return json.load(file)


FIXTURE = load_fixture()


def csrf_token(html: str) -> str:
    tag = _CSRF.search(html)
    value = _VALUE.search(tag.group(0)) if tag else None
    if value is None:
        raise JourneyBroken("no CSRF token on the page")
    return value.group(1)


def path_of(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def resident_address() -> str:
    """A made-up client address (IPv6 documentation range) for one resident."""
    return "2001:db8:{:x}:{:x}::{:x}".format(*(random.getrandbits(16) for _ in range(3)))  # noqa: S311


def pairs(answers: dict):
    for name, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            yield name, one


STRANDS = ["race", "religion", "sexual_orientation", "disability", "transgender", "sex_or_gender", "age"]
INCIDENT_TYPES = ["verbal", "physical", "property_damage", "graffiti", "online", "harassment", "written"]
PLACES = ["home", "street", "public_transport", "shop_or_pub", "workplace", "online"]
CONSENTS = [["victim_support"], ["police", "victim_support"], ["police"], ["council_housing"], ["just_record"]]
DESCRIPTIONS = [
    "Two men shouted abuse about my religion at the bus stop and spat at me.",
    "Someone wrote offensive graffiti about my family on our garden wall overnight.",
    "A neighbour keeps leaving notes through the door telling us to go back where we came from.",
    "A group of teenagers followed me home from the shop calling me names because of my wheelchair.",
]


def _day(days_ago: int) -> list[str]:
    day = date.today() - timedelta(days=days_ago)
    return [str(day.day), str(day.month), str(day.year)]


def _area(rng: random.Random) -> str:
    return str(rng.choice(FIXTURE["areas"])) if FIXTURE["areas"] else ""


def report_answers(rng: random.Random) -> dict:
    """A complete report, page by page, varied the way residents' reports vary."""
    wants_contact = rng.random() < 0.5
    return {
        "who": {"reporter_role": rng.choice(["victim", "victim", "witness", "on_behalf"])},
        "hostility": {"strands": rng.sample(STRANDS, rng.choice([1, 1, 2]))},
        "what-happened": {
            "incident_types": rng.sample(INCIDENT_TYPES, rng.choice([1, 2])),
            "description": rng.choice(DESCRIPTIONS),
        },
        "when": {
            "incident_date": _day(rng.randint(1, 60)),
            "time_of_day": rng.choice(["morning", "evening", "not_sure"]),
            "still_happening": rng.choice(["no", "yes", "not_sure"]),
        },
        "where": {"place_type": rng.choice(PLACES)},
        "address": {
            "location": "Bus stop on Lincoln Road, outside the chemist",
            "postcode": "PE1 2RR",
            "area_choice": _area(rng),
        },
        "online": {"online_platform": "Facebook", "online_link": "https://example.org/post/1"},
        "harm": {"anyone_hurt": "no", "property_damaged": rng.choice(["no", "yes"])},
        "people": {"perpetrator_known": "no", "perpetrator_description": "Two men in their twenties."},
        "witnesses": {"witnesses": rng.choice(["no", "not_sure"])},
        "police": {"reported_to_police": "no"},
        "what-next": {"consents": rng.choice(CONSENTS)},
        "about-them": {"victim_age_group": "18_to_64", "victim_aware": "yes"},
        "contact": (
            {"wants_contact": "yes", "contact_name": "Sam Taylor", "contact_email": f"r-{uuid.uuid4().hex}@example.org"}
            if wants_contact
            else {"wants_contact": "no"}
        ),
        "equality": {"age_group": "25_to_44", "religion": "prefer_not"} if rng.random() < 0.5 else {},
    }


def sign_up_answers(rng: random.Random) -> dict:
    """A complete sign-up by an adult, a different person each time (so never "already applied")."""
    born = date.today() - timedelta(days=rng.randint(20 * 365, 70 * 365))
    first_name = rng.choice(["Amara", "Piotr", "Aisha", "Tom", "Ioana"])
    return {
        "name": {"full_name": f"{first_name} Bench-{uuid.uuid4().hex[:8]}"},
        "date-of-birth": {"date_of_birth": [str(born.day), str(born.month), str(born.year)]},
        "contact": {"email": f"v-{uuid.uuid4().hex}@example.org"},
        "address": {"postcode": "pe1 1hf", "area_choice": _area(rng)},
        "availability": {
            "available_days": rng.sample(["tuesday", "thursday", "saturday"], 2),
            "available_times": ["evening"],
        },
        "about-you": {"languages_spoken": "English, Polish"},
        "access-needs": {},
        "how-heard": {"how_heard": rng.choice(["friend_or_family", "website", "social_media"])},
        "consent": {"consent_share": "y"},
    }


# Every tab of the queue at least once. The last three were added on 2026-11-25, after a slowdown in those tabs had
# gone unseen: queue figures from before then were measured on a different mix.
QUEUE_FILTERS = [
    {"tab": "new", "kind": "hate_incident"},
    {"tab": "new", "strand": "race"},
    {"tab": "in_triage", "assigned": "unassigned"},
    {"tab": "routed", "kind": "volunteer", "sort": "oldest"},
    {"tab": "closed", "priority": "high"},
    {"tab": "new", "area": None},
    {"tab": "awaiting_acknowledgement", "kind": "hate_incident"},
    {"tab": "overdue"},
    {"tab": "attention"},
    {"tab": "handed_back", "kind": "hate_incident"},
]
