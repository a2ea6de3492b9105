"""Writing planned rows: PostgreSQL COPY or SQLite executemany, a chunk per transaction, and for a large load the
secondary indexes and PostgreSQL's foreign keys dropped first and rebuilt at the end."""

import collections
import sqlite3
import time

from sqlalchemy import text

from bench.rows import TABLES

CHECKPOINT_EVERY = 4  # chunks, on SQLite

SEQUENCES = ("referral", "referral_event", "route", "outbox_message")

# --- Writing ---


def load(rows: dict, database: str) -> dict:
    """Write a chunk's rows to the database at `database` in a transaction of their own, from the process that
    planned them, through a connection of its own: PostgreSQL with COPY, SQLite with executemany (its writers take
    turns; the loader checkpoints the journal). Returns how many rows went into each table."""
    if database not in _CONNECTIONS:
        _CONNECTIONS[database] = _connect(database)
    connection = _CONNECTIONS[database]
    if isinstance(connection, sqlite3.Connection):
        connection.execute("BEGIN IMMEDIATE")
        for table, columns in TABLES.items():
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
            connection.executemany(insert, rows[table])
        connection.commit()
    else:
        with connection.transaction(), connection.cursor() as cursor:
            for table, columns in TABLES.items():
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows[table]:
                        copy.write_row(row)
    return {table: len(rows[table]) for table in TABLES}


_CONNECTIONS = {}  # this process's own connections, by database


def _connect(database: str):
    if database.startswith("postgresql:"):
        import psycopg

        connection = psycopg.connect(database, autocommit=True)  # and a transaction for each chunk
        connection.execute("SET synchronous_commit = off")  # a scratch database: a crash may lose the last chunks
        return connection
    connection = sqlite3.connect(database, timeout=600, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=OFF", "foreign_keys=ON", "wal_autocheckpoint=0"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def _disconnect() -> None:
    while _CONNECTIONS:
        _CONNECTIONS.popitem()[1].close()


class Loader:
    """Around the planning processes' loading (see `load`), on a connection of its own. In bulk mode, drops the
    tables' secondary indexes (and PostgreSQL's foreign keys) first and rebuilds them at the end, even after a
    failure (which keeps the chunks loaded before it, each a whole set of referrals); rebuilding a foreign key checks
    every row (SQLite checks them as they go in). On SQLite (journal in WAL, syncing off) it checkpoints the journal
    every few chunks, which the writers leave to it; on PostgreSQL it moves the id sequences past the new rows."""

    def __init__(self, connection, *, bulk: bool):
        self.connection, self.bulk = connection, bulk
        self.raw = connection.connection.driver_connection
        self.postgresql = connection.dialect.name == "postgresql"
        self.rebuild: list[str] = []
        self.loaded = 0
        self.spent = collections.Counter()  # seconds, by what they were spent on

    def timed(self, what: str, call, *arguments):
        began = time.perf_counter()
        try:
            return call(*arguments)
        finally:
            self.spent[what] += time.perf_counter() - began

    def __enter__(self):
        if self.postgresql:
            self.raw.execute("SET maintenance_work_mem = '256MB'")
        else:
            self.raw.execute("PRAGMA synchronous=OFF")
            self.raw.execute("PRAGMA cache_size=-262144")  # 256 MB, for building the indexes
        if self.bulk:
            self._drop()
        self.raw.commit()
        return self

    def loaded_chunk(self) -> None:
        self.loaded += 1
        if not self.postgresql and self.loaded % CHECKPOINT_EVERY == 0:
            # Every commit writes the pages it changed, most of the reference index's among them, whatever its
            # size: checkpointing them every few chunks, and not after each, writes each far fewer times.
            self.timed("checkpointing", self.raw.execute, "PRAGMA wal_checkpoint(PASSIVE)")

    def __exit__(self, kind, error, trace):
        try:
            self.raw.rollback()
            for statement in self.rebuild:  # one at a time: a foreign key that fails leaves the indexes built
                self.timed("rebuilding indexes and foreign keys", self.raw.execute, statement)
                self.raw.commit()
            if self.postgresql:
                self._move_sequences()
            else:
                self.timed("checkpointing", self.raw.execute, "PRAGMA wal_checkpoint(TRUNCATE)")
            self.raw.commit()
        finally:
            self.connection.invalidate()  # its settings were for the load only

    def _drop(self) -> None:
        tables = list(TABLES)
        if self.postgresql:
            keys = self.raw.execute(FOREIGN_KEYS, [tables]).fetchall()
            indexes = self.raw.execute(PG_INDEXES, [tables]).fetchall()
            statements = [definition for _name, definition in indexes]
            for table, name, definition in keys:
                self.raw.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                statements.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        else:
            marks = ", ".join("?" * len(tables))
            indexes = self.raw.execute(SQLITE_INDEXES.format(marks), tables).fetchall()  # noqa: S608 - placeholders
            statements = [definition for _name, definition in indexes]
        for name, _definition in indexes:
            self.raw.execute(f'DROP INDEX "{name}"')
        self.rebuild = statements

    def _move_sequences(self) -> None:
        """The rows came with their ids: move each id sequence past them."""
        for table in SEQUENCES:
            self.raw.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")  # noqa: S608

    @staticmethod
    def analyse(engine) -> None:
        """PostgreSQL: vacuum and analyse the loaded tables, as autovacuum would after a large change. (The app
        never analyses SQLite, so neither does the loader.)"""
        if engine.dialect.name != "postgresql":
            return
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"VACUUM ANALYZE {', '.join(TABLES)}"))


FOREIGN_KEYS = """
    SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    WHERE c.contype = 'f' AND t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace
"""
PG_INDEXES = """
    SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace AND NOT x.indisprimary
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
"""
SQLITE_INDEXES = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({})"
