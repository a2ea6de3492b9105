"""Is the portal close to what Flask itself does on this machine, and does its cost grow with the page rather
than with the database? `make bench` runs this; issue 11 sets the targets.

    .venv/bin/python bench/run.py            # 10,000, 100,000 and 1,000,000 referrals, SQLite and PostgreSQL
    .venv/bin/python bench/run.py --quick    # small sizes, SQLite only, 5-second scenarios: a smoke test

For each database: scratch databases (a SQLite file in a temporary directory; PostgreSQL `bench_portal` and
`bench_baseline`, recreated, skipped with a message when PostgreSQL does not answer), migrated and loaded by
bench/data.py; the portal (bench/portal_wsgi.py) and the bare baseline (bench/baseline.py) under gunicorn with
the same workers; each scenario of bench/locustfile.py driven from its own process (bench/drive.py); then the
data grown to each larger size and the scenarios that depend on it run again; then the outbox, two workers
sending to a local SMTP sink (bench/outbox_workers.py). Just before and just after each scenario (and the outbox),
with nothing else of the benchmark running, a fixed pure-Python workload checks the machine's speed, which drifts on
a virtual machine. It prints the table and writes it, with the targets, to bench/results/<date>-<host>.md (and the
raw figures beside it as .json).
"""

import argparse
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import servers  # noqa: E402
from bench.profile import summary_of  # noqa: E402
from bench.report import TITLES, Results, Run, markdown, speed_cell, speed_notes, table, targets  # noqa: E402
from bench.speed import machine_speed, wait_until_idle  # noqa: E402

ROOT = servers.ROOT
RESULTS_DIR = ROOT / "bench" / "results"
BASELINE_SCENARIOS = ["hello", "insert", "list"]
PORTAL_SCENARIOS = ["home", "report", "volunteer", "queue", "referral", "insights"]
SCALE_SCENARIOS = ["queue", "referral", "insights"]  # run again at each size
STAFF_SCENARIOS = {"queue", "referral", "insights"}
OFFICERS = 32  # bench/data.py's bench-officer-01 … -32
KEPT_SQLITE = ROOT / "instance" / "bench"  # the portal's SQLite database with --reuse (instance/ is not committed)
REFERENCES_SAMPLED = 2000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="referrals, comma-separated, ascending")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--duration", type=float, default=12, help="seconds measured per scenario")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up left out of the figures")
    parser.add_argument("--users", type=int, default=16, help="concurrent users (at most 16 for staff scenarios)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn workers")
    parser.add_argument("--scenarios", default=",".join(BASELINE_SCENARIOS + PORTAL_SCENARIOS))
    parser.add_argument("--outbox-messages", type=int, default=2000, help="emails queued for the outbox (0: none)")
    parser.add_argument("--quick", action="store_true", help="sizes 1,000 and 3,000, SQLite only, 5 s scenarios")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the portal's database between runs (PostgreSQL bench_portal; SQLite in instance/bench/) and "
        "only add the referrals missing: for profiling and trying a fix at 1,000,000 without loading it again",
    )
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument(
        "--profile", default="", help="scenarios to sample with py-spy (e.g. queue,insights); summaries in results"
    )
    if parser.parse_known_args()[0].quick:  # quick defaults; anything given on the command line still wins
        parser.set_defaults(sizes="1000,3000", databases="sqlite", duration=5, warmup=1, outbox_messages=500)
    args = parser.parse_args()
    args.sizes = sorted(int(size) for size in args.sizes.split(","))
    args.databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    if unknown := set(args.databases) - {"sqlite", "postgresql"}:
        parser.error(f"--databases: sqlite, postgresql or both, comma-separated (not {', '.join(sorted(unknown))})")
    args.scenarios = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    args.profile = [name.strip() for name in args.profile.split(",") if name.strip()]
    if args.users > OFFICERS // 2:
        parser.error(f"--users: at most {OFFICERS // 2} (each staff user needs its own account)")
    return args


class Clock:
    """How long each phase took, for the end of the run."""

    def __init__(self, results: Results):
        self.results = results

    @contextmanager
    def __call__(self, name: str):
        began = time.monotonic()
        print(f"… {name}", flush=True)
        yield
        seconds = time.monotonic() - began
        self.results.timings.append((name, seconds))
        print(f"  {name}: {seconds:.1f}s", flush=True)


class Loader:
    """The portal's scratch database, migrated, seeded and grown by bench/data.py."""

    def __init__(self, url: str, secret_key: str):
        from bench.portal_wsgi import create_bench_app

        self.app = create_bench_app(url, secret_key=secret_key)

    def prepare(self) -> None:
        from flask_migrate import upgrade

        from bench import data
        from portal.database import enable_migrations

        with enable_migrations(self.app).app_context():
            upgrade()
            data.prepare(self.app)
        self._dispose()

    def grow(self, size: int) -> None:
        from bench import data

        with self.app.app_context():
            data.grow(self.app, size)
        self._dispose()

    def fixture(self) -> dict:
        """What the staff and resident scenarios pick from: a random sample of references, the areas and a scheme
        that takes sign-ups online."""
        from sqlalchemy import bindparam, text

        from portal.extensions import db

        with self.app.app_context():
            low, high = db.session.execute(text("SELECT min(id), max(id) FROM referral")).one()
            ids = random.sample(range(low, high + 1), min(REFERENCES_SAMPLED, high - low + 1)) if high else []
            references = []
            by_id = text("SELECT reference FROM referral WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
            for start in range(0, len(ids), 500):
                references += db.session.execute(by_id, {"ids": ids[start : start + 500]}).scalars()
            areas = list(db.session.execute(text("SELECT id FROM area ORDER BY id")).scalars())
            schemes = list(
                db.session.execute(
                    text(
                        "SELECT slug FROM volunteer_scheme WHERE NOT signpost_only AND status != 'closed' "
                        "AND (min_age IS NULL OR min_age <= 18) AND (max_age IS NULL OR max_age >= 70) "
                        "ORDER BY auto_route DESC, id"
                    )
                ).scalars()
            )
        self._dispose()
        return {"references": references, "areas": areas, "scheme": schemes[0] if schemes else "good-neighbour-scheme"}

    def _dispose(self) -> None:
        from portal.extensions import db

        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


class Bench:
    """One run: every database, size and scenario asked for."""

    def __init__(self, args: argparse.Namespace, scratch: Path, results: Results):
        self.args, self.scratch, self.results = args, scratch, results
        self.clock = Clock(results)
        self.secret_key = secrets.token_hex(32)
        self.storage, self.storage_note = servers.rate_limit_storage()
        self.totp_steps: dict[str, int] = {}
        self.staff_runs = 0
        self.first_speed: float | None = None  # the run's first speed check, which the others are a percentage of

    @contextmanager
    def speed_checked(self, server=None):
        """Check the machine's speed before and after the block (once the server is idle); the dict it yields is
        filled in after: each check as a percentage of the run's first, and in rounds per second."""
        speed: dict = {}
        before = self.check_speed(server)
        yield speed
        after = self.check_speed(server)
        speed.update(
            before_percent=100 * before / self.first_speed,
            after_percent=100 * after / self.first_speed,
            before_rounds_per_second=before,
            after_rounds_per_second=after,
        )

    def check_speed(self, server=None) -> float:
        if server is not None:
            wait_until_idle([server.process.pid, *server.worker_pids()])
        speed = machine_speed()
        if self.first_speed is None:
            self.first_speed = speed
            self.results.settings["machine_speed_first_check_rounds_per_second"] = speed
        return speed

    def database_urls(self, database: str) -> tuple[str, str]:
        """(the portal's, the baseline's): new and empty, except the portal's with --reuse."""
        if database == "sqlite":
            folder = KEPT_SQLITE if self.args.reuse else self.scratch
            folder.mkdir(parents=True, exist_ok=True)
            if not self.args.reuse:
                for path in folder.glob("portal.sqlite*"):
                    path.unlink()
            return f"sqlite:///{folder}/portal.sqlite", f"sqlite:///{self.scratch}/baseline.sqlite"
        portal = servers.postgres_database("bench_portal", recreate=not self.args.reuse)
        return portal, servers.postgres_database("bench_baseline")

    def run_database(self, database: str) -> None:
        from bench.baseline import create_items

        portal_url, baseline_url = self.database_urls(database)
        with self.clock(f"{database}: baseline table"):
            create_items(baseline_url)
        loader = Loader(portal_url, self.secret_key)
        with self.clock(f"{database}: migrate and seed"):
            loader.prepare()
        for index, size in enumerate(self.args.sizes):
            with self.clock(f"{database}: load to {size:,} referrals"):
                loader.grow(size)  # which analyses the tables, as autovacuum would have by now
                fixture_path = self.scratch / f"fixture-{database}-{size}.json"
                fixture_path.write_text(json.dumps(loader.fixture()))
            if index == 0:
                self.serve_and_drive(database, size, "baseline", baseline_url, BASELINE_SCENARIOS, fixture_path)
            scenarios = PORTAL_SCENARIOS if index == 0 else SCALE_SCENARIOS
            self.serve_and_drive(database, size, "portal", portal_url, scenarios, fixture_path)
        if self.args.outbox_messages:
            self.run_outbox(database, portal_url, self.args.sizes[-1])

    def serve_and_drive(self, database, size, which, url, scenarios, fixture_path) -> None:
        scenarios = [name for name in scenarios if name in self.args.scenarios]
        if not scenarios:
            return
        if which == "portal":
            app, env = "bench.portal_wsgi:create_bench_app()", self.portal_env(url)
        else:
            app, env = "bench.baseline:create_app()", {"BASELINE_DATABASE_URL": url}
        server = servers.Gunicorn(app, workers=self.args.workers, env=env, log=self.scratch / f"{which}.log")
        if which == "portal":
            servers.rate_limit_storage()  # empty the counters
        with self.clock(f"{database}: {which} at {size:,} referrals: {', '.join(scenarios)}"):
            server.start()
            try:
                for scenario in scenarios:
                    self.drive(server, scenario, database, size, fixture_path)
            finally:
                server.stop()

    def portal_env(self, url: str) -> dict:
        env = {
            "PORTAL_ENV": "production",
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": url,
            "RATELIMIT_STORAGE_URI": self.storage,
        }
        if self.storage.startswith("redis://"):
            env["CACHE_REDIS_URL"] = self.storage  # the insights' cache, shared by the workers as in production
        return env

    def drive(self, server, scenario: str, database: str, size: int, fixture_path: Path) -> None:
        output = self.scratch / f"{database}-{size}-{scenario}.json"
        env = {**os.environ, "BENCH_FIXTURE": str(fixture_path)}
        if scenario in STAFF_SCENARIOS:
            sets = max(1, OFFICERS // self.args.users)
            env["BENCH_OFFICER_FIRST"] = str(1 + self.args.users * (self.staff_runs % sets))
            steps = self.scratch / "totp-steps.json"
            steps.write_text(json.dumps(self.totp_steps))
            env["BENCH_TOTP_STEPS"] = str(steps)
            self.staff_runs += 1
        command = [
            sys.executable,
            str(ROOT / "bench" / "drive.py"),
            *("--host", server.url, "--scenario", scenario, "--users", str(self.args.users)),
            *("--warmup", str(self.args.warmup), "--duration", str(self.args.duration)),
            *("--server-pids", ",".join(str(pid) for pid in server.worker_pids()), "--output", str(output)),
        ]
        if database == "postgresql":
            command += ["--database", "bench_baseline" if scenario in BASELINE_SCENARIOS else "bench_portal"]
        stacks = self.scratch / f"{database}-{size}-{scenario}.stacks"
        if scenario in self.args.profile:
            command += ["--profile", str(server.process.pid), str(stacks)]
        with (self.scratch / "driver.log").open("ab") as log, self.speed_checked(server) as speed:
            subprocess.run(  # noqa: S603 - our own command line
                command,
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=self.args.warmup + self.args.duration + 180,
            )
        figures = json.loads(output.read_text())
        self.totp_steps.update({str(officer): step for officer, step in figures["totp_used"].items()})
        run = Run(scenario, database, size, figures, server.sample_rss(), machine_speed=speed)
        self.results.runs.append(run)
        print(_one_line(run, self.results.ratio(run)), flush=True)
        if scenario in self.args.profile:
            self.results.profiles[f"{TITLES[scenario]}, {database}, {size:,} referrals"] = summary_of(stacks)
            if stacks.exists():
                self.results.profile_stacks[f"{database}-{size}-{scenario}"] = stacks.read_text()

    def run_outbox(self, database: str, url: str, size: int) -> None:
        from bench.outbox_workers import measure

        with self.clock(f"{database}: outbox, {self.args.outbox_messages:,} emails at {size:,} referrals"):
            with self.speed_checked() as speed:
                result = measure(url, self.args.outbox_messages, workers=2, reset=False)
        self.results.outbox.append({"database": database, "size": size, **result, "machine_speed": speed})
        print(
            f"  outbox: {result['per_second']:.0f} emails/s, {result['distinct']:,} of {result['due']:,} due "
            f"received, {result['duplicates']} sent twice; machine speed {speed_cell(speed)}",
            flush=True,
        )


def _one_line(run: Run, ratio: float | None) -> str:
    f = run.figures
    journey = run.scenario in ("report", "volunteer")
    extra = f", {f['completed_per_second']:.2f} sent/s ({f['completed_in_run']} in the whole run)" if journey else ""
    extra += f" (slow: {f['requests']} requests from the start)" if f.get("sparse") else ""
    versus = f", {ratio:.0%} of baseline" if ratio is not None else ""
    problems = f"  FAILURES {f['failures']}: {f['errors']} broken: {f['broken_journeys']}" if f["failures"] else ""
    return (
        f"  {run.database} {run.size:,} {run.scenario}: {f['rps']:.0f} req/s{extra}, p50 {f['p50']:.0f} "
        f"p95 {f['p95']:.0f} p99 {f['p99']:.0f} ms{versus}; RSS {run.rss_mb:.0f} MB; driver CPU "
        f"{f['driver_cpu_percent']:.0f}%, server {f['server_cpu_percent']:.0f}%, machine busy "
        f"{f['machine_busy_percent']:.0f}%, machine speed {speed_cell(run.machine_speed)}{problems}"
    )


def main() -> None:
    args = parse_args()
    began, started = time.monotonic(), datetime.now()
    databases = list(args.databases)
    skipped = []
    if "postgresql" in databases and (problem := servers.postgres_problem()):
        databases.remove("postgresql")
        skipped.append(f"PostgreSQL: not reachable at {servers.POSTGRES_ADMIN_URL} ({problem}); SQLite only.")
        print(f"Skipping PostgreSQL: {problem}", flush=True)
    pg_url = servers.POSTGRES_ADMIN_URL if "postgresql" in databases else None
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        results = Results(servers.machine_facts(pg_url), {}, skipped=skipped)
        bench = Bench(args, scratch, results)
        results.settings["description"] = (
            f"{args.users} concurrent users per scenario, {args.warmup:g} s warm-up then {args.duration:g} s measured; "
            f"gunicorn with {args.workers} sync workers for the portal and the baseline alike; rate limits (and the "
            f"insights' cache) in {bench.storage_note}; referrals {', '.join(f'{size:,}' for size in args.sizes)}; "
            f"databases {', '.join(databases)}."
        )
        print(results.settings["description"], flush=True)
        try:
            for database in databases:
                bench.run_database(database)
        except BaseException:
            results.skipped.append("The run stopped early, with an error: these are the results up to then.")
            raise
        finally:
            for log in sorted(scratch.glob("*.log")):
                if "Traceback" in log.read_text(errors="replace"):
                    print(f"\n--- {log.name} (last lines) ---\n" + "\n".join(log.read_text().splitlines()[-30:]))
            write_results(args.results_dir, results, started, time.monotonic() - began)


def write_results(directory: Path, results: Results, started: datetime, total: float) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    host = "".join(c if c.isalnum() or c in "-." else "-" for c in socket.gethostname())[:40] or "machine"
    stem = directory / f"{started:%Y-%m-%d-%H%M}-{host}"
    text = markdown(results, f"{started:%Y-%m-%d %H:%M}", total)
    stem.with_suffix(".md").write_text(text)
    raw = {"facts": results.facts, "settings": results.settings, "runs": [vars(run) for run in results.runs]}
    stem.with_suffix(".json").write_text(json.dumps({**raw, "outbox": results.outbox}, indent=1))
    for name, stacks in results.profile_stacks.items():
        stem.with_name(f"{stem.name}-{name}.stacks").write_text(stacks)
    print("\n" + table(results) + "\n")
    print("\n".join(speed_notes(results) + [""]))
    print("\n".join(targets(results)))
    print(f"\nWritten: {stem.with_suffix('.md')}")
    print(f"Total time: {total / 60:.1f} minutes ({total:.0f} s)")


if __name__ == "__main__":
    main()
