"""Made-up referral history for the demo, so that a new user's queue and insights are not empty.

Every name, address and description is plainly made up ("Demo Resident 17", demo.resident17@example.org,
"Demo report: … (made-up example)"). Nothing is emailed: the history is written straight to the tables, with
the times a real partnership's would have (triage in a few working hours, partners acknowledging within a working
day or two). A seeded random generator decides everything, so the same seed and `now` give the same history.

`plan_history` decides what happened without writing anything; `seed_history` writes a plan through the models,
and bench/insights.py writes a much larger plan in bulk.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app

from portal.demo_referrals import DemoPartner, DemoScheme, DemoSetting, load_setting, referral_from_plan
from portal.extensions import db
from portal.models import (
    Classification,
    CloseOutcome,
    Consent,
    Priority,
    Referral,
    ReferralKind,
    ReferralStatus,
    RouteStatus,
    StaffRole,
    StaffUser,
    VolunteerOutcome,
)
from portal.models._types import utcnow
from portal.statistics import statistic_for, working_minutes
from portal.triage.sla import WorkingHours, add_business_time

WINDOW = timedelta(days=30.44)  # a month, as a rolling window back from now
RECENT = timedelta(days=14)  # younger than this, most referrals are still waiting for triage
# How likely a referral is to arrive in each local hour (the most likely hour is 1).
HOUR_WEIGHTS = (
    0.1,
    0.05,
    0.05,
    0.05,
    0.05,
    0.1,
    0.2,
    0.4,
    0.7,
    0.9,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    0.9,
    0.9,
    0.8,
    0.6,
    0.4,
    0.2,
)
STRAND_WEIGHTS = {
    "race": 48,
    "sexual_orientation": 17,
    "religion": 13,
    "disability": 10,
    "transgender": 6,
    "sex_or_gender": 2,
    "age": 1.5,
    "not_sure": 1.5,
    "alternative_subculture": 0.5,
    "other": 0.5,
}
TYPE_WEIGHTS = {
    "verbal": 52,
    "harassment": 15,
    "online": 11,
    "physical": 8,
    "property_damage": 5,
    "graffiti": 5,
    "written": 3,
    "other": 1,
}
ROLE_WEIGHTS = {"victim": 60, "witness": 20, "on_behalf": 10, "organisation": 10}
OUTCOME_WEIGHTS = {
    VolunteerOutcome.ACCEPTED: 45,
    VolunteerOutcome.WAITING_LIST: 20,
    VolunteerOutcome.NOT_PROGRESSED: 20,
    VolunteerOutcome.WITHDRAWN: 15,
}


@dataclass
class PlannedRoute:
    partner: DemoPartner
    created_at: datetime
    sent_at: datetime
    ack_due_at: datetime
    status: str = RouteStatus.SENT
    acknowledged_at: datetime | None = None
    ack_minutes: int | None = None
    handed_back_at: datetime | None = None

    @property
    def finished_at(self) -> datetime:
        return self.acknowledged_at or self.handed_back_at or self.sent_at


@dataclass
class PlannedReferral:
    """What happened to one made-up referral: its facts, and what staff and partners did when."""

    number: int
    reference: str
    kind: str
    created_at: datetime
    triage_due_at: datetime
    area_id: int | None = None
    priority: str = Priority.NORMAL
    reporter_role: str | None = None
    strands: list[str] = field(default_factory=list)
    incident_types: list[str] = field(default_factory=list)
    consents: list[str] = field(default_factory=list)
    anonymous: bool | None = None
    scheme: DemoScheme | None = None
    outcome: str | None = None
    outcome_at: datetime | None = None
    status: str = ReferralStatus.NEW
    classification: str | None = None
    triaged_at: datetime | None = None
    triage_minutes: int | None = None
    closed_at: datetime | None = None
    close_outcome: str | None = None
    routes: list[PlannedRoute] = field(default_factory=list)
    seed: int = 0  # for the made-up wording, which the figures never look at

    @property
    def consent_police(self) -> bool | None:
        return Consent.POLICE in self.consents if self.kind == ReferralKind.HATE_INCIDENT else None

    @property
    def updated_at(self) -> datetime:
        times = [self.created_at, self.triaged_at, self.outcome_at, self.closed_at]
        return max([time for time in times if time] + [route.finished_at for route in self.routes])


class _Planner:
    def __init__(self, rng: random.Random, setting: DemoSetting, now: datetime, hours: WorkingHours):
        self.rng, self.setting, self.now, self.hours = rng, setting, now, hours
        self.zone = hours.zone
        self.triage_hours = current_app.config["SLA_TRIAGE_HOURS"]
        self.ack_hours = current_app.config["SLA_ACKNOWLEDGE_HOURS"]
        self.references: set[str] = set()

    def after(self, start: datetime, minutes: float) -> datetime:
        return add_business_time(start, timedelta(minutes=minutes), self.hours)

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def working_minutes(self, median: float, spread: float, most: int) -> int:
        """A long-tailed number of working minutes (log-normal around the median), at most `most`."""
        return max(1, min(most, round(self.rng.lognormvariate(math.log(median), spread))))

    def arrival(self, start: datetime, end: datetime) -> datetime:
        while True:
            moment = (start + (end - start) * self.rng.random()).replace(microsecond=0)
            local = moment.astimezone(self.zone)
            weight = HOUR_WEIGHTS[local.hour] * (0.8 if local.weekday() >= 5 else 1)
            if self.rng.random() < weight:
                return moment

    def reference(self, kind: ReferralKind) -> str:
        while True:
            body = "".join(self.rng.choices("23456789ABCDEFGHJKLMNPQRSTUVWXYZ", k=6))
            if (reference := f"{kind.prefix}-{body}") not in self.references:
                self.references.add(reference)
                return reference

    def referral(self, number: int, created: datetime) -> PlannedReferral:
        schemes = self.setting.schemes
        kind = ReferralKind.VOLUNTEER if schemes and self.rng.random() < 0.25 else ReferralKind.HATE_INCIDENT
        planned = PlannedReferral(
            number=number,
            reference=self.reference(kind),
            kind=kind,
            created_at=created,
            triage_due_at=self.after(created, self.triage_hours * 60),
            seed=self.rng.randrange(1 << 30),
        )
        if kind == ReferralKind.VOLUNTEER:
            self.application(planned)
        else:
            self.report(planned)
        self.triage(planned)
        if planned.scheme is not None:
            self.outcome(planned)
        self.close(planned)
        return planned

    def area(self) -> int | None:
        areas = self.setting.areas
        return self.rng.choice(areas)[0] if areas and self.rng.random() < 0.9 else None

    def report(self, planned: PlannedReferral) -> None:
        rng = self.rng
        planned.reporter_role = self.pick(ROLE_WEIGHTS)
        planned.strands = [self.pick(STRAND_WEIGHTS)]
        if rng.random() < 0.1:
            planned.strands = list(dict.fromkeys([*planned.strands, self.pick(STRAND_WEIGHTS)]))
        planned.incident_types = list(dict.fromkeys(self.pick(TYPE_WEIGHTS) for _ in range(1 + (rng.random() < 0.2))))
        planned.anonymous = rng.random() < 0.3
        consents = [Consent.POLICE] if rng.random() < 0.55 else []
        consents += [Consent.VICTIM_SUPPORT] if rng.random() < 0.35 else []
        consents += [Consent.COUNCIL_HOUSING] if rng.random() < 0.15 else []
        planned.consents = consents or [Consent.JUST_RECORD]
        online = self.setting.online_area_id
        if "online" in planned.incident_types and online and rng.random() < 0.7:
            planned.area_id = online
        else:
            planned.area_id = self.area()
        if rng.random() < 0.03:
            planned.priority = Priority.URGENT
        elif "physical" in planned.incident_types:
            planned.priority = Priority.HIGH

    def application(self, planned: PlannedReferral) -> None:
        planned.scheme = self.rng.choice(self.setting.schemes)
        planned.area_id = self.area()
        if planned.scheme.waiting_list:
            planned.outcome, planned.outcome_at = VolunteerOutcome.WAITING_LIST, planned.created_at

    def triage(self, planned: PlannedReferral) -> None:
        created, scheme = planned.created_at, planned.scheme
        if scheme is not None and scheme.auto_route:
            planned.triaged_at, planned.triage_minutes = created, 0
            self.route(planned, scheme.partner, created)
            return
        if self.now - created < RECENT and self.rng.random() < 0.6:
            return
        minutes = self.working_minutes(150, 1.2, 2400)
        triaged = self.after(created, minutes)
        if triaged > self.now:
            return
        planned.triaged_at, planned.triage_minutes = triaged, minutes
        planned.status = ReferralStatus.IN_TRIAGE
        if scheme is not None:
            self.route(planned, scheme.partner, triaged)
            return
        planned.classification = self.classify(planned)
        if planned.classification == Classification.NOT_HATE:
            return
        for consent in planned.consents:
            partner = self.setting.partner_for(consent)
            if partner is not None:
                self.route(planned, partner, triaged)

    def classify(self, planned: PlannedReferral) -> str:
        crime = 0.45 if planned.consent_police else 0.25
        roll = self.rng.random()
        if roll < 0.08:
            return Classification.NOT_HATE
        return Classification.CRIME if roll < 0.08 + crime else Classification.NON_CRIME

    def route(self, planned: PlannedReferral, partner: DemoPartner, at: datetime) -> None:
        sent = at + timedelta(seconds=self.rng.randint(20, 240))
        route = PlannedRoute(partner, at, sent, self.after(sent, (partner.ack_sla_hours or self.ack_hours) * 60))
        planned.routes.append(route)
        roll = self.rng.random()
        if roll < 0.04:
            handed_back = self.after(sent, self.working_minutes(240, 0.8, 4800))
            if handed_back <= self.now:
                route.status, route.handed_back_at = RouteStatus.HANDED_BACK, handed_back
        elif roll > 0.92 and self.now - sent < timedelta(days=45):
            return  # never acknowledged: an overdue route for the queue to chase
        else:
            minutes = self.working_minutes(200, 1.0, 4800)
            acknowledged = self.after(sent, minutes)
            if acknowledged <= self.now:
                route.status, route.acknowledged_at, route.ack_minutes = RouteStatus.ACKNOWLEDGED, acknowledged, minutes
        statuses = {route.status for route in planned.routes}
        if RouteStatus.ACKNOWLEDGED in statuses:
            planned.status = ReferralStatus.ACKNOWLEDGED
        elif statuses == {RouteStatus.HANDED_BACK}:
            planned.status = ReferralStatus.HANDED_BACK
        else:
            planned.status = ReferralStatus.ROUTED

    def outcome(self, planned: PlannedReferral) -> None:
        acknowledged = [route.acknowledged_at for route in planned.routes if route.acknowledged_at]
        if planned.outcome or not acknowledged or self.now - planned.created_at < timedelta(days=28):
            return
        decided = acknowledged[0] + timedelta(days=self.rng.uniform(3, 30))
        if decided <= self.now:
            planned.outcome, planned.outcome_at = self.pick(OUTCOME_WEIGHTS), decided

    def close(self, planned: PlannedReferral) -> None:
        age = self.now - planned.created_at
        chance = 0.92 if age > timedelta(days=42) else 0.35 if age > RECENT else 0
        waiting = any(route.status == RouteStatus.SENT for route in planned.routes)
        unfinished = planned.scheme is not None and planned.routes and planned.outcome is None
        if planned.triaged_at is None or waiting or unfinished or self.rng.random() >= chance:
            return
        closed = planned.updated_at + timedelta(days=self.rng.uniform(0.2, 20))
        if closed <= self.now:
            planned.status, planned.closed_at = ReferralStatus.CLOSED, closed
            planned.close_outcome = self.close_outcome(planned)

    def close_outcome(self, planned: PlannedReferral) -> str:
        if planned.scheme is not None:
            withdrawn = planned.outcome == VolunteerOutcome.WITHDRAWN
            return CloseOutcome.WITHDRAWN if withdrawn else CloseOutcome.RESOLVED_BY_PARTNER
        roll = self.rng.random()
        if roll < 0.04:
            return CloseOutcome.DUPLICATE if roll < 0.02 else CloseOutcome.WITHDRAWN
        if any(route.acknowledged_at for route in planned.routes):
            return self.pick({"resolved_by_partner": 65, "advice_given": 20, "no_further_action": 15})
        if planned.consents == [Consent.JUST_RECORD]:
            return CloseOutcome.RECORDED_ONLY
        return self.pick({"advice_given": 50, "no_further_action": 50})


def plan_history(
    setting: DemoSetting, *, months: int, per_month: tuple[int, int], seed: int, now: datetime
) -> list[PlannedReferral]:
    """What happened to each made-up referral over the last `months` months (rolling months back from `now`),
    oldest first. Each month brings between per_month[0] and per_month[1] referrals, more in later months (the
    partnership is asking people to report). Needs an app context for the working hours; writes nothing."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not a secret
    planner = _Planner(rng, setting, now, WorkingHours.from_config(current_app.config))
    low, high = per_month
    arrivals = []
    for back in range(months, 0, -1):
        trend = (months - back) / max(months - 1, 1)
        count = low + round((high - low) * (0.6 * trend + 0.4 * rng.random()))
        start = now - WINDOW * back
        arrivals += [planner.arrival(start, start + WINDOW) for _ in range(count)]
    arrivals.sort()
    return [planner.referral(number, created) for number, created in enumerate(arrivals, start=1)]


def seed_history(
    *, months: int = 14, per_month: tuple[int, int] = (25, 45), seed: int = 2026, now: datetime | None = None
) -> int:
    """Add a made-up history of referrals to the demo partnership, unless there are referrals already (so it never
    mixes with real ones, and running it again adds nothing). Returns how many it added; the caller commits."""
    if db.session.execute(db.select(Referral.id).limit(1)).first() is not None:
        return 0
    setting = load_setting()
    plan = plan_history(setting, months=months, per_month=per_month, seed=seed, now=now or utcnow())
    officer = db.session.execute(
        db.select(StaffUser).filter_by(role=StaffRole.TRIAGER).order_by(StaffUser.id).limit(1)
    ).scalar_one_or_none()
    referrals = [referral_from_plan(planned, officer) for planned in plan]
    for referral in referrals:
        for route in referral.routes:
            if route.acknowledged_at is not None:
                route.ack_working_minutes = working_minutes(route.sent_at, route.acknowledged_at)
    db.session.add_all(referrals)
    db.session.flush()
    # statistic_for rather than record_statistic: there were no referrals, so there is no statistic to look up.
    for referral in referrals:
        statistic = statistic_for(referral)
        statistic.created_at = referral.created_at
        if referral.triaged_at is not None:
            statistic.triage_working_minutes = working_minutes(referral.created_at, referral.triaged_at)
        db.session.add(statistic)
    db.session.flush()
    return len(plan)
