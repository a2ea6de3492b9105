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
hundred to a few thousand (`planning.open_queue_size`), whatever the size.

Forked processes plan the referrals a chunk at a time (bench/history.py, from bench/planning.py's shares and
words), turn each into rows (bench/rows.py) and write each chunk in a transaction of its own (PostgreSQL COPY,
SQLite executemany; bench/loader.py), so a failure keeps what was loaded before it. For a large load the tables'
secondary indexes and PostgreSQL's foreign keys are dropped first and rebuilt at the end (`loader.Loader`).

The command line empties and migrates the database (a PostgreSQL one must have "bench" in its name), then grows it
to each size in turn, printing the seconds taken, the rows in each table, the peak memory and the database's size.
"""

import argparse
import logging
import os
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text  # noqa: E402

from bench.history import CHUNK, History  # noqa: E402
from bench.loader import Loader  # noqa: E402
from bench.planning import OFFICER_PASSWORD, OFFICERS, officer_email, totp_secret  # noqa: E402
from config import DevelopmentConfig, _database_url  # noqa: E402
from portal.auth.passwords import password_problem  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import (  # noqa: E402
    Referral,
    StaffRole,
    StaffUser,
)
from portal.models._types import utcnow  # noqa: E402
from portal.seed import seed_demo  # noqa: E402

log = logging.getLogger(__name__)

BULK = 50_000  # from this many new referrals, indexes and foreign keys are rebuilt rather than kept up to date


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
