"""What bench/run.py starts and looks after: gunicorn (the portal and the baseline), scratch databases, Redis
for the rate limits, and the facts about this machine that go at the top of the results."""

import os
import platform
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# The Redis database the benchmark's rate-limit counters live in (emptied at each server start). The tests
# use database 0 (REDIS_URL), so this one is left to the benchmark.
REDIS_URL = "redis://127.0.0.1:6379/13"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """One gunicorn master and its workers, as production runs the portal: `workers` sync workers."""

    def __init__(self, app: str, *, workers: int, env: dict, log: Path):
        self.app, self.workers, self.env, self.log = app, workers, env, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.peak_rss_mb: dict[int, float] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        command = [
            str(BIN / "gunicorn"),
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "--graceful-timeout",
            "10",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            self.app,
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command line
                command, cwd=ROOT, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.app} stopped at start; see {self.log}")
            if len(self.worker_pids()) == self.workers and self._healthy():
                return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn {self.app} did not answer /healthz in {timeout:.0f}s; see {self.log}")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:  # noqa: S310 - our server
                return response.status == 200
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def sample_rss(self) -> float:
        """Each worker's peak resident memory so far (VmHWM), kept; the largest, in MB."""
        for pid in self.worker_pids():
            peak = _vm_hwm_mb(pid)
            if peak is not None:
                self.peak_rss_mb[pid] = max(peak, self.peak_rss_mb.get(pid, 0.0))
        return max(self.peak_rss_mb.values(), default=0.0)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.sample_rss()
        # Quick shutdown: the driver has already waited for every request in flight.
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# --- Databases ---


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used here, or None when it answers."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return None
    except Exception as error:  # noqa: BLE001 - any failure means: skip PostgreSQL, and say why
        return str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__


def postgres_url(name: str) -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def postgres_database(name: str, *, recreate: bool = True) -> str:
    """PostgreSQL database `name`, dropped and created again (or, without `recreate`, created if missing); its
    URL. Only the benchmark's own bench_ databases, never the tests' nor the bulk loader's."""
    import psycopg

    if not name.startswith("bench_") or name.startswith("bench_loader"):
        raise ValueError(f"refusing to recreate {name!r}: the benchmark only uses its own bench_ databases")
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if recreate or not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return postgres_url(name)


def rate_limit_storage() -> tuple[str, str]:
    """(RATELIMIT_STORAGE_URI, what it means): Redis, emptied, when it answers; memory otherwise."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.flushdb()
        return REDIS_URL, "Redis (shared by every worker, as in production)"
    except Exception:  # noqa: BLE001 - no Redis: fall back to memory, and say so
        return "memory://", "memory (each worker counts on its own: limits are per worker, not per server)"


# --- The machine ---


def machine_facts(postgres_url: str | None) -> dict:
    facts = {
        "cores": os.cpu_count(),
        "memory": f"{_meminfo_gb():.1f} GB",
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(postgres_url) if postgres_url else "not used",
        "os": f"{platform.system()} {platform.release()}",
    }
    for package in ("flask", "sqlalchemy", "gunicorn", "locust"):
        try:
            from importlib.metadata import version

            facts[package] = version(package)
        except Exception:  # noqa: BLE001, S112 - a missing package is left out of the facts
            continue
    return facts


def _meminfo_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _postgres_version(url: str) -> str:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001
        return "unknown"
