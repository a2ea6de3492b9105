"""The load scenarios: residents and staff on the portal, and the bare baseline's three pages.

bench/run.py runs each scenario on its own (bench/drive.py: 16 users, closed loop, a warm-up left out of
the figures). One can also be run by hand against a running server, for example:

    .venv/bin/locust -f bench/locustfile.py --headless -u 16 -r 16 -t 20s --host http://127.0.0.1:8000 ReportJourney

Every journey follows the pages the site leads to, with each page's CSRF token, and checks where it lands: a
journey that breaks (a page with errors, a rate limit, a missing reference) is a failure, never a fast error
page counted as a success. Residents each come from their own address (X-Forwarded-For; the portal runs
with PROXY_COUNT=1), so the per-client rate limits apply to them as they would to real residents.

Staff scenarios sign in through the real pages (password, then the 6-digit code) as the officers that
bench/data.py creates, one account per virtual user because a code's time-step can be used only once. They
read BENCH_FIXTURE, a JSON file bench/run.py writes from the loaded database (references, areas, scheme).
"""

import functools
import itertools
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, constant, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `locust -f bench/locustfile.py` too

from bench.answers import (  # noqa: E402
    FIXTURE,
    JOURNEY,
    QUEUE_FILTERS,
    REFERENCE,
    JourneyBroken,
    csrf_token,
    pairs,
    path_of,
    report_answers,
    resident_address,
    sign_up_answers,
)

TOTP_STEP = 30

# Read by bench/drive.py: journeys completed (a confirmation page with its reference), users ready, and
# the TOTP time-step each officer last used.
completed: Counter = Counter()
completed_in_run: Counter = Counter()  # from the first user's start to the last one's stop, never cleared
journey_requests: Counter = Counter()  # the requests of the journeys completed
answered: Counter = Counter()  # users that have had at least one answer (a cold cache or a slow page warmed up)
broken: Counter = Counter()
# Set by bench/drive.py when the measured window ends: each user stops before its next request, so that none is
# left queued in the server to slow the next scenario down.
stopping = False
ready: Counter = Counter()
totp_used: dict[int, int] = {}


def journey(function):
    """A task that stops at the first page that breaks it (already counted as a failed request)."""

    @functools.wraps(function)
    def run(user):
        try:
            function(user)
        except JourneyBroken as broken_at:
            broken[str(broken_at).split(":")[0]] += 1

    return run


class Scenario(FastHttpUser):
    """A closed-loop user: the next request as soon as the last one answered."""

    abstract = True
    wait_time = constant(0)
    network_timeout = 180.0
    connection_timeout = 60.0

    def on_start(self):
        self.headers = {"Accept-Language": "en-GB,en;q=0.8"}
        self.sent = 0  # requests, for the length of a journey
        self.has_answer = False
        ready[type(self).__name__] += 1

    def answered(self) -> None:
        if not self.has_answer:
            self.has_answer = True
            answered[type(self).__name__] += 1

    def page(self, path: str, name: str, *, contains: str | None = None) -> str:
        """GET a page that must answer 200 (and contain `contains`); its HTML."""
        if stopping:
            raise StopUser()
        self.sent += 1
        with self.client.get(path, name=name, headers=self.headers, catch_response=True) as response:
            self.answered()
            html = response.text or ""
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path_of(path)}")
                raise JourneyBroken(f"GET {name}: {response.status_code}")
            if contains is not None and contains not in html:
                response.failure(f"{contains!r} not on the page")
                raise JourneyBroken(f"GET {name}: {contains!r} missing")
            return html

    def redirect(self, path: str, name: str) -> str:
        """GET a page that must redirect; where it leads."""
        if stopping:
            raise StopUser()
        self.sent += 1
        with self.client.get(
            path, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            self.answered()
            location = response.headers.get("Location") if response.headers else None
            if response.status_code != 302 or not location:
                response.failure(f"{response.status_code} for {path_of(path)} (expected a redirect)")
                raise JourneyBroken(f"GET {name}: {response.status_code}")
            return path_of(location)

    def send(self, path: str, name: str, answers: dict, html: str) -> str:
        """POST a form's answers with the page's CSRF token; the answer must be a redirect (the page was
        accepted). Returns where it leads."""
        if stopping:
            raise StopUser()
        self.sent += 1
        body = urlencode([("csrf_token", csrf_token(html)), *pairs(answers)])
        headers = {**self.headers, "Content-Type": "application/x-www-form-urlencoded"}
        with self.client.post(
            path, name=name, data=body, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            self.answered()
            location = response.headers.get("Location") if response.headers else None
            if response.status_code not in (302, 303) or not location:
                response.failure(f"{response.status_code} for {path_of(path)} (expected a redirect)")
                raise JourneyBroken(f"POST {name}: {response.status_code}")
            return path_of(location)


# --- Residents ---


class Home(Scenario):
    @task
    @journey
    def home(self):
        self.page("/", "home")


class ReportJourney(Scenario):
    """A resident reports a hate incident: the emergency gate, the start page, every question page (GET, then
    POST with its token), check answers, send, and the confirmation with its reference."""

    @task
    @journey
    def report(self):
        self.client.cookiejar.clear()  # a new resident, with a new session
        self.headers["X-Forwarded-For"] = resident_address()
        self.sent = 0
        answers = report_answers(random.Random())  # noqa: S311 - made-up answers
        html = self.page(f"{JOURNEY}/", "report: emergency question")
        location = self.send(f"{JOURNEY}/", "report: emergency question", {"in_danger": "no"}, html)
        self.page(location, "report: start page")
        location = f"{JOURNEY}/who"
        for _ in range(30):
            if location.endswith("/check-answers"):
                break
            slug = location.rsplit("/", 1)[1]
            html = self.page(location, "report: question page")
            location = self.send(location, "report: question page", answers.get(slug, {}), html)
        html = self.page(f"{JOURNEY}/check-answers", "report: check answers")
        location = self.send(f"{JOURNEY}/check-answers", "report: send (check answers)", {}, html)
        html = self.page(location, "report: confirmation", contains='class="portal-reference">HC-')
        if REFERENCE.search(html):
            completed["report"] += 1
            completed_in_run["report"] += 1
            journey_requests["report"] += self.sent


class VolunteerSignUp(Scenario):
    """A resident signs up to a scheme that takes sign-ups online: the scheme page, every question page, check
    answers, send, and the confirmation with its VOL- reference."""

    @task
    @journey
    def sign_up(self):
        self.client.cookiejar.clear()
        self.headers["X-Forwarded-For"] = resident_address()
        self.sent = 0
        scheme = f"/volunteer/{FIXTURE['scheme']}"
        answers = sign_up_answers(random.Random())  # noqa: S311 - made-up answers
        self.page(f"{scheme}/", "volunteer: scheme page")
        location = self.redirect(f"{scheme}/start", "volunteer: start")
        for _ in range(20):
            page = location.rsplit("/", 1)[1]
            if page not in answers:
                break
            html = self.page(location, "volunteer: question page")
            location = self.send(location, "volunteer: question page", answers[page], html)
        if not location.endswith("/check-answers"):
            raise JourneyBroken(f"volunteer: the sign-up led to {location}")
        html = self.page(location, "volunteer: check answers")
        location = self.send(location, "volunteer: send (check answers)", {}, html)
        html = self.page(location, "volunteer: confirmation", contains='class="portal-reference">VOL-')
        if REFERENCE.search(html):
            completed["volunteer"] += 1
            completed_in_run["volunteer"] += 1
            journey_requests["volunteer"] += self.sent


# --- Staff ---

_officers = itertools.count(int(os.environ.get("BENCH_OFFICER_FIRST", "1")))


def _last_steps() -> dict[int, int]:
    path = os.environ.get("BENCH_TOTP_STEPS")
    if not path or not os.path.exists(path):
        return {}
    with open(path) as file:
        return {int(officer): step for officer, step in json.load(file).items()}


LAST_STEPS = _last_steps()


class StaffScenario(Scenario):
    """An officer who signs in through the real pages (password, then the code from bench/data.py's TOTP
    secret) before the first task, then works."""

    abstract = True

    def on_start(self):
        super().on_start()
        ready[type(self).__name__] -= 1  # ready once signed in
        self.officer = next(_officers)
        self.headers["X-Forwarded-For"] = f"2001:db8:5::{self.officer:x}"
        self.signed_in = False

    def answered(self) -> None:
        if self.signed_in:  # the first answer after signing in
            super().answered()

    def signed_in_or_sign_in(self) -> bool:
        if not self.signed_in:
            try:
                self.sign_in()
            except JourneyBroken as broken_at:
                broken[str(broken_at).split(":")[0]] += 1
                time.sleep(2)  # not straight again: five failures in a row lock the account
                return False
            self.signed_in = True
            ready[type(self).__name__] += 1
        return True

    def sign_in(self):
        import pyotp

        from bench.data import OFFICER_PASSWORD, officer_email, totp_secret

        email = officer_email(self.officer)
        html = self.page("/staff/sign-in", "staff: sign in")
        location = self.send("/staff/sign-in", "staff: sign in", {"email": email, "password": OFFICER_PASSWORD}, html)
        if not location.startswith("/staff/sign-in/security-code"):
            raise JourneyBroken(f"staff: sign in: {email}: the password step led to {location}")
        html = self.page(location, "staff: security code")
        step = self._next_step()
        code = pyotp.TOTP(totp_secret(self.officer)).at(step * TOTP_STEP)
        location = self.send(location, "staff: security code", {"code": code}, html)
        if not location.startswith("/staff/queue"):
            raise JourneyBroken(f"staff: security code: {email}: the code step led to {location}")
        totp_used[self.officer] = step

    def _next_step(self) -> int:
        """A time-step this account has not used yet: now, or the next one (a code is accepted one step either
        side of now), or, if both are spent, wait for them to come round."""
        step = max(int(time.time()) // TOTP_STEP, LAST_STEPS.get(self.officer, 0) + 1)
        while step > int(time.time()) // TOTP_STEP + 1:
            time.sleep(1)  # gevent-patched: only this user waits
        return step


class StaffQueue(StaffScenario):
    """The queue with a filter (one of QUEUE_FILTERS, an area's id filled in from the fixture)."""

    @task
    @journey
    def queue(self):
        if not self.signed_in_or_sign_in():
            return
        filters = dict(random.choice(QUEUE_FILTERS))  # noqa: S311
        if "area" in filters:
            filters["area"] = random.choice(FIXTURE["areas"] or [1])  # noqa: S311
        self.page(f"/staff/queue?{urlencode(filters)}", "staff: queue with a filter", contains="Triage queue</h1>")


class StaffReferral(StaffScenario):
    """A referral's page, for a reference picked at random from the loaded data."""

    @task
    @journey
    def referral(self):
        if not self.signed_in_or_sign_in():
            return
        reference = random.choice(FIXTURE["references"])  # noqa: S311
        self.page(f"/staff/referrals/{reference}", "staff: referral page", contains=reference)


class StaffInsights(StaffScenario):
    """The insights dashboard, for its default period (the last 12 months)."""

    @task
    @journey
    def insights(self):
        if not self.signed_in_or_sign_in():
            return
        self.page("/staff/insights", "staff: insights")


# --- The bare baseline (bench/baseline.py) ---


class BaselineHello(Scenario):
    @task
    @journey
    def hello(self):
        self.page("/hello", "baseline: hello")


class BaselineInsert(Scenario):
    @task
    def insert(self):
        if stopping:
            raise StopUser()
        body = urlencode({"title": "A new item", "body": "Some words about it. " * 10})
        headers = {**self.headers, "Content-Type": "application/x-www-form-urlencoded"}
        with self.client.post("/items", name="baseline: insert", data=body, headers=headers, catch_response=True) as r:
            self.answered()
            if r.status_code != 201:
                r.failure(f"{r.status_code}")


class BaselineList(Scenario):
    @task
    @journey
    def list_items(self):
        self.page("/items", "baseline: list 50")


SCENARIOS = {
    "home": Home,
    "report": ReportJourney,
    "volunteer": VolunteerSignUp,
    "queue": StaffQueue,
    "referral": StaffReferral,
    "insights": StaffInsights,
    "hello": BaselineHello,
    "insert": BaselineInsert,
    "list": BaselineList,
}
