"""Every model change has a migration: the migrated schema matches the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db as _db


def test_migrations_match_the_models(app, db):
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, _db.metadata)
    assert differences == []


def test_partner_addresses_migration_keeps_data_and_fails_safe(tmp_path):
    """Upgrading a database that has partners and routes: each partner's address moves over as confirmed,
    its type is one no consent covers until an admin sets it, waiting routes count as reminded, and no
    row that refers to a rebuilt table is lost (SQLite batch mode)."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import create_engine, text

    from config import TestConfig
    from portal import create_app

    url = f"sqlite:///{tmp_path / 'upgrade.sqlite'}"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="07cbc02a70dc")
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO partner (id, slug, name, email, secure_email, active, created_at) "
                    "VALUES (1, 'hub', 'Hub', 'hub@example.org', 0, 1, '2026-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO referral (id, reference, kind, status, priority, version, created_at, updated_at) "
                    "VALUES (1, 'HC-ABCDEF', 'hate_incident', 'routed', 'normal', 1, '2026-01-01', '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO route (id, referral_id, partner_id, status, created_at) "
                    "VALUES (1, 1, 1, 'sent', '2026-01-01 00:00:00')"
                )
            )
        upgrade()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT partner_id, email FROM partner_address")).all() == [
                (1, "hub@example.org")
            ]
            assert connection.execute(text("SELECT confirmed_at IS NOT NULL FROM partner_address")).scalar() == 1
            assert connection.execute(text("SELECT partner_type FROM partner")).scalar() == "other"
            assert connection.execute(text("SELECT reminded_at IS NOT NULL FROM route")).scalar() == 1
            assert connection.execute(text("SELECT count(*) FROM referral")).scalar() == 1
        downgrade(revision="07cbc02a70dc")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT email FROM partner")).scalar() == "hub@example.org"
            assert connection.execute(text("SELECT count(*) FROM route")).scalar() == 1
        engine.dispose()
