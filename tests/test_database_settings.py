"""How the portal talks to its database: on PostgreSQL, the just-in-time compiler is off for the portal's
connections (it spent 25 ms compiling the queue's counts at a million referrals, to save a few), and it stays
off after a transaction is rolled back."""

import pytest
from sqlalchemy import text

from portal.extensions import db as _db


def test_the_portals_postgresql_sessions_run_without_jit(app, db):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT (CI runs this against PostgreSQL)")
    assert _db.session.execute(text("SHOW jit")).scalar_one() == "off"
    _db.session.rollback()
    with _db.engine.connect() as connection:
        assert connection.execute(text("SHOW jit")).scalar_one() == "off"
