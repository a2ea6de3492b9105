"""The planning of made-up referrals, a chunk at a time in forked processes (see bench/data.py's `grow`)."""

import bisect
import itertools
import math
import multiprocessing
import random
from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import func, select

from bench.loader import _disconnect, load
from bench.planning import (
    AUTOMATIC,
    CLOSE_REASON,
    DAY,
    FORGOTTEN,
    HAND_BACK_REASON,
    IDS,
    NEW_SHARE,
    NOTE,
    NOTE_SHARE,
    OFFICER_CLIENT,
    OFFICERS,
    OTHER_LANGUAGE_SHARE,
    OUTBOX,
    PAIRS,
    PARTNER_CLIENT,
    PENDING,
    REMINDER,
    RETENTION,
    VOLUNTEER_SHARE,
    WEIGHTS,
    WINDOW,
    Clock,
    Partner,
    Planned,
    PlannedRoute,
    Stamps,
    _between,
    _day,
    _one_of,
    officer_email,
    open_queue_size,
)
from bench.rows import TABLES, Mail, Rows
from portal.demo_history import HOUR_WEIGHTS
from portal.demo_referrals import load_setting
from portal.models import (
    Area,
    OutboxMessage,
    Referral,
    ReferralEvent,
    Route,
    StaffUser,
)
from portal.models import Partner as PartnerModel
from portal.retention.service import FINAL_OUTCOMES, months_before
from portal.triage.sla import WorkingHours

CHUNK = 20_000  # referrals planned and loaded at a time (fewer commits write fewer pages again)


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


_FORKED = None  # the history that forked workers plan from


def _plan_chunk(task: tuple) -> dict:
    return _FORKED.chunk(*task)
