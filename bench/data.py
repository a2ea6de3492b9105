"""Realistic made-up referral data in bulk, for the benchmarks: a partnership's last 24 months at any size.

    .venv/bin/python bench/data.py --referrals 10000 100000 1000000
    .venv/bin/python bench/data.py --database-url postgresql://postgres@127.0.0.1/bench_loader --referrals 100000

`prepare(app)` loads the demo configuration (areas, partners, schemes, rules; not the demo history) and
OFFICERS triage officers, `officer_email(n)` with OFFICER_PASSWORD and two-factor set up with `totp_secret(n)`, so
a load driver can sign in with pyotp (a code is accepted once per account and time step, hence many accounts).

`grow(app, target)` adds referrals until there are `target`, spread over the last 24 months and planned as
portal/demo_history.py plans the demo's: about 70% hate-incident reports and 30% volunteer sign-ups, each with its
answers, events, routes, the emails those caused and its statistic, as the app would have written them. Most are
closed, and what the retention policy has reached is purged as portal/retention does it; the queue holds a few
hundred to a few thousand (`open_queue_size`), whatever the size.

Forked processes plan the referrals a chunk at a time and write each chunk in a transaction of its own (PostgreSQL
COPY, SQLite executemany; see `load`), so a failure keeps what was loaded before it. For a large load the tables'
secondary indexes and PostgreSQL's foreign keys are dropped first and rebuilt at the end (see `Loader`).

The command line empties and migrates the database (a PostgreSQL one must have "bench" in its name), then grows it
to each size in turn, printing the seconds taken, the rows in each table, the peak memory and the database's size.
"""

import argparse
import base64
import bisect
import collections
import hashlib
import itertools
import json
import logging
import math
import multiprocessing
import operator
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import current_app, render_template  # noqa: E402
from flask_babel import force_locale  # noqa: E402
from flask_babel import gettext as _  # noqa: E402
from markupsafe import escape  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from config import DevelopmentConfig, _database_url  # noqa: E402
from portal.auth.passwords import password_problem  # noqa: E402
from portal.demo_history import HOUR_WEIGHTS, OUTCOME_WEIGHTS, ROLE_WEIGHTS, STRAND_WEIGHTS, TYPE_WEIGHTS  # noqa: E402
from portal.demo_referrals import PLACES, WHAT_HAPPENED, load_setting  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.helpers import format_datetime  # noqa: E402
from portal.labels import KIND_LABELS, PRIORITY_LABELS, STRAND_LABELS  # noqa: E402
from portal.models import (  # noqa: E402
    Area,
    OutboxMessage,
    Referral,
    ReferralEvent,
    Route,
    StaffRole,
    StaffUser,
)
from portal.models import Partner as PartnerModel  # noqa: E402
from portal.models._types import utcnow  # noqa: E402
from portal.models.referral import REFERENCE_ALPHABET  # noqa: E402
from portal.reporting import options  # noqa: E402
from portal.retention.service import FINAL_OUTCOMES, KEPT_EVENT_DETAIL, months_before  # noqa: E402
from portal.routing.links import route_link  # noqa: E402
from portal.seed import seed_demo  # noqa: E402
from portal.triage.sla import WorkingHours  # noqa: E402

log = logging.getLogger(__name__)

OFFICERS = 32
OFFICER_PASSWORD = "bench-password-2026"  # noqa: S105 - made-up accounts in a scratch database
BULK = 50_000  # from this many new referrals, indexes and foreign keys are rebuilt rather than kept up to date
CHUNK = 20_000  # referrals planned and loaded at a time (fewer commits write fewer pages again)
CHECKPOINT_EVERY = 4  # chunks, on SQLite
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

# The columns each table is loaded with, in an order that satisfies the foreign keys.
TABLES = {
    "referral": tuple(
        (
            "id reference kind status priority assigned_to_id created_at updated_at version classification "
            "triage_due_at triaged_at closed_at close_outcome close_reason language purged_at"
        ).split()
    ),
    "hate_incident_report": tuple(
        (
            "referral_id reporter_role organisation_name description incident_date date_is_approximate "
            "time_of_day still_happening place_type location area_id online_platform anyone_hurt "
            "property_damaged perpetrator_known witnesses reported_to_police consent_police "
            "consent_victim_support consent_council_housing just_record victim_name victim_aware anonymous "
            "contact_name contact_email contact_phone preferred_contact"
        ).split()
    ),
    "hate_incident_strand": tuple("report_id strand".split()),
    "hate_incident_type": tuple("report_id type".split()),
    "equality_monitoring": tuple(
        "referral_id age_group sex gender_same_as_birth ethnicity religion sexual_orientation disability".split()
    ),
    "volunteer_application": tuple(
        (
            "referral_id scheme_id full_name date_of_birth age_at_application email phone area_id carer_name "
            "carer_relationship carer_email carer_consent available_days available_times interests how_heard "
            "consent_share outcome"
        ).split()
    ),
    "referral_event": tuple("id referral_id type actor_id actor_label client detail created_at".split()),
    "route": tuple(
        (
            "id referral_id partner_id status routed_by_id created_at sent_at acknowledged_at ack_due_at "
            "handed_back_at hand_back_reason reminded_at escalated_at ack_working_minutes"
        ).split()
    ),
    "outbox_message": tuple(
        (
            "id route_id message_id recipient subject body_text body_html status attempts next_attempt_at "
            "created_at sent_at"
        ).split()
    ),
    "referral_statistic": tuple(
        (
            "referral_id kind received_on received_month area_id reporter_role anonymous consent_police "
            "scheme_id volunteer_outcome triage_working_minutes created_at"
        ).split()
    ),
    "referral_statistic_strand": tuple("referral_id strand".split()),
}
SEQUENCES = ("referral", "referral_event", "route", "outbox_message")
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


def make_app(url: str):
    from portal import create_app
    from portal.database import enable_migrations

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = _database_url(url)

    return enable_migrations(create_app(Config))


def prepare(app) -> None:
    """The demo configuration, without the demo history, and the bench officers, in a migrated database."""
    with app.app_context():
        seed_demo(with_staff=False)  # the demo history comes only with the demo staff
        existing = set(db.session.execute(select(StaffUser.email)).scalars())
        password_hash = None
        for number in range(1, OFFICERS + 1):
            email = officer_email(number)
            if email in existing:
                continue
            user = StaffUser(email=email, name=f"Bench Officer {number:02d}", role=StaffRole.TRIAGER)
            if password_hash is None:  # one slow hash serves every account: they share the password
                if problem := password_problem(OFFICER_PASSWORD, email):
                    raise ValueError(problem)
                user.set_password(OFFICER_PASSWORD)
                password_hash = user.password_hash
            user.password_hash = password_hash
            user.totp_secret, user.mfa_enabled_at = totp_secret(number), utcnow()  # as if enrolled with an app
            db.session.add(user)
        db.session.commit()


def grow(
    app, target: int, *, now: datetime | None = None, seed: int = 2026, bulk: bool | None = None, workers: int = 0
) -> float:
    """Add made-up referrals until there are `target` (after `prepare`), and commit; returns the seconds taken.
    `now` (default: now) ends their 24 months. `bulk` (by default, from BULK new referrals) rebuilds indexes and
    foreign keys instead of keeping them up to date. `workers` processes plan and write them (by default one per
    CPU, or this process alone for a small load); they are forked, so call it before starting any threads."""
    began = time.perf_counter()
    with app.app_context():
        db.session.commit()  # hold no lock that the load needs
        existing = db.session.execute(select(func.count()).select_from(Referral)).scalar_one()
        if existing >= target:
            return time.perf_counter() - began
        history = History(db.session, target, now or utcnow(), seed=seed + existing)
        db.session.commit()
        bulk = target - existing >= BULK if bulk is None else bulk
        workers = workers or ((os.cpu_count() or 1) if target - existing > CHUNK else 1)
        with db.engine.connect() as connection, Loader(connection, bulk=bulk) as loader:
            loader.timed("planning and writing", history.load, target - existing, workers, loader.loaded_chunk)
        loader.timed("vacuum and analyse", Loader.analyse, db.engine)
    seconds = time.perf_counter() - began
    spent = ", ".join(f"{what} {took:.1f}s" for what, took in loader.spent.most_common())
    log.info("Grew to %d referrals in %.1fs (%d workers; %s)", target, seconds, workers, spent)
    return seconds


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


class History:
    """Plans made-up referrals one at a time, as portal/demo_history.py does, turns each into rows (see `Rows`) and
    writes them a chunk at a time (see `load`). Everything it needs from the database is read when it is made, so
    that forked processes can plan from it."""

    def __init__(self, session, target: int, now: datetime, *, seed: int):
        config = current_app.config
        self.seed, self.rng = seed, random.Random(seed)  # noqa: S311 - made-up data, not a secret
        self.now = int(now.timestamp())
        self.start = self.now - WINDOW
        self.setting = load_setting()
        hours = WorkingHours.from_config(config)
        self.clock = Clock(hours, _day(self.start - 7 * DAY), _day(self.now + 120 * DAY))
        self.postgresql = session.get_bind().dialect.name == "postgresql"
        address = session.get_bind().url
        if self.postgresql:
            self.database = address.set(drivername="postgresql").render_as_string(hide_password=False)
        elif address.database in (None, "", ":memory:"):
            raise ValueError("The loader writes through connections of its own: give it a database file")
        else:
            self.database = address.database
        self.stamp = Stamps(self.start - 7 * DAY, self.now + 120 * DAY, self.postgresql)
        self.triage_hours, self.ack_hours = config["SLA_TRIAGE_HOURS"], config["SLA_ACKNOWLEDGE_HOURS"]
        self.languages = [language for language in config["LANGUAGES"] if language != "en"] or ["en"]
        self.cutoffs = self._cutoffs(now, config)
        self._read(session, target)
        self._hours(hours.zone)
        self.mail = Mail(config, self.partners, self.setting.schemes, self.areas)
        self.retention_days = {}

    def _read(self, session, target: int) -> None:

        emails = [officer_email(number) for number in range(1, OFFICERS + 1)]
        self.officers = [
            (user_id, name, OFFICER_CLIENT.format(index))
            for index, (user_id, name) in enumerate(
                session.execute(
                    select(StaffUser.id, StaffUser.name).where(StaffUser.email.in_(emails)).order_by(StaffUser.id)
                ).all(),
                start=10,
            )
        ]
        if not self.officers:
            raise RuntimeError("No bench officers: call prepare(app) first")
        self.partners = {}
        for planned in self.setting.partners:
            partner = session.get(PartnerModel, planned.id)
            self.partners[partner.id] = Partner(
                partner.id,
                partner.name,
                tuple(partner.confirmed_addresses),
                partner.ack_sla_hours or self.ack_hours,
                partner.secure_email,
                PARTNER_CLIENT.format(10 + partner.id),
            )
        self.areas = dict(session.execute(select(Area.id, Area.name)).all())
        addresses = max((len(partner.emails) for partner in self.partners.values()), default=1)
        self.ids = {**IDS, "outbox_message": 1 + 3 * 2 * addresses}  # a confirmation, and each route's two emails
        self.references = set(session.execute(select(Referral.reference)).scalars())
        self.first_id = {
            model.__tablename__: (session.execute(select(func.max(model.id))).scalar_one() or 0) + 1
            for model in (Referral, ReferralEvent, Route, OutboxMessage)
        }
        existing = session.execute(select(func.count()).select_from(Referral)).scalar_one()
        waiting = session.execute(
            select(func.count()).where(Referral.status.in_(("new", "in_triage")), Referral.purged_at.is_(None))
        ).scalar_one()
        self.waiting_from = target - existing - max(0, open_queue_size(target) - waiting)

    @staticmethod
    def _cutoffs(now: datetime, config) -> dict:
        months = {"hate_incident": config["RETENTION_HATE_INCIDENT_MONTHS"]}
        months["volunteer"] = config["RETENTION_VOLUNTEER_MONTHS"]
        return {kind: (int(months_before(now, n).timestamp()), n) for kind, n in months.items()}

    def _hours(self, zone) -> None:
        """Each hour of the window: how likely a referral is to arrive in it (more in the day, fewer at weekends,
        more in later months), its local day, and how the app shows a time in it ('24 Nov 2026, 14:' + minutes)."""
        self.first_hour = self.start // 3600
        hours = range(self.first_hour, self.now // 3600 + 1)
        weights, self.local_days, self.shown = [], [], []
        for position, hour in enumerate(hours):
            local = datetime.fromtimestamp(hour * 3600, zone)
            trend = 0.75 + 0.5 * position / len(hours)
            weights.append(HOUR_WEIGHTS[local.hour] * (0.8 if local.weekday() >= 5 else 1) * trend)
            self.local_days.append(local.date())
            self.shown.append(f"{local.day} {local:%b %Y, %H}:")
        self.arrivals = list(itertools.accumulate(weights))

    def local_day(self, moment: int) -> date:
        return self.local_days[moment // 3600 - self.first_hour]

    def shown_time(self, moment: int) -> str:
        return f"{self.shown[moment // 3600 - self.first_hour]}{moment // 60 % 60:02d}"

    def arrival(self) -> int:
        while True:
            hour = bisect.bisect(self.arrivals, self.rng.random() * self.arrivals[-1])
            moment = (self.first_hour + hour) * 3600 + int(self.rng.random() * 3600)
            if self.start <= moment < self.now - 60:
                return moment

    def load(self, count: int, workers: int, loaded) -> None:
        """Plan and write `count` new referrals a chunk at a time, in `workers` forked processes (see `load`),
        calling `loaded()` after each chunk; the newest wait in the queue. Each chunk has its own random generator,
        references drawn here (so no two chunks share one) and a block of ids (so ids have gaps between chunks)."""
        global _FORKED
        arrivals = sorted(self.arrival() for _ in range(count))
        references = self.reference_bodies(count)
        size = max(1, min(CHUNK, -(-count // workers)))
        starts = range(0, count, size)
        tasks = [(start, arrivals[start : start + size], references[start : start + size]) for start in starts]
        if workers <= 1 or len(tasks) == 1:
            try:
                for task in tasks:
                    self.chunk(*task)
                    loaded()
            finally:
                _disconnect()
            return
        # A forked process leaves its copy of the app's connections alone, and ends without running finalizers,
        # so without closing them: it writes through connections of its own.
        _FORKED = self
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for _rows in pool.imap_unordered(_plan_chunk, tasks):
                    loaded()
        finally:
            _FORKED = None

    def chunk(self, start: int, arrivals: list, references: list) -> dict:
        """Plan and write the referrals that arrived at `arrivals`, the `start`th new referral onwards."""
        self.rng = random.Random(f"{self.seed}/{start}")  # noqa: S311 - made-up data, not a secret
        self.next_id = {table: self.first_id[table] + start * block for table, block in self.ids.items()}
        last = {table: self.first_id[table] + (start + len(arrivals)) * block for table, block in self.ids.items()}
        rows = {table: [] for table in TABLES}
        for index, (created, reference) in enumerate(zip(arrivals, references, strict=True)):
            waiting = start + index >= self.waiting_from
            Rows(self, self.plan(created, reference, waiting=waiting), rows).add()
        if any(self.next_id[table] > last[table] for table in self.ids):
            raise RuntimeError(f"More rows than the ids kept for them: {self.next_id} after {last}")
        return load(rows, self.database)

    def reference_bodies(self, count: int) -> list[str]:
        """`count` different references without their prefix, none of them taken by either kind already; of the
        app's shape: six of 32 characters, so 30 random bits."""
        rng, bodies, drawn = random.Random(f"{self.seed}/references"), [], set()  # noqa: S311 - not a secret
        while len(bodies) < count:
            bits = rng.getrandbits(30)
            body = PAIRS[bits >> 20] + PAIRS[bits >> 10 & 1023] + PAIRS[bits & 1023]
            if body not in drawn and f"HC-{body}" not in self.references and f"VOL-{body}" not in self.references:
                drawn.add(body)
                bodies.append(body)
        return bodies

    # --- Planning one referral ---

    def plan(self, created: int, reference: str, *, waiting: bool) -> Planned:
        rng = self.rng
        kind = "volunteer" if self.setting.schemes and rng.random() < VOLUNTEER_SHARE else "hate_incident"
        other = rng.random() < OTHER_LANGUAGE_SHARE
        referral = Planned(
            id=self._next("referral"),
            reference=f"{'HC' if kind == 'hate_incident' else 'VOL'}-{reference}",
            kind=kind,
            created=created,
            language=_one_of(rng, self.languages) if other else "en",
            triage_due=self.clock.add(created, round(self.triage_hours * 3600)),
        )
        if kind == "volunteer":
            self.application(referral)
        else:
            self.report(referral)
        self.triage(referral, waiting)
        if referral.scheme is not None:
            self.volunteer_outcome(referral)
        self.close(referral)
        self.purge(referral)
        return referral

    def retention_ends(self, kind: str, moment: int) -> int:
        """When the policy reaches something that happened at `moment`: as many calendar months later as it keeps
        that kind (worked out once a day: portal.retention.months_before is slow enough to matter here)."""
        day = moment // DAY
        if (kind, day) not in self.retention_days:
            start = datetime.fromtimestamp(day * DAY, UTC)
            self.retention_days[kind, day] = int(months_before(start, -self.cutoffs[kind][1]).timestamp()) - day * DAY
        return moment + self.retention_days[kind, day]

    def _next(self, table: str) -> int:
        self.next_id[table] += 1
        return self.next_id[table] - 1

    def event(self, referral: Planned, when: int, kind: str, by=None, label=None, client=None, detail=None):
        """An event; `by` is an officer (id, name, client), or `label` names who did it."""
        if by is not None:
            referral.events.append((when, kind, by[0], by[1], by[2], detail))
        else:
            referral.events.append((when, kind, None, label, client, detail))

    def report(self, referral: Planned) -> None:
        rng, weights = self.rng, WEIGHTS
        referral.role = weights["role"].pick(rng)
        referral.strands = [weights["strand"].pick(rng)]
        if rng.random() < 0.1:
            referral.strands = list(dict.fromkeys([*referral.strands, weights["strand"].pick(rng)]))
        referral.types = list(dict.fromkeys(weights["type"].pick(rng) for _ in range(1 + (rng.random() < 0.2))))
        referral.anonymous = rng.random() < 0.3
        consents = ["police"] if rng.random() < 0.55 else []
        consents += ["victim_support"] if rng.random() < 0.35 else []
        consents += ["council_housing"] if rng.random() < 0.15 else []
        referral.consents = consents or ["just_record"]
        online = self.setting.online_area_id
        if "online" in referral.types and online and rng.random() < 0.7:
            referral.area_id = online
        elif self.setting.areas and rng.random() < 0.9:
            referral.area_id = _one_of(rng, self.setting.areas)[0]
        if rng.random() < 0.03:
            referral.priority = "urgent"
        elif "physical" in referral.types:
            referral.priority = "high"
        source = "Third-party reporting centre (online form)" if referral.role == "organisation" else None
        self.event(referral, referral.created, "created", label=source or "Resident (online form)")

    def application(self, referral: Planned) -> None:
        rng = self.rng
        referral.scheme = scheme = _one_of(rng, self.setting.schemes)
        if self.setting.areas and rng.random() < 0.9:
            referral.area_id = _one_of(rng, self.setting.areas)[0]
        scheme_detail = (("scheme", scheme.name),)
        self.event(referral, referral.created, "created", label="Resident (online form)", detail=scheme_detail)
        if scheme.waiting_list:
            referral.outcome, referral.outcome_at = "waiting_list", referral.created
            waiting = (("outcome", "waiting_list"),)
            self.event(referral, referral.created, "outcome_set", label=AUTOMATIC, detail=waiting)

    def working_minutes(self, median: float, spread: float, most: int) -> int:
        """A long-tailed number of working minutes (log-normal around the median), at most `most`."""
        return max(1, min(most, round(self.rng.lognormvariate(math.log(median), spread))))

    def triage(self, referral: Planned, waiting: bool) -> None:
        scheme, rng = referral.scheme, self.rng
        if scheme is not None and scheme.auto_route:
            referral.triaged, referral.triage_minutes = referral.created, 0
            self.route(referral, self.partners[scheme.partner.id], referral.created, None)
            return
        referral.officer = officer = _one_of(rng, self.officers)
        if waiting:
            self.leave_waiting(referral)
            return
        triaged = self.clock.add(referral.created, 60 * self.working_minutes(150, 1.2, 2400))
        if triaged > self.now - 60:  # not yet, by the planned pace: an officer was quicker
            triaged = referral.created + round((self.now - 60 - referral.created) * rng.random())
        referral.triaged, referral.status = triaged, "in_triage"
        referral.triage_minutes = self.clock.minutes(referral.created, triaged)
        self.event(referral, max(referral.created, triaged - _between(rng, 60, 900)), "viewed", officer)
        if scheme is not None:
            self.route(referral, self.partners[scheme.partner.id], triaged, officer)
            return
        referral.classification = self.classify(referral)
        self.event(referral, triaged, "classified", officer, detail=(("classification", referral.classification),))
        if rng.random() < NOTE_SHARE:
            self.event(referral, triaged + _between(rng, 10, 120), "note", officer, detail=(("text", NOTE),))
        if referral.classification == "not_hate":
            return
        routed = triaged + _between(rng, 30, 300)
        for consent in referral.consents:
            partner = self.setting.partner_for(consent)
            if partner is not None:
                self.route(referral, self.partners[partner.id], routed, officer)

    def leave_waiting(self, referral: Planned) -> None:
        """New, or claimed by an officer (which counts as its first triage) and in triage."""
        if self.rng.random() < NEW_SHARE:
            return
        officer = referral.officer
        claimed = referral.created + round((self.now - 60 - referral.created) * self.rng.random())
        referral.status, referral.assigned, referral.triaged = "in_triage", officer[0], claimed
        referral.triage_minutes = self.clock.minutes(referral.created, claimed)
        self.event(referral, claimed, "viewed", officer)
        self.event(referral, claimed, "claimed", officer)

    def classify(self, referral: Planned) -> str:
        crime = 0.45 if "police" in referral.consents else 0.25
        roll = self.rng.random()
        if roll < 0.08:
            return "not_hate"
        return "crime" if roll < 0.08 + crime else "non_crime"

    def route(self, referral: Planned, partner: Partner, at: int, officer) -> None:
        """Routed (the email written to the outbox at once), sent by the worker, then what the partner did."""
        route = PlannedRoute(self._next("route"), partner, at, officer)
        referral.routes.append(route)
        detail = (("partner", partner.name),)
        self.event(referral, at, "routed", officer, label=AUTOMATIC if officer is None else None, detail=detail)
        sent = at + _between(self.rng, 2, 90)
        if sent <= self.now - PENDING:
            route.status, route.sent, route.due = "sent", sent, self.clock.add(sent, round(partner.ack_hours * 3600))
            self.event(referral, sent, "sent", label=OUTBOX, detail=(*detail, ("route", route.id)))
            self.respond(referral, route)
        statuses = {route.status for route in referral.routes}
        if "handed_back" in statuses:
            referral.status = "handed_back"
        else:
            referral.status = "acknowledged" if "acknowledged" in statuses else "routed"

    def respond(self, referral: Planned, route: PlannedRoute) -> None:
        """The partner acknowledges it (after a reminder if it was late), hands it back, or has not yet."""
        roll, recently = self.rng.random(), self.now - route.sent < FORGOTTEN[1]
        if roll < 0.04:
            handed_back = self.clock.add(route.sent, 60 * self.working_minutes(240, 0.8, 4800))
            self.follow_up(referral, route, min(handed_back, self.now))
            if handed_back <= self.now:
                route.status, route.handed_back = "handed_back", handed_back
                self.partner_views(referral, route, handed_back)
                self.partner_event(referral, route, handed_back, "handed_back", ("reason", HAND_BACK_REASON))
            return
        minutes = self.working_minutes(200, 1.0, 4800)
        forgotten = roll > 1 - FORGOTTEN[0] and recently
        acknowledged = self.now + 1 if forgotten else self.clock.add(route.sent, minutes * 60)
        self.follow_up(referral, route, min(acknowledged, self.now))
        if acknowledged <= self.now:
            route.status, route.acknowledged = "acknowledged", acknowledged
            route.minutes = self.clock.minutes(route.sent, acknowledged)
            self.partner_views(referral, route, acknowledged)
            self.partner_event(referral, route, acknowledged, "acknowledged")

    def partner_views(self, referral: Planned, route: PlannedRoute, before: int) -> None:
        """The partner opens its link (a view of the referral, as every view is) before it does anything."""
        self.partner_event(referral, route, max(route.sent + 1, before - _between(self.rng, 60, 1800)), "viewed")

    def partner_event(self, referral: Planned, route: PlannedRoute, when: int, kind: str, *more) -> None:
        partner = route.partner
        detail = (("partner", partner.name), *more)
        self.event(referral, when, kind, label=partner.name, client=partner.client, detail=detail)

    def follow_up(self, referral: Planned, route: PlannedRoute, until: int) -> None:
        """What the outbox worker does about a route still not acknowledged when its deadline passes: reminds the
        partner once, with a new deadline, and raises it with the triage team if that passes too."""
        if route.due > until:
            return
        route.reminded = route.due + _between(self.rng, 5, 60)
        route.due = self.clock.add(route.reminded, round(route.partner.ack_hours * 3600))
        detail = (("partner", route.partner.name), ("route", route.id))
        self.event(referral, route.reminded, "reminded", label=REMINDER, detail=detail)
        if route.due <= until:
            route.escalated = route.due + _between(self.rng, 5, 60)
            self.event(referral, route.escalated, "escalated", label=REMINDER, detail=detail)

    def volunteer_outcome(self, referral: Planned) -> None:
        acknowledged = [route for route in referral.routes if route.acknowledged]
        if referral.outcome or not acknowledged or self.now - referral.created < 28 * DAY:
            return
        decided = acknowledged[0].acknowledged + round(self.rng.uniform(3, 30) * DAY)
        if decided <= self.now:
            referral.outcome, referral.outcome_at = WEIGHTS["outcome"].pick(self.rng), decided
            partner = acknowledged[0].partner
            detail = (("outcome", referral.outcome), ("previous", None))
            self.event(referral, decided, "outcome_set", label=partner.name, client=partner.client, detail=detail)

    def close(self, referral: Planned) -> None:
        """Closed some days after the last thing happened, unless something is still outstanding (or, now and
        then, a partner's case is still going on)."""
        rng = self.rng
        outstanding = any(route.status in ("queued", "sent") for route in referral.routes)
        acknowledged = any(route.acknowledged for route in referral.routes)
        unfinished = referral.scheme is not None and acknowledged and referral.outcome is None
        if referral.triaged is None or referral.assigned is not None or outstanding or unfinished:
            return
        if referral.status in ("routed", "acknowledged") and rng.random() < 0.03:
            return
        # Nothing was sent anywhere ("just record it", or not a hate incident): closed there and then, or soon after.
        days = rng.uniform(0.2, 20) if referral.routes else rng.uniform(0.001, 2)
        closed = max(event[0] for event in referral.events) + round(days * DAY)
        if closed > self.now:
            return
        referral.status, referral.closed = "closed", closed
        referral.close_outcome = self.close_outcome(referral)
        referral.officer = referral.officer or _one_of(rng, self.officers)
        detail = (("outcome", referral.close_outcome), ("reason", CLOSE_REASON))
        self.event(referral, closed, "closed", referral.officer, detail=detail)

    def close_outcome(self, referral: Planned) -> str:
        if referral.scheme is not None and referral.outcome is None:
            return "no_further_action"  # handed back
        if referral.scheme is not None:
            return "withdrawn" if referral.outcome == "withdrawn" else "resolved_by_partner"
        roll = self.rng.random()
        if roll < 0.04:
            return "duplicate" if roll < 0.02 else "withdrawn"
        if any(route.acknowledged for route in referral.routes):
            return WEIGHTS["close"].pick(self.rng)
        if referral.consents == ["just_record"]:
            return "recorded_only"
        return "advice_given" if self.rng.random() < 0.5 else "no_further_action"

    def purge(self, referral: Planned) -> None:
        """Purged by the nightly retention run once the policy reached it (portal.retention.due_for_purge)."""
        cutoff = self.cutoffs[referral.kind][0]
        reached = [referral.closed] if referral.closed is not None else []
        if referral.kind == "volunteer" and referral.outcome in FINAL_OUTCOMES:
            reached.append(referral.outcome_at)
        reached = [moment for moment in reached if moment <= cutoff]
        if not reached:
            return
        referral.purged = min(self.now, self.retention_ends(referral.kind, min(reached)) + int(self.rng.random() * DAY))
        referral.language = None
        self.event(referral, referral.purged, "purged", label=RETENTION, detail=(("policy", "retention"),))


class Rows:
    """One planned referral as the rows the app would have written (less what a purge deleted)."""

    def __init__(self, history: History, referral: Planned, rows: dict):
        self.history, self.referral, self.rows, self.rng = history, referral, rows, history.rng
        self.stamp = history.stamp

    def add(self) -> None:
        referral, stamp = self.referral, self.stamp
        events = sorted(referral.events, key=operator.itemgetter(0))
        changes = [event for event in events if event[1] in VERSIONED]  # what changed the referral itself
        version = 1 + len(changes)
        changed = max(event[0] for event in changes) if changes else referral.created
        self.rows["referral"].append(
            (
                referral.id,
                referral.reference,
                referral.kind,
                referral.status,
                referral.priority,
                referral.assigned,
                stamp(referral.created),
                stamp(changed),
                version,
                referral.classification,
                stamp(referral.triage_due),
                stamp(referral.triaged),
                stamp(referral.closed),
                referral.close_outcome,
                CLOSE_REASON if referral.closed and not referral.purged else None,
                referral.language,
                stamp(referral.purged),
            )
        )
        if referral.purged is None and referral.kind == "hate_incident":
            self.report()
        elif referral.purged is None:
            self.application()
        self.events(events)
        self.routes()
        self.statistic()
        if referral.purged is None:
            self.emails()

    def report(self) -> None:
        referral, rng, rows = self.referral, self.rng, self.rows
        number, types, role = referral.id, referral.types, referral.role
        online, centre, named = "online" in types, role == "organisation", not referral.anonymous
        consents = referral.consents
        rows["hate_incident_report"].append(
            (
                number,
                role,
                "Bench Community Centre (made-up example)" if centre else None,
                f"Bench report: {_one_of(rng, WHAT_HAPPENED[types[0]])} (made-up example).",
                (self.history.local_day(referral.created) - timedelta(days=_one_of(rng, AGO))).isoformat(),
                False,
                _one_of(rng, ("morning", "afternoon", "evening", "evening", "night", "not_sure")),
                _one_of(rng, ("no", "no", "no", "yes", "not_sure")),
                "online" if online else _one_of(rng, PLACES),
                None if online else "Bench location (made-up example)",
                referral.area_id,
                "Bench social network (made-up example)" if online else None,
                "yes" if "physical" in types else "no",
                "yes" if {"property_damage", "graffiti"} & set(types) else "no",
                _one_of(rng, ("no", "no", "not_sure", "yes")),
                _one_of(rng, ("no", "yes", "not_sure")),
                "no",
                "police" in consents,
                "victim_support" in consents,
                "council_housing" in consents,
                "just_record" in consents,
                f"Bench Person {number}" if role in ("on_behalf", "organisation") else None,
                "yes" if role in ("on_behalf", "organisation") else None,
                referral.anonymous,
                f"Bench Resident {number}" if named else None,
                f"bench.resident{number}@example.org" if named else None,
                f"07700 900{number % 1000:03d}" if named else None,
                "email" if named else None,  # Ofcom's drama range
            )
        )
        rows["hate_incident_strand"] += [(number, strand) for strand in referral.strands]
        rows["hate_incident_type"] += [(number, kind) for kind in types]
        if rng.random() < EQUALITY_SHARE:
            rows["equality_monitoring"].append((number, *(_one_of(rng, choices) for choices in EQUALITY)))

    def application(self) -> None:
        referral, rng, scheme = self.referral, self.rng, self.referral.scheme
        number, applied_on = referral.id, self.history.local_day(referral.created)
        age = _between(rng, scheme.min_age or 18, scheme.max_age or 74)
        born = applied_on - timedelta(days=round(365.25 * age) + _between(rng, 20, 340))
        age = applied_on.year - born.year - ((applied_on.month, applied_on.day) < (born.month, born.day))
        carer = age < 18
        days = sorted(rng.sample(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"], 2))
        self.rows["volunteer_application"].append(
            (
                number,
                scheme.id,
                f"Bench Volunteer {number}",
                born.isoformat(),
                age,
                f"bench.volunteer{number}@example.org",
                f"07700 900{number % 1000:03d}",
                referral.area_id,
                f"Bench Carer {number}" if carer else None,
                "Parent (made-up example)" if carer else None,
                f"bench.carer{number}@example.org" if carer else None,
                carer,
                json.dumps(days),
                json.dumps([_one_of(rng, ["morning", "afternoon", "evening"])]),
                "Bench application: would like to help people in their neighbourhood (made-up example).",
                _one_of(rng, ["friend_or_family", "social_media", "website", "event_or_leaflet", "police_or_council"]),
                True,
                referral.outcome,
            )
        )

    def events(self, events: list) -> None:
        referral, stamp, history = self.referral, self.stamp, self.history
        purged = referral.purged is not None
        rows, first = self.rows["referral_event"], history.next_id["referral_event"]
        history.next_id["referral_event"] += len(events)
        for event_id, (when, kind, actor, label, client, detail) in enumerate(events, start=first):
            rows.append((event_id, referral.id, kind, actor, label, client, self.detail(detail, purged), stamp(when)))

    def detail(self, pairs: tuple | None, purged: bool) -> str | None:
        """The event's detail as JSON; a purge keeps only names and codes (portal.retention's KEPT_EVENT_DETAIL)."""
        if pairs is not None and purged:
            pairs = tuple(pair for pair in pairs if pair[0] in KEPT_EVENT_DETAIL) or None
        if pairs is None:
            return None
        route = None
        if pairs[-1][0] == "route":  # a route's id is one of a kind: added to the rest, which is remembered
            route, pairs = pairs[-1][1], pairs[:-1]
        written = DETAILS.get(pairs) or DETAILS.setdefault(pairs, json.dumps(dict(pairs)))
        return written if route is None else f'{written[:-1]}, "route": {route}}}'

    def routes(self) -> None:
        referral, stamp = self.referral, self.stamp
        for route in referral.routes:
            self.rows["route"].append(
                (
                    route.id,
                    referral.id,
                    route.partner.id,
                    route.status,
                    route.by[0] if route.by else None,
                    stamp(route.created),
                    stamp(route.sent),
                    stamp(route.acknowledged),
                    stamp(route.due),
                    stamp(route.handed_back),
                    HAND_BACK_REASON if route.handed_back and not referral.purged else None,
                    stamp(route.reminded),
                    stamp(route.escalated),
                    route.minutes,
                )
            )

    def statistic(self) -> None:
        referral, stamp = self.referral, self.stamp
        received = self.history.local_day(referral.created)
        hate = referral.kind == "hate_incident"
        self.rows["referral_statistic"].append(
            (
                referral.id,
                referral.kind,
                received.isoformat(),
                received.isoformat()[:7],
                referral.area_id,
                referral.role,
                referral.anonymous,
                "police" in referral.consents if hate else None,
                None if hate else referral.scheme.id,
                referral.outcome,
                referral.triage_minutes,
                stamp(referral.created),
            )
        )
        self.rows["referral_statistic_strand"] += [(referral.id, strand) for strand in sorted(referral.strands)]

    def emails(self) -> None:
        """The partner's email for each route (and its reminder), and the resident's confirmation if they asked."""
        referral, mail, rng = self.referral, self.history.mail, self.rng
        values = {
            "reference": referral.reference,
            "received": self.history.shown_time(referral.created),
            "priority": mail.priority[referral.priority],
        }
        for route in referral.routes:
            values["summary"], summary = mail.summary(referral, route.partner)
            values["link"] = mail.link(route) if referral.closed is None else mail.base + UNSIGNED_LINK
            sends = [("new", route.created, route.sent)]
            if route.reminded is not None:
                sends.append(("reminder", route.reminded, route.reminded + _between(rng, 2, 90)))
            for purpose, written, sent in sends:
                subject, text, html = mail.route_email(route.partner.id, referral.kind, purpose)
                email = subject.format(**values), text.format(**values), html.format(**{**values, "summary": summary})
                for address in route.partner.emails:
                    self.message(route.id, address, email, written, sent)
        if rng.random() < CONFIRMATION[referral.kind] and not referral.anonymous:
            address = f"bench.{'resident' if referral.scheme is None else 'volunteer'}{referral.id}@example.org"
            subject, text = mail.confirmation(referral)
            written = referral.created + _between(rng, 1, 5)
            email = subject.format(**values), text.format(**values), None
            self.message(None, address, email, written, written + _between(rng, 2, 90))

    def message(self, route_id: int | None, address: str, email: tuple, written: int, sent: int | None) -> None:
        """An outbox message: sent by the worker unless it was written in the last few minutes."""
        message_id, mail = self.history._next("outbox_message"), self.history.mail
        if sent is not None and sent > self.history.now - PENDING:
            sent = None
        self.rows["outbox_message"].append(
            (
                message_id,
                route_id,
                f"<bench.{message_id}.{mail.token}@{mail.domain}>",
                address,
                *email,
                "pending" if sent is None else "sent",
                0 if sent is None else 1,
                self.stamp(written),
                self.stamp(written),
                self.stamp(sent),
            )
        )


class Mail:
    """The emails the app writes, as format strings made once from its own templates and words (rendering each
    would take longer than the rest of the load). A secure-email partner's first email would also carry the answers;
    these leave them out."""

    def __init__(self, config, partners: dict, schemes: list, areas: dict):
        self.base = config["PUBLIC_BASE_URL"].rstrip("/")
        self.domain = config["MAIL_FROM"].rpartition("@")[2].rstrip(">") or "localhost"
        self.token = "".join(random.choices("abcdefghijklmnopqrstuvwxyz", k=8))  # noqa: S311 - not a secret
        self.areas = areas
        with force_locale(config["BABEL_DEFAULT_LOCALE"]):
            self.priority = {str(key): str(label) for key, label in PRIORITY_LABELS.items()}
            self.strands = {str(key): str(label).lower() for key, label in STRAND_LABELS.items()}
            self.nowhere = _("an area not given")
            self.with_strands = _("A hate incident report (%(strands)s) in %(area)s.", strands="{0}", area="{1}")
            self.without_strands = _("A hate incident report in %(area)s.", area="{0}")
            self.schemes = {s.id: _("An application to volunteer with %(scheme)s.", scheme=s.name) for s in schemes}
            self.bodies = {
                (partner.id, str(kind), purpose): self._route_email(config, partner, str(kind), str(label), purpose)
                for partner in partners.values()
                for kind, label in KIND_LABELS.items()
                for purpose in ("new", "reminder")
            }
            self.confirmations = self._confirmations(schemes)
        self.summaries = {}

    def _route_email(self, config, partner: Partner, kind: str, label: str, purpose: str) -> tuple:
        subject = {
            "new": _("New %(kind)s referral %(reference)s", kind=label.lower(), reference="\0reference\0"),
            "reminder": _("Reminder: please acknowledge referral %(reference)s", reference="\0reference\0"),
        }[purpose]
        context = {
            "purpose": purpose,
            "referral": SimpleNamespace(reference="\0reference\0", created_at=PROTOTYPE_TIME, language="en"),
            "partner": SimpleNamespace(name=partner.name, secure_email=partner.secure),
            "kind": label,
            "priority": "\0priority\0",
            "summary": "\0summary\0",
            "link": "\0link\0",
            "link_days": config["PARTNER_LINK_DAYS"],
            "full_details": False,
            "sections": [],
        }
        text = render_template("emails/partner_referral.txt", **context)
        html = render_template("emails/partner_referral.html", **context)
        return _format(subject), _format(text), _format(html)

    def _confirmations(self, schemes: list) -> dict:
        confirmations = {
            None: (
                _format(_("Your report reference %(reference)s", reference="\0reference\0")),
                _format(render_template("emails/report_confirmation.txt", reference="\0reference\0")),
            )
        }
        subject = _format(_("Your volunteer application reference %(reference)s", reference="\0reference\0"))
        for scheme in schemes:
            body = render_template(
                "emails/volunteer_confirmation.txt", reference="\0reference\0", scheme_name=scheme.name
            )
            confirmations[scheme.id] = (subject, _format(body))
        return confirmations

    def route_email(self, partner_id: int, kind: str, purpose: str) -> tuple:
        return self.bodies[partner_id, kind, purpose]

    def confirmation(self, referral: Planned) -> tuple:
        return self.confirmations[referral.scheme.id if referral.scheme is not None else None]

    def summary(self, referral: Planned, partner: Partner) -> tuple[str, str]:
        """As portal.routing.emails.one_line_summary (the strands only for a secure-email partner), as text and as
        HTML."""
        if referral.scheme is not None:
            summary = self.schemes[referral.scheme.id]
            return summary, str(escape(summary))
        key = (referral.area_id, tuple(referral.strands) if partner.secure else ())
        if key not in self.summaries:
            area = self.areas.get(referral.area_id, self.nowhere)
            strands = ", ".join(self.strands.get(strand, strand) for strand in referral.strands)
            summary = self.with_strands.format(strands, area) if partner.secure else self.without_strands.format(area)
            self.summaries[key] = summary, str(escape(summary))
        return self.summaries[key]

    def link(self, route: PlannedRoute) -> str:
        return route_link(SimpleNamespace(id=route.id, partner_id=route.partner.id))


PROTOTYPE_TIME = datetime(2001, 2, 3, 4, 5, tzinfo=UTC)


def _format(rendered: str) -> str:
    """A rendered email with its placeholders as str.format fields (and every other brace doubled)."""
    rendered = rendered.replace("{", "{{").replace("}", "}}").replace(format_datetime(PROTOTYPE_TIME), "{received}")
    for name in ("reference", "priority", "summary", "link"):
        rendered = rendered.replace(f"\0{name}\0", f"{{{name}}}")
    return rendered


_FORKED = None  # the history that forked workers plan from


def _plan_chunk(task: tuple) -> dict:
    return _FORKED.chunk(*task)


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
DETAILS: dict = {}  # event details as JSON, by their (key, value) pairs
# The events that changed the referral (its version counts them).
VERSIONED = frozenset(
    {"claimed", "classified", "routed", "acknowledged", "handed_back", "closed", "purged", "outcome_set"}
)


# --- Writing ---


def load(rows: dict, database: str) -> dict:
    """Write a chunk's rows to the database at `database` in a transaction of their own, from the process that
    planned them, through a connection of its own: PostgreSQL with COPY, SQLite with executemany (its writers take
    turns; the loader checkpoints the journal). Returns how many rows went into each table."""
    if database not in _CONNECTIONS:
        _CONNECTIONS[database] = _connect(database)
    connection = _CONNECTIONS[database]
    if isinstance(connection, sqlite3.Connection):
        connection.execute("BEGIN IMMEDIATE")
        for table, columns in TABLES.items():
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
            connection.executemany(insert, rows[table])
        connection.commit()
    else:
        with connection.transaction(), connection.cursor() as cursor:
            for table, columns in TABLES.items():
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows[table]:
                        copy.write_row(row)
    return {table: len(rows[table]) for table in TABLES}


_CONNECTIONS = {}  # this process's own connections, by database


def _connect(database: str):
    if database.startswith("postgresql:"):
        import psycopg

        connection = psycopg.connect(database, autocommit=True)  # and a transaction for each chunk
        connection.execute("SET synchronous_commit = off")  # a scratch database: a crash may lose the last chunks
        return connection
    connection = sqlite3.connect(database, timeout=600, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=OFF", "foreign_keys=ON", "wal_autocheckpoint=0"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def _disconnect() -> None:
    while _CONNECTIONS:
        _CONNECTIONS.popitem()[1].close()


class Loader:
    """Around the planning processes' loading (see `load`), on a connection of its own. In bulk mode, drops the
    tables' secondary indexes (and PostgreSQL's foreign keys) first and rebuilds them at the end, even after a
    failure (which keeps the chunks loaded before it, each a whole set of referrals); rebuilding a foreign key checks
    every row (SQLite checks them as they go in). On SQLite (journal in WAL, syncing off) it checkpoints the journal
    every few chunks, which the writers leave to it; on PostgreSQL it moves the id sequences past the new rows."""

    def __init__(self, connection, *, bulk: bool):
        self.connection, self.bulk = connection, bulk
        self.raw = connection.connection.driver_connection
        self.postgresql = connection.dialect.name == "postgresql"
        self.rebuild: list[str] = []
        self.loaded = 0
        self.spent = collections.Counter()  # seconds, by what they were spent on

    def timed(self, what: str, call, *arguments):
        began = time.perf_counter()
        try:
            return call(*arguments)
        finally:
            self.spent[what] += time.perf_counter() - began

    def __enter__(self):
        if self.postgresql:
            self.raw.execute("SET maintenance_work_mem = '256MB'")
        else:
            self.raw.execute("PRAGMA synchronous=OFF")
            self.raw.execute("PRAGMA cache_size=-262144")  # 256 MB, for building the indexes
        if self.bulk:
            self._drop()
        self.raw.commit()
        return self

    def loaded_chunk(self) -> None:
        self.loaded += 1
        if not self.postgresql and self.loaded % CHECKPOINT_EVERY == 0:
            # Every commit writes the pages it changed, most of the reference index's among them, whatever its
            # size: checkpointing them every few chunks, and not after each, writes each far fewer times.
            self.timed("checkpointing", self.raw.execute, "PRAGMA wal_checkpoint(PASSIVE)")

    def __exit__(self, kind, error, trace):
        try:
            self.raw.rollback()
            for statement in self.rebuild:  # one at a time: a foreign key that fails leaves the indexes built
                self.timed("rebuilding indexes and foreign keys", self.raw.execute, statement)
                self.raw.commit()
            if self.postgresql:
                self._move_sequences()
            else:
                self.timed("checkpointing", self.raw.execute, "PRAGMA wal_checkpoint(TRUNCATE)")
            self.raw.commit()
        finally:
            self.connection.invalidate()  # its settings were for the load only

    def _drop(self) -> None:
        tables = list(TABLES)
        if self.postgresql:
            keys = self.raw.execute(FOREIGN_KEYS, [tables]).fetchall()
            indexes = self.raw.execute(PG_INDEXES, [tables]).fetchall()
            statements = [definition for _name, definition in indexes]
            for table, name, definition in keys:
                self.raw.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                statements.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        else:
            marks = ", ".join("?" * len(tables))
            indexes = self.raw.execute(SQLITE_INDEXES.format(marks), tables).fetchall()  # noqa: S608 - placeholders
            statements = [definition for _name, definition in indexes]
        for name, _definition in indexes:
            self.raw.execute(f'DROP INDEX "{name}"')
        self.rebuild = statements

    def _move_sequences(self) -> None:
        """The rows came with their ids: move each id sequence past them."""
        for table in SEQUENCES:
            self.raw.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")  # noqa: S608

    @staticmethod
    def analyse(engine) -> None:
        """PostgreSQL: vacuum and analyse the loaded tables, as autovacuum would after a large change. (The app
        never analyses SQLite, so neither does the loader.)"""
        if engine.dialect.name != "postgresql":
            return
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"VACUUM ANALYZE {', '.join(TABLES)}"))


FOREIGN_KEYS = """
    SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    WHERE c.contype = 'f' AND t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace
"""
PG_INDEXES = """
    SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace AND NOT x.indisprimary
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
"""
SQLITE_INDEXES = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({})"


# --- Command line ---


def empty_database(url: str) -> None:
    """Drop everything in a scratch database (refusing a PostgreSQL database without "bench" in its name)."""
    from sqlalchemy import create_engine, make_url

    address = make_url(_database_url(url))
    if address.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            if address.database:
                Path(address.database + suffix).unlink(missing_ok=True)
        return
    if "bench" not in (address.database or ""):
        raise SystemExit(f"Refusing to empty {address.database!r}: give a scratch database with 'bench' in its name")
    engine = create_engine(address)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def table_rows(db) -> dict[str, int]:
    return {
        table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in db.metadata.sorted_tables
    }


def database_size(db) -> int:
    if db.engine.dialect.name == "postgresql":
        return db.session.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    path = Path(db.engine.url.database)
    return sum(part.stat().st_size for part in (path, Path(f"{path}-wal")) if part.exists())


def main() -> None:
    from flask_migrate import upgrade

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a scratch database, emptied first; default SQLite in a temporary dir")
    parser.add_argument("--referrals", type=int, nargs="+", default=[10_000], help="sizes to grow to, in turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{scratch}/bench.sqlite"
        empty_database(url)
        app = make_app(url)
        with app.app_context():
            upgrade()
            log.disabled = False  # the migrations' logging set-up turns off the loggers that were there before it
            log.setLevel(logging.INFO)
            prepare(app)
            for size in args.referrals:
                seconds = grow(app, size)
                counts = table_rows(db)
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                size_mb = database_size(db) / 2**20
                db.session.commit()
                print(
                    f"\n{db.engine.dialect.name}: {size} referrals in {seconds:.1f}s "
                    f"(peak memory {peak:.0f} MB, database {size_mb:.0f} MB)"
                )
                for name, count in counts.items():
                    if count:
                        print(f"  {name:28} {count:>10}")


if __name__ == "__main__":
    main()
