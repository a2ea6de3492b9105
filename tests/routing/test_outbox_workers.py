"""Two outbox workers, as two processes running `flask --app wsgi outbox run --once`, share one database
and one real SMTP server: every message is delivered exactly once. On PostgreSQL the workers claim with
FOR UPDATE SKIP LOCKED; on SQLite with BEGIN IMMEDIATE."""

import os
import re
import subprocess
import sys
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

from portal.extensions import db as _db
from portal.models import EventType, OutboxMessage, OutboxStatus, Partner, ReferralEvent, Route, RouteStatus
from portal.routing.outbox import enqueue_email
from portal.routing.service import route_referral
from tests.conftest import make_referral

MESSAGES = 1000
ROUTES = 20
WORKERS = 2
PROJECT = Path(__file__).resolve().parents[2]


def queue_messages(officer) -> list[str]:
    """MESSAGES messages spread over ROUTES routes, so that workers also take turns on the routes' state."""
    partner = _db.session.execute(_db.select(Partner).filter_by(slug="victim-witness-hub")).scalar_one()
    routes = [route_referral(make_referral(), partner, officer) for _ in range(ROUTES)]
    for number in range(MESSAGES - ROUTES):
        enqueue_email(
            recipient=f"partner-{number}@example.org",
            subject=f"Message {number}",
            body_text="A test of two workers.",
            route=routes[number % ROUTES],
        )
    _db.session.commit()
    return list(_db.session.execute(_db.select(OutboxMessage.message_id)).scalars())


def start_worker(app) -> subprocess.Popen:
    environment = {
        **os.environ,
        "PORTAL_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SMTP_HOST": app.config["SMTP_HOST"],
        "SMTP_PORT": str(app.config["SMTP_PORT"]),
        "SMTP_STARTTLS": "",
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "run", "--once"]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command
        flask, cwd=PROJECT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def test_two_workers_deliver_each_message_exactly_once(app, db, demo_config, officer, smtp_server):
    queued = queue_messages(officer)
    assert len(set(queued)) == MESSAGES
    started = time.monotonic()
    workers = [start_worker(app) for _ in range(WORKERS)]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    elapsed = time.monotonic() - started
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err.decode()
    sent_by = [int(re.search(rb"Outbox: (\d+) sent, 0 failed", out).group(1)) for out, _err in outputs]
    print(f"\n{MESSAGES} messages, {WORKERS} workers on {_db.engine.dialect.name}: {elapsed:.1f}s, sent {sent_by}")

    received = Counter(message_from_bytes(envelope.content)["Message-ID"] for envelope in smtp_server.handler.messages)
    assert set(received) == set(queued)
    assert set(received.values()) == {1}, [message_id for message_id, count in received.items() if count > 1]
    assert sum(sent_by) == MESSAGES
    assert all(sent_by), f"one worker did everything: {sent_by}"

    _db.session.expire_all()
    statuses = Counter(_db.session.execute(_db.select(OutboxMessage.status, OutboxMessage.attempts)).all())
    assert statuses == {(OutboxStatus.SENT, 1): MESSAGES}
    assert set(_db.session.execute(_db.select(Route.status)).scalars()) == {RouteStatus.SENT}
    sent_events = _db.session.execute(
        _db.select(_db.func.count(ReferralEvent.id)).filter_by(type=EventType.SENT)
    ).scalar_one()
    assert sent_events == ROUTES  # one per route, however many of its messages went
