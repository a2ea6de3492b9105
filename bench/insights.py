"""How long do the insights queries take on a large partnership's history?

    .venv/bin/python bench/insights.py --referrals 100000
    .venv/bin/python bench/insights.py --referrals 100000 --database-url postgresql://postgres@127.0.0.1/insights_bench

Builds a database (by default SQLite in a temporary directory; a --database-url is emptied and migrated first, so
give it a scratch database) with the demo partnership and N made-up referrals over the last 24 months, planned as
the demo history is (portal/demo_history.py) but written in bulk, and only the tables the insights read: referral,
referral_statistic, referral_statistic_strand and route. Then it times every public function of
portal/insights/queries.py that takes (period), (period, now) or (now), over the last 12 months, prints the median
of 5 runs of each in milliseconds, the median of 5 whole dashboards (portal.insights.service.build_dashboard: every
query, for the period and the period before), and on SQLite the EXPLAIN QUERY PLAN of the slowest query's SQL.
"""

import argparse
import inspect
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, insert, text  # noqa: E402

from config import DevelopmentConfig, _database_url  # noqa: E402

MONTHS = 24  # of history: the 12 months timed, and the 12 before them that the dashboard compares with
CHUNK = 10_000
RUNS = 5


def make_app(url: str):
    from portal import create_app
    from portal.database import enable_migrations

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = _database_url(url)

    return enable_migrations(create_app(Config))


def prepare(db, referrals: int, now: datetime) -> float:
    """An empty, migrated database with the demo partnership and `referrals` made-up referrals; seconds taken."""
    from flask_migrate import upgrade

    from portal.demo_history import plan_history
    from portal.demo_referrals import load_setting
    from portal.seed import seed_demo

    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade()
    seed_demo(with_staff=False)
    db.session.commit()
    began = time.perf_counter()
    per_month = -(-referrals // MONTHS)
    plan = plan_history(load_setting(), months=MONTHS, per_month=(per_month, per_month), seed=2026, now=now)
    plan = plan[-referrals:]
    planned = time.perf_counter()
    write_plan(db, plan)
    written = time.perf_counter()
    print(f"Planned {len(plan)} referrals in {planned - began:.1f}s, written in {written - planned:.1f}s")
    return written - began


def write_plan(db, plan) -> None:
    """The plan as rows of the four tables the insights read, inserted in bulk."""
    from portal.models import Referral, ReferralStatistic, ReferralStatisticStrand, Route

    zone = ZoneInfo("Europe/London")
    tables = {Referral: [], ReferralStatistic: [], ReferralStatisticStrand: [], Route: []}
    for referral_id, planned in enumerate(plan, start=1):
        tables[Referral].append(
            {
                "id": referral_id,
                "reference": planned.reference,
                "kind": planned.kind,
                "status": planned.status,
                "priority": planned.priority,
                "created_at": planned.created_at,
                "updated_at": planned.updated_at,
                "classification": planned.classification,
                "triage_due_at": planned.triage_due_at,
                "triaged_at": planned.triaged_at,
                "closed_at": planned.closed_at,
                "close_outcome": planned.close_outcome,
            }
        )
        received_on = planned.created_at.astimezone(zone).date()
        tables[ReferralStatistic].append(
            {
                "referral_id": referral_id,
                "kind": planned.kind,
                "received_on": received_on,
                "received_month": received_on.strftime("%Y-%m"),
                "area_id": planned.area_id,
                "reporter_role": planned.reporter_role,
                "anonymous": planned.anonymous,
                "consent_police": planned.consent_police,
                "scheme_id": planned.scheme.id if planned.scheme else None,
                "volunteer_outcome": planned.outcome,
                "triage_working_minutes": planned.triage_minutes,
                "created_at": planned.created_at,
            }
        )
        tables[ReferralStatisticStrand] += [{"referral_id": referral_id, "strand": s} for s in sorted(planned.strands)]
        tables[Route] += [
            {
                "referral_id": referral_id,
                "partner_id": route.partner.id,
                "status": route.status,
                "created_at": route.created_at,
                "sent_at": route.sent_at,
                "ack_due_at": route.ack_due_at,
                "acknowledged_at": route.acknowledged_at,
                "handed_back_at": route.handed_back_at,
                "ack_working_minutes": route.ack_minutes,
            }
            for route in planned.routes
        ]
    for model, rows in tables.items():
        for start in range(0, len(rows), CHUNK):
            db.session.execute(insert(model), rows[start : start + CHUNK])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    print("Rows: " + ", ".join(f"{model.__tablename__} {len(rows)}" for model, rows in tables.items()))


def timed_queries():
    """(name, call) for each public query of portal/insights/queries.py, given a period and now."""
    from portal.insights import queries

    found = []
    for name, function in inspect.getmembers(queries, inspect.isfunction):
        if name.startswith("_") or function.__module__ != queries.__name__:
            continue
        parameters = [p.name for p in inspect.signature(function).parameters.values() if p.default is p.empty]
        if parameters in (["period"], ["period", "now"], ["now"]):
            found.append((name, parameters, function))
    return found


def median_ms(call) -> float:
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def explain(db, call) -> None:
    """EXPLAIN QUERY PLAN of every statement `call` runs (SQLite)."""
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    connection = db.session.connection().connection.driver_connection
    for statement, parameters in statements:
        print(f"\n{statement}\n  parameters: {parameters}")
        for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters):
            print(f"  {row[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--database-url", help="a scratch database (emptied); default SQLite in a temporary directory")
    parser.add_argument("--analyze", action="store_true", help="run ANALYZE on SQLite before timing")
    parser.add_argument("--explain", nargs="*", default=[], help="queries to explain as well as the slowest (SQLite)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        app = make_app(args.database_url or f"sqlite:///{scratch}/insights.sqlite")
        with app.app_context(), app.test_request_context():
            from portal.extensions import db
            from portal.insights.periods import Period
            from portal.insights.service import build_dashboard

            now = datetime.now(UTC)
            prepare(db, args.referrals, now)
            sqlite = db.engine.dialect.name == "sqlite"
            if sqlite and args.analyze:
                db.session.execute(text("ANALYZE"))
                db.session.commit()
            period = Period.last_months(12, now.astimezone(ZoneInfo("Europe/London")).date())
            print(f"\n{db.engine.dialect.name}, {args.referrals} referrals, period {period.start} to {period.end}")
            arguments = {"period": period, "now": now}
            results = []
            for name, parameters, function in timed_queries():
                call = lambda function=function, parameters=parameters: function(*(arguments[p] for p in parameters))  # noqa: E731
                results.append((median_ms(call), name, call))
                print(f"  {name:32} {results[-1][0]:9.1f} ms")
            print(f"  {'sum of the queries above':32} {sum(ms for ms, *_ in results):9.1f} ms")
            dashboard = median_ms(lambda: build_dashboard(period, now))
            print(f"  {'whole dashboard (build_dashboard)':32} {dashboard:9.1f} ms   (median of {RUNS})")
            slowest_ms, slowest, call = max(results, key=lambda result: result[0])
            if sqlite:
                print(f"\nSlowest: {slowest} ({slowest_ms:.1f} ms). Its query plans:")
                explain(db, call)
                for ms, name, call in results:
                    if name in args.explain and name != slowest:
                        print(f"\n{name} ({ms:.1f} ms):")
                        explain(db, call)


if __name__ == "__main__":
    main()
