"""How the portal talks to its database: on PostgreSQL, the just-in-time compiler is off for the portal's
connections (it spent 25 ms compiling the queue's counts at a million referrals, to save a few)."""

import pytest
from sqlalchemy import text

from config import _engine_options
from portal.extensions import db as _db


def test_only_postgresql_connections_are_told_to_turn_jit_off():
    assert _engine_options("postgresql+psycopg://postgres@127.0.0.1/test")["connect_args"] == {"options": "-c jit=off"}
    assert "connect_args" not in _engine_options("sqlite:///instance/portal.sqlite")


def test_the_portals_postgresql_sessions_run_without_jit(app, db):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT (CI runs this against PostgreSQL)")
    assert _db.session.execute(text("SHOW jit")).scalar_one() == "off"
