"""CPU per page inside one process, without gunicorn, HTTP or the load driver: for trying a change to a page and
seeing what it saves, side by side with the code before it (`git stash`), in a minute or two.

    .venv/bin/python bench/inprocess.py                          # both journeys, queue, referral page; 10,000
    .venv/bin/python bench/inprocess.py --pages report --batches 8
    .venv/bin/python bench/inprocess.py --profile queue           # cProfile one page type, the top functions
    .venv/bin/python bench/inprocess.py --profile queue --sort tottime --top 60

The portal runs with the benchmark's production settings (bench/portal_wsgi.py) on a new SQLite database loaded by
bench/data.py. The report journey and the volunteer sign-up are locustfile.py's, with answers.py's answers, page by
page, each resident from their own address; the staff pages are signed in as a bench officer. Each figure is the
best of several batches of `time.process_time()`: a virtual machine's speed drifts between runs (by a quarter, on
the machine the README's figures come from), so compare only runs made one after the other. Needs the benchmark's
requirements (`make bench` installs them).
"""

import argparse
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

# The repository, in place of bench/ itself, whose profile.py would hide the standard library's (cProfile's).
sys.path[0] = str(Path(__file__).resolve().parents[1])
import cProfile  # noqa: E402
import pstats  # noqa: E402

from bench import answers as scenarios  # noqa: E402
from bench import data  # noqa: E402

SECRET_KEY = "bench-inprocess-secret-key-not-for-production"  # noqa: S105 - a scratch database
OFFICER = 1
JOURNEYS = ("report", "volunteer")  # measured a whole journey at a time


def load(url: str, referrals: int):
    """The bench portal on a new database of `referrals` made-up referrals."""
    from flask_migrate import upgrade

    from bench.portal_wsgi import create_bench_app

    data.empty_database(url)
    loader = data.make_app(url)
    with loader.app_context():
        upgrade()
        data.prepare(loader)
        data.grow(loader, referrals)
    return create_bench_app(url, secret_key=SECRET_KEY)


class Pages:
    """The pages measured, each a function of the run's number that requests one page (or one whole journey)."""

    def __init__(self, app):
        from portal.extensions import db

        self.app, self.spent = app, defaultdict(list)
        with app.app_context():
            # Referrals from all through the data, old (their answers purged) and new, in an order of their own
            # (as bench/run.py's random sample), the same ones on every run and database, so that two runs compare
            # the same pages.
            spread = "SELECT reference FROM referral WHERE id % 20 = 0 ORDER BY id LIMIT 500"
            self.references = list(db.session.execute(db.text(spread)).scalars())
            random.Random(11).shuffle(self.references)  # noqa: S311 - an order, not a secret
            self.areas = list(db.session.execute(db.text("SELECT id FROM area")).scalars())
        scenarios.FIXTURE["areas"] = self.areas  # residents choose one, as in bench/run.py's runs
        self.officer = None

    def timed(self, name: str, call):
        began = time.process_time()
        response = call()
        self.spent[name].append(time.process_time() - began)
        return response

    def report(self, number: int) -> None:
        """A whole report, as locustfile.ReportJourney sends it; each page's CPU under its own name."""
        get, post = self._resident("report")
        answers = scenarios.report_answers(random.Random(number))  # noqa: S311 - made-up answers
        journey = scenarios.JOURNEY
        get(f"{journey}/start", "start page")
        post(f"{journey}/", "emergency question", {"in_danger": "no"}, get(f"{journey}/", "emergency question"))
        self._questions(f"{journey}/who", answers, get, post)

    def volunteer(self, number: int) -> None:
        """A whole sign-up, as locustfile.VolunteerSignUp sends it, to the scheme it would choose."""
        get, post = self._resident("volunteer")
        answers = scenarios.sign_up_answers(random.Random(number))  # noqa: S311 - made-up answers
        scheme = f"/volunteer/{scenarios.FIXTURE['scheme']}"
        get(f"{scheme}/", "scheme page")
        started = self.timed("volunteer: GET start", lambda: get.client.get(f"{scheme}/start", headers=get.headers))
        self._questions(scenarios.path_of(started.headers["Location"]), answers, get, post)

    def _resident(self, journey: str):
        """GET and POST for one resident, from their own address, each timed as `journey: METHOD page`."""
        client = self.app.test_client()
        headers = {"X-Forwarded-For": scenarios.resident_address()}

        def get(path, name):
            response = self.timed(f"{journey}: GET {name}", lambda: client.get(path, headers=headers))
            assert response.status_code == 200, (path, response.status_code)
            return response.get_data(as_text=True)

        def post(path, name, answers, html):
            body = urlencode([("csrf_token", scenarios.csrf_token(html)), *scenarios.pairs(answers)])
            kind = "application/x-www-form-urlencoded"
            response = self.timed(
                f"{journey}: POST {name}", lambda: client.post(path, data=body, content_type=kind, headers=headers)
            )
            assert response.status_code in (302, 303), (path, response.status_code)
            return scenarios.path_of(response.headers["Location"])

        get.client, get.headers = client, headers
        return get, post

    @staticmethod
    def _questions(location: str, answers: dict, get, post) -> None:
        """Every question page from `location` to check answers, then the send and the confirmation."""
        while not location.endswith("/check-answers"):
            slug = location.rsplit("/", 1)[1]
            location = post(location, "question page", answers.get(slug, {}), get(location, "question page"))
        html = get(location, "check answers")
        get(post(location, "send", {}, html), "confirmation")

    def queue(self, number: int) -> None:
        filters = dict(scenarios.QUEUE_FILTERS[number % len(scenarios.QUEUE_FILTERS)])
        if "area" in filters:
            filters["area"] = self.areas[number % len(self.areas)]
        self._staff_page("queue", f"/staff/queue?{urlencode(filters)}")

    def referral(self, number: int) -> None:
        self._staff_page("referral page", f"/staff/referrals/{self.references[number % len(self.references)]}")

    def _staff_page(self, name: str, path: str) -> None:
        client = self.officer or self._sign_in()
        response = self.timed(name, lambda: client.get(path, headers={"X-Forwarded-For": "2001:db8:5::1"}))
        assert response.status_code == 200, (path, response.status_code)

    def _sign_in(self):
        import pyotp

        client, headers = self.app.test_client(), {"X-Forwarded-For": "2001:db8:5::1"}
        html = client.get("/staff/sign-in", headers=headers).get_data(as_text=True)
        answers = {"email": data.officer_email(OFFICER), "password": data.OFFICER_PASSWORD}
        response = client.post(
            "/staff/sign-in", data={"csrf_token": scenarios.csrf_token(html), **answers}, headers=headers
        )
        html = client.get(response.headers["Location"], headers=headers).get_data(as_text=True)
        code = pyotp.TOTP(data.totp_secret(OFFICER)).now()
        client.post(
            response.headers["Location"], data={"csrf_token": scenarios.csrf_token(html), "code": code}, headers=headers
        )
        self.officer = client
        return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a scratch database, emptied first; default SQLite in a temporary dir")
    parser.add_argument("--referrals", type=int, default=10_000)
    parser.add_argument(
        "--pages", default="report,volunteer,queue,referral", help="of report, volunteer, queue, referral"
    )
    parser.add_argument("--batches", type=int, default=5, help="the best batch is reported")
    parser.add_argument("--runs", type=int, default=40, help="in each batch: pages (a quarter as many journeys)")
    parser.add_argument("--profile", help="one page type to run under cProfile (after the batches)")
    parser.add_argument("--sort", default="cumulative", help="the profile's order: cumulative, tottime…")
    parser.add_argument("--top", type=int, default=40, help="how many of the profile's functions to print")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        app = load(args.database_url or f"sqlite:///{scratch}/inprocess.sqlite", args.referrals)
        pages = Pages(app)
        for page in args.pages.split(","):
            measure(pages, page, args.batches, args.runs if page not in JOURNEYS else max(1, args.runs // 4))
        if args.profile:
            profile(pages, args.profile, args.runs, args.sort, args.top)


def measure(pages: Pages, page: str, batches: int, runs: int) -> None:
    run = getattr(pages, page)
    for number in range(3):  # warm: templates compiled, caches filled
        run(number)
    best: dict[str, float] = {}
    for _batch in range(batches):
        pages.spent.clear()
        for number in range(runs):
            run(number)
        for name, seconds in pages.spent.items():
            best[name] = min(best.get(name, float("inf")), 1000 * sum(seconds) / len(seconds))
        if page in JOURNEYS:
            requests = sum(len(seconds) for seconds in pages.spent.values())
            whole = 1000 * sum(sum(seconds) for seconds in pages.spent.values()) / requests
            best[f"{page}: every request"] = min(best.get(f"{page}: every request", float("inf")), whole)
    for name, milliseconds in best.items():
        print(f"{name:40} {milliseconds:7.2f} ms of CPU (best of {batches} batches)")


def profile(pages: Pages, page: str, runs: int, order: str, top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for number in range(runs):
        getattr(pages, page)(number)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(order).print_stats(top)


if __name__ == "__main__":
    main()
