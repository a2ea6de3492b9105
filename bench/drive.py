"""Drive one scenario of bench/locustfile.py against a running server and write what it measured as JSON.

    .venv/bin/python bench/drive.py --host http://127.0.0.1:8000 --scenario report --users 16 \
        --warmup 3 --duration 15 --output /tmp/report.json

bench/run.py starts it as its own process, so the load comes from outside the server. The users start
together and work in a closed loop (each sends its next request as soon as the last one answered). The
figures leave out the warm-up: it begins once every user is ready (staff signed in). Every request after
it is recorded, so the percentiles are exact, not locust's rounded histogram. Also measured over the same
window: this process's CPU (the driver shares the machine with the server), the gunicorn workers' CPU
(--server-pids) and PostgreSQL's for them (--database), so the CPU a request costs, and how busy the whole
machine was.
"""

import argparse
import json
import os
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gevent  # noqa: E402 - after locust's own gevent patching, which importing locust does first
from locust.env import Environment  # noqa: E402

from bench import locustfile  # noqa: E402
from bench.profile import start_recording  # noqa: E402

READY_TIMEOUT = 60  # seconds for every user to be ready (sign-in waits at most one 30-second code step)
WARM_TIMEOUT = 120  # seconds, after that, for every user's first answer
DRAIN_TIMEOUT = 180  # seconds for the requests in flight at the end to be answered


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values (0 when there are none)."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * share // 100))
    return ordered[int(rank) - 1]


def summary(requests: list, answered: int, seconds: float) -> dict:
    """Count, failures, rate (`answered` in `seconds`) and percentiles in milliseconds of these requests."""
    ordered = sorted(r.milliseconds for r in requests)
    return {
        "requests": len(ordered),
        "failures": sum(1 for r in requests if r.failed),
        "rps": answered / seconds if seconds > 0 else 0.0,
        "p50": percentile(ordered, 50),
        "p95": percentile(ordered, 95),
        "p99": percentile(ordered, 99),
        "max": ordered[-1] if ordered else 0.0,
    }


def cpu_by_pid(pids) -> dict[int, float]:
    """User and system CPU time of each of these processes so far, in seconds (those that ended are left out)."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return seconds


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings (a process that started in between counts from its start)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def database_backends(database: str | None) -> list[int]:
    """The PostgreSQL server processes serving `database` (the workers' connections), or none."""
    if not database:
        return []
    import psycopg

    from bench.servers import POSTGRES_ADMIN_URL

    with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=5) as connection:
        rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]).fetchall()
    return [pid for (pid,) in rows]


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Request:
    name: str
    start: float  # seconds since the epoch
    milliseconds: float
    failed: bool

    @property
    def end(self) -> float:
        return self.start + self.milliseconds / 1000


class Recorder:
    """Every request, with when it started, from the first user's first request."""

    def __init__(self, min_sample: int):
        self.min_sample = min_sample
        self.requests: list[Request] = []
        self.errors = Counter()

    def on_request(self, name, response_time, start_time, exception=None, **_ignored):
        self.requests.append(Request(name, start_time, response_time, exception is not None))
        if exception is not None:
            self.errors[f"{name}: {str(exception)[:160]}"] += 1

    def figures(self, start: float, end: float, ready: float) -> dict:
        """The requests started in the window [start, end) (each waited for, however long it took), the rate
        of those answered in it, overall and by page. A page so slow that fewer requests than users started in
        the window is measured over every request since the users were ready instead (`sparse`)."""
        sample = [r for r in self.requests if start <= r.start < end]
        answered = sum(1 for r in self.requests if start <= r.end < end)
        seconds, sparse = end - start, False
        if len(sample) < self.min_sample:
            sample = [r for r in self.requests if r.start >= ready]
            sparse = bool(sample)
            if sample:
                seconds = max(r.end for r in sample) - ready
                answered = len(sample)
        names = sorted({r.name for r in sample})
        return {
            **summary(sample, answered, seconds),
            "sparse": sparse,
            "by_name": {
                name: summary(
                    [r for r in sample if r.name == name],
                    sum(1 for r in sample if r.name == name and (sparse or r.end < end)),
                    seconds,
                )
                for name in names
            },
            "errors": dict(self.errors.most_common(10)),
        }


def drive(
    host: str,
    scenario: str,
    users: int,
    warmup: float,
    duration: float,
    server_pids: list[int],
    profile=None,
    database: str | None = None,
) -> dict:
    """Run the scenario; its figures. `profile` = (gunicorn master pid, output file): py-spy over the window.
    `database`: the PostgreSQL database the server uses, whose server processes' CPU counts with the workers'."""
    user_class = locustfile.SCENARIOS[scenario]
    env = Environment(user_classes=[user_class], host=host)
    recorder = Recorder(min_sample=users)  # at least one request per user, or the window is widened
    env.events.request.add_listener(recorder.on_request)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=min(users, 100))
    began = time.monotonic()
    while locustfile.ready[user_class.__name__] < users and time.monotonic() - began < READY_TIMEOUT:
        gevent.sleep(0.2)
    ready_after, ready_at = time.monotonic() - began, time.time()
    # Then every user's first answer: a page's first view fills caches, and on a large database can take a while.
    while locustfile.answered[user_class.__name__] < users and time.monotonic() - began < READY_TIMEOUT + WARM_TIMEOUT:
        gevent.sleep(0.2)
    answered_after = time.monotonic() - began
    gevent.sleep(warmup)

    locustfile.completed.clear()
    locustfile.broken.clear()
    locustfile.journey_requests.clear()
    recording = start_recording(profile[0], duration, profile[1]) if profile else None
    window_start = time.time()
    backends = database_backends(database)
    cpu_before, machine_before = own_cpu(), machine_ticks()
    server_before, database_before = cpu_by_pid(server_pids), cpu_by_pid(backends)
    gevent.sleep(duration)
    window_end = time.time()
    backends = database_backends(database)
    cpu_after, machine_after = own_cpu(), machine_ticks()
    server_after, database_after = cpu_by_pid(server_pids), cpu_by_pid(backends)
    completed, broken = dict(locustfile.completed), dict(locustfile.broken)
    journey_requests = dict(locustfile.journey_requests)
    locustfile.stopping = True  # each user stops before its next request: wait for the answers in flight
    runner.user_greenlets.join(timeout=DRAIN_TIMEOUT)
    drained = not runner.user_greenlets
    drain_seconds = time.time() - window_end
    runner.quit()
    if recording is not None:
        recording.wait(timeout=60)

    seconds = window_end - window_start
    busy = machine_after[0] - machine_before[0]
    total = machine_after[1] - machine_before[1]
    done = completed.get(scenario, 0)
    figures = recorder.figures(window_start, window_end, ready_at)
    server_cpu, database_cpu = cpu_used(server_before, server_after), cpu_used(database_before, database_after)
    answered = figures["rps"] * seconds
    cpu_per_request = 1000 * (server_cpu + database_cpu) / answered if answered and not figures["sparse"] else None
    return {
        "scenario": scenario,
        "host": host,
        "users": users,
        "warmup_seconds": warmup,
        "seconds": seconds,
        "ready_after_seconds": ready_after,
        "answered_after_seconds": answered_after,
        # The slowest answer of the whole run, warm-up included (a page's first view may fill a cache), but not
        # the sign-in pages.
        "slowest_ms": max(
            (r.milliseconds for r in recorder.requests if not r.name.startswith(("staff: sign in", "staff: security"))),
            default=0.0,
        ),
        "drain_seconds": drain_seconds,
        "drained": drained,
        "users_ready": locustfile.ready[user_class.__name__],
        **figures,
        "completed": done,
        "completed_in_run": locustfile.completed_in_run.get(scenario, 0),
        "completed_per_second": done / seconds,
        "requests_per_journey": journey_requests.get(scenario, 0) / done if done else None,
        "broken_journeys": broken,
        "driver_cpu_percent": 100 * (cpu_after - cpu_before) / seconds,
        "server_cpu_percent": 100 * server_cpu / seconds,
        "database_cpu_percent": 100 * database_cpu / seconds,
        # What a request costs the server (workers, and PostgreSQL's processes for them), whatever else the
        # machine was doing: the fair comparison on a machine that is not otherwise idle.
        "cpu_ms_per_request": cpu_per_request,
        "machine_busy_percent": 100 * busy / total if total else 0.0,
        "cores": os.cpu_count(),
        "totp_used": locustfile.totp_used,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--scenario", required=True, choices=sorted(locustfile.SCENARIOS))
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--server-pids", default="", help="comma-separated pids of the gunicorn workers")
    parser.add_argument("--database", help="the PostgreSQL database the server uses (its CPU counts too)")
    parser.add_argument("--output", help="write the JSON here (default: print it)")
    parser.add_argument("--profile", nargs=2, metavar=("MASTER_PID", "FILE"), help="py-spy the server into FILE")
    args = parser.parse_args()
    pids = [int(pid) for pid in args.server_pids.split(",") if pid]
    profile = (int(args.profile[0]), Path(args.profile[1])) if args.profile else None
    result = drive(args.host, args.scenario, args.users, args.warmup, args.duration, pids, profile, args.database)
    text = json.dumps(result, indent=2)
    if args.output:
        Path(args.output).write_text(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
