"""How fast do several outbox workers empty a queue, and is every message delivered exactly once?

    .venv/bin/python bench/outbox_workers.py --database-url postgresql://postgres@127.0.0.1/outbox_bench \
        --messages 1000 --workers 2

The database is emptied and migrated first: give it a scratch database. Messages go to a local aiosmtpd
server in this process; each worker is its own process running the real delivery loop.
"""

import argparse
import multiprocessing
import socket
import sys
import time
from collections import Counter
from datetime import datetime
from email import message_from_bytes
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import text  # noqa: E402

from config import DevelopmentConfig, _database_url  # noqa: E402


class Recorder:
    def __init__(self):
        self.message_ids = []

    async def handle_DATA(self, server, session, envelope):
        self.message_ids.append(message_from_bytes(envelope.content)["Message-ID"])
        return "250 OK"


def make_app(url: str, smtp_port: int):
    from portal import create_app

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = _database_url(url)
        SMTP_HOST, SMTP_PORT, SMTP_STARTTLS = "127.0.0.1", smtp_port, False

    return create_app(Config)


def prepare(url: str, smtp_port: int, messages: int, reset: bool = True) -> tuple[int, datetime]:
    """Queue `messages` emails; with `reset`, into an emptied, migrated database. Returns how many messages are
    due to be sent now (those queued, and any already due in a database that was not reset), and that moment."""
    from flask_migrate import upgrade

    from portal.database import enable_migrations
    from portal.extensions import db
    from portal.models._types import utcnow
    from portal.routing.outbox import enqueue_email

    app = make_app(url, smtp_port)
    with app.app_context():
        if reset:
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as connection:
                    connection.execute(text("DROP SCHEMA public CASCADE"))
                    connection.execute(text("CREATE SCHEMA public"))
            enable_migrations(app)
            upgrade()
        for number in range(messages):
            enqueue_email(recipient=f"partner-{number}@example.org", subject=f"Message {number}", body_text="Bench.")
        db.session.commit()
        now = utcnow()
        due = db.session.execute(_due_at(now)).scalar_one()
        db.engine.dispose()
        return due, now


def _due_at(moment: datetime):
    """How many messages wait to be sent that were due at `moment`."""
    from portal.extensions import db
    from portal.models import OutboxMessage, OutboxStatus

    return (
        db.select(db.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= moment)
    )


def left_unsent(url: str, smtp_port: int, moment: datetime) -> int:
    """How many of the messages due at `moment` are still waiting after the workers stopped (none, if every one
    was sent; a message of the loaded data that fell due while they worked is sent too, and not counted here)."""
    from portal.extensions import db

    app = make_app(url, smtp_port)
    with app.app_context():
        left = db.session.execute(_due_at(moment)).scalar_one()
        db.engine.dispose()
        return left


def work(url: str, smtp_port: int, start, results) -> None:
    from portal.routing.outbox import deliver_due_messages

    app = make_app(url, smtp_port)
    with app.app_context():
        start.wait()
        sent = 0
        while True:
            round_sent, _failed = deliver_due_messages(50)
            sent += round_sent
            if not round_sent:
                break
    results.put(sent)


def measure(url: str, messages: int, workers: int, reset: bool = True) -> dict:
    """Queue `messages` emails, then time `workers` worker processes sending every due message to a local SMTP
    sink; how many each sent, and whether any Message-ID arrived twice."""
    recorder = Recorder()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        due, moment = prepare(url, port, messages, reset=reset)
        context = multiprocessing.get_context("spawn")
        start, results = context.Event(), context.Queue()
        processes = [context.Process(target=work, args=(url, port, start, results)) for _ in range(workers)]
        for process in processes:
            process.start()
        time.sleep(3)  # let every worker import and connect before the clock starts
        began = time.perf_counter()
        start.set()
        sent = [results.get() for _ in processes]
        elapsed = time.perf_counter() - began
        for process in processes:
            process.join()
        left = left_unsent(url, port, moment)
    finally:
        controller.stop()
    counts = Counter(recorder.message_ids)
    return {
        "queued": messages,
        "due": due,
        "workers": workers,
        "seconds": elapsed,
        "per_second": sum(sent) / elapsed,
        "sent_per_worker": sent,
        "received": len(recorder.message_ids),
        "distinct": len(counts),
        "duplicates": sum(count - 1 for count in counts.values()),
        "left": left,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    result = measure(args.database_url, args.messages, args.workers)
    print(
        f"{args.messages} messages, {args.workers} workers: {result['seconds']:.1f}s "
        f"({result['per_second']:.0f} messages/s); sent per worker {result['sent_per_worker']}; "
        f"received {result['distinct']} distinct, {result['duplicates']} duplicates"
    )


if __name__ == "__main__":
    main()
