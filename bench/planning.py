"""What the made-up referrals are planned from: the shares and words they are made of, the bench officers, working
time as epoch seconds, weighted choices, and the plan of each referral and route (see bench/history.py)."""

import base64
import bisect
import hashlib
import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from portal.demo_history import OUTCOME_WEIGHTS, ROLE_WEIGHTS, STRAND_WEIGHTS, TYPE_WEIGHTS
from portal.models.referral import REFERENCE_ALPHABET
from portal.reporting import options

OFFICERS = 32
OFFICER_PASSWORD = "bench-password-2026"  # noqa: S105 - made-up accounts in a scratch database
MONTHS = 24
DAY = 86_400
WINDOW = round(MONTHS * 30.44 * DAY)
VOLUNTEER_SHARE = 0.3
NEW_SHARE = 0.7  # of the referrals waiting in the queue; the others an officer has claimed
FORGOTTEN = (0.015, 30 * DAY)  # the share of routes a partner has not acknowledged, among those sent this recently
PENDING = 15 * 60  # seconds: an email written this recently is still in the outbox
CONFIRMATION = {"hate_incident": 0.4, "volunteer": 0.6}  # who asked for an email with their reference
EQUALITY_SHARE = 0.35  # of reports that answered the optional equality questions
NOTE_SHARE = 0.15  # of triaged reports with an officer's note
OTHER_LANGUAGE_SHARE = 0.08
OFFICER_CLIENT, PARTNER_CLIENT = "192.0.2.{}", "198.51.100.{}"  # documentation addresses (RFC 5737): nobody's
AUTOMATIC, OUTBOX, REMINDER, RETENTION = "Automatic (scheme rule)", "Outbox", "Automatic reminder", "Retention"
CLOSE_REASON = "Bench: closed after checking with the partner (made-up example)."
HAND_BACK_REASON = "Bench: not one for us (made-up example)."
NOTE = "Bench: phoned the reporter and left a voicemail (made-up example)."
UNSIGNED_LINK = "/partner/r/closed-referral-link-not-signed-for-bench-data"

# Ids kept for each new referral's rows, so chunks planned side by side never share one: at most 3 routes (with
# their emails, and the reminders, to each of the partner's addresses: see History.ids) and up to 26 events.
IDS = {"referral": 1, "referral_event": 32, "route": 4}
AGO = (0, 0, 0, 1, 1, 2, 5)  # days between an incident and its report
PAIRS = [first + second for first in REFERENCE_ALPHABET for second in REFERENCE_ALPHABET]


def officer_email(number: int) -> str:
    """The sign-in of bench officer `number`, from 1 to OFFICERS."""
    return f"bench-officer-{number:02d}@example.org"


def totp_secret(number: int) -> str:
    """The two-factor secret of bench officer `number` (32 base32 characters, fixed, so a driver can make codes)."""
    return base64.b32encode(hashlib.sha256(f"bench-officer-{number}".encode()).digest()[:20]).decode()


def open_queue_size(total: int) -> int:
    """How many referrals wait in the queue (new or in triage) in a partnership with `total`: a few hundred to a
    few thousand, as a team that works its queue would have, whatever the partnership's size."""
    return min(total // 5, round(200 + 2 * math.sqrt(total)))


# --- Time ---


class Clock:
    """The partnership's working time (portal.triage.sla's rules: days, hours, holidays) as epoch seconds, worked
    out once for a range of days, so that adding working time is a bisect instead of a walk through the days."""

    def __init__(self, hours, first: date, last: date):
        self.opens, self.before, self.ends = [], [], []
        total, day = 0, first
        while day <= last:
            if day.weekday() in hours.days and day not in hours.holidays:
                opens = int(datetime.combine(day, hours.start, hours.zone).timestamp())
                self.opens.append(opens)
                self.before.append(total)
                total += int(datetime.combine(day, hours.end, hours.zone).timestamp()) - opens
                self.ends.append(total)
            day += timedelta(days=1)

    def worked(self, moment: int) -> int:
        """Working seconds from the start of the range to `moment`."""
        index = bisect.bisect_right(self.opens, moment) - 1
        return 0 if index < 0 else min(self.ends[index], self.before[index] + moment - self.opens[index])

    def add(self, moment: int, seconds: int) -> int:
        """When `seconds` (more than 0) of working time after `moment` have passed, as sla.add_business_time."""
        total = self.worked(moment) + seconds
        index = bisect.bisect_left(self.ends, total)
        return self.opens[index] + total - self.before[index]

    def minutes(self, start: int, end: int) -> int:
        """Whole working minutes between two moments, as portal.statistics.working_minutes."""
        return max(0, self.worked(end) - self.worked(start)) // 60


class Stamps:
    """Epoch seconds as each database takes a timestamp: SQLite's text as SQLAlchemy writes it, or PostgreSQL's
    timestamptz input, put together from a table of days and one of seconds (formatting each is too slow)."""

    def __init__(self, first: int, last: int, postgresql: bool):
        suffix = "+00" if postgresql else ".000000"
        self.first = first // DAY
        self.days = [f"{date.fromordinal(719163 + day).isoformat()} " for day in range(self.first, last // DAY + 1)]
        self.seconds = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{suffix}" for s in range(DAY)]

    def __call__(self, moment: int | None) -> str | None:
        if moment is None:
            return None
        return self.days[moment // DAY - self.first] + self.seconds[moment % DAY]


class Weights:
    """A weighted choice by bisect over cumulative weights (random.choices adds them up again on every call)."""

    def __init__(self, weights: dict):
        self.values = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


# --- What happened to each referral ---


@dataclass(frozen=True)
class Partner:
    """A partner as the planning needs it: where its emails go, its time to acknowledge, and the (made-up)
    address its staff act from."""

    id: int
    name: str
    emails: tuple
    ack_hours: float
    secure: bool
    client: str


@dataclass(slots=True)
class PlannedRoute:
    """What happened to one route (times in epoch seconds, as everywhere in the planning)."""

    id: int
    partner: Partner
    created: int
    by: tuple | None  # the officer (id, name, client) who routed it; None when the scheme did
    status: str = "queued"
    sent: int | None = None
    due: int | None = None
    acknowledged: int | None = None
    minutes: int | None = None
    handed_back: int | None = None
    reminded: int | None = None
    escalated: int | None = None


@dataclass(slots=True)
class Planned:
    """What happened to one made-up referral (times in epoch seconds), as the planning decides it."""

    id: int
    reference: str
    kind: str
    created: int
    language: str | None
    triage_due: int
    status: str = "new"
    priority: str = "normal"
    area_id: int | None = None
    officer: tuple | None = None
    assigned: int | None = None
    classification: str | None = None
    triaged: int | None = None
    triage_minutes: int | None = None
    closed: int | None = None
    close_outcome: str | None = None
    purged: int | None = None
    scheme: object = None
    outcome: str | None = None
    outcome_at: int | None = None
    role: str | None = None
    anonymous: bool | None = None
    strands: list = field(default_factory=list)
    types: list = field(default_factory=list)
    consents: list = field(default_factory=list)
    routes: list = field(default_factory=list)
    events: list = field(default_factory=list)  # (when, type, actor id, actor label, client, detail pairs)


def _between(rng: random.Random, low: int, high: int) -> int:
    """rng.randint, without its layers of checks (this is called millions of times)."""
    return low + int(rng.random() * (high - low + 1))


def _one_of(rng: random.Random, values):
    return values[int(rng.random() * len(values))]


def _day(moment: int) -> date:
    return datetime.fromtimestamp(moment, UTC).date()


WEIGHTS = {
    "role": Weights(ROLE_WEIGHTS),
    "strand": Weights(STRAND_WEIGHTS),
    "type": Weights(TYPE_WEIGHTS),
    "outcome": Weights({str(outcome): weight for outcome, weight in OUTCOME_WEIGHTS.items()}),
    "close": Weights({"resolved_by_partner": 65, "advice_given": 20, "no_further_action": 15}),
}
# The choices of each equality monitoring question, in the table's column order.
EQUALITY = [
    [value for value, _label in choices]
    for choices in (
        options.AGE_GROUPS,
        options.SEXES,
        options.YES_NO_PREFER_NOT,
        options.ETHNIC_GROUPS,
        options.RELIGIONS,
        options.SEXUAL_ORIENTATIONS,
        options.YES_NO_PREFER_NOT,
    )
]
