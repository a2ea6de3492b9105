"""Database connection settings that SQLAlchemy cannot express in a URL."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def enable_migrations(app: Flask) -> Flask:
    """Flask-Migrate on `app`, for `flask db …` (portal.cli loads it when such a command runs) and for
    flask_migrate's upgrade() and downgrade() in tests and benchmarks. Web workers never migrate, and are better
    without it: importing it (Alembic, Mako, Pygments) costs each worker 11 MB of memory."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        from portal.extensions import db

        Migrate(app, db, directory=str(MIGRATIONS))
    return app


def configure_sqlite(engine: Engine) -> None:
    """The web app and the outbox worker share one SQLite file: let readers and a writer work side by
    side (WAL), wait for a lock instead of failing at once, and enforce foreign keys."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def configure_postgresql(engine: Engine) -> None:
    """PostgreSQL compiles a query to machine code (JIT) once its estimated cost is high, as the queue's counts
    are with a million referrals: 25 ms of compiling to save a few. Short web queries are better without it, so
    each of the portal's connections turns it off."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "connect")
    def turn_jit_off(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()  # a SET in a transaction rolled back would be undone with it


@contextmanager
def write_transaction(session: Session | scoped_session) -> Iterator[None]:
    """A short transaction that reads rows and then changes them: committed on success, rolled back on any
    error (or on a BaseException, such as the process being stopped).

    On SQLite it starts with BEGIN IMMEDIATE, so the database's one write lock is taken before anything is
    read: two outbox workers cannot both read a message as free, and a transaction that read first cannot be
    refused the lock when it comes to write (SQLITE_BUSY in WAL mode, which waiting does not cure). On
    PostgreSQL the transaction begins as usual and the caller locks the rows it needs (FOR UPDATE).

    The caller owns the session (a worker's): whatever transaction it had open is committed first, because
    BEGIN IMMEDIATE must be the first statement of a transaction. The web app's transactions are untouched.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.in_transaction():
        session.commit()
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        session.rollback()
        raise
    session.commit()
