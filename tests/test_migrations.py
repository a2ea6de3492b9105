"""Every model change has a migration: the migrated schema matches the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db as _db


def migrating_app(tmp_path, name: str):
    """An app on a new SQLite database of its own, with the migration commands, and that database's URL."""
    from config import TestConfig
    from portal import create_app
    from portal.database import enable_migrations

    url = f"sqlite:///{tmp_path / name}"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    return enable_migrations(create_app(Config)), url


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

    app, url = migrating_app(tmp_path, "upgrade.sqlite")
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


def test_statistics_migration_counts_every_referral_and_its_working_minutes(tmp_path):
    """Upgrading a database with referrals: each one not purged gets its statistic (its day and month in
    local time, its strands as rows), a purged one's strands move from JSON to rows, and the working minutes
    to triage and to acknowledge are worked out. Downgrading keeps only the purged referral's statistic."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import create_engine, text

    app, url = migrating_app(tmp_path, "statistics.sqlite")
    with app.app_context():
        upgrade(revision="ec65528eca60")
        engine = create_engine(url)
        referral = (
            "INSERT INTO referral (id, reference, kind, status, priority, version, created_at, updated_at, "
            "triaged_at, purged_at) VALUES (:id, :reference, 'hate_incident', :status, 'normal', 1, :created, "
            ":created, :triaged, :purged)"
        )
        with engine.begin() as connection:
            # 23:30 UTC on 31 March is 00:30 on Wednesday 1 April in London; triaged at 10:00 there.
            connection.execute(
                text(referral),
                {
                    "id": 1,
                    "reference": "HC-AAAAAA",
                    "status": "routed",
                    "created": "2026-03-31 23:30:00",
                    "triaged": "2026-04-01 09:00:00",
                    "purged": None,
                },
            )
            connection.execute(
                text(referral),
                {
                    "id": 2,
                    "reference": "HC-BBBBBB",
                    "status": "closed",
                    "created": "2026-02-02 12:00:00",
                    "triaged": None,
                    "purged": "2026-11-01 00:00:00",
                },
            )
            connection.execute(
                text(
                    "INSERT INTO hate_incident_report (referral_id, reporter_role, description, location, "
                    "anonymous, consent_police, consent_victim_support, consent_council_housing, just_record, "
                    "date_is_approximate) VALUES (1, 'witness', 'Made up', 'Made up', 1, 1, 0, 0, 0, 0)"
                )
            )
            connection.execute(
                text("INSERT INTO hate_incident_strand (report_id, strand) VALUES (1, 'religion'), (1, 'race')")
            )
            connection.execute(
                text(
                    "INSERT INTO referral_statistic (referral_id, kind, received_on, strands, created_at) "
                    "VALUES (2, 'hate_incident', '2026-02-02', '[\"disability\"]', '2026-11-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO partner (id, slug, name, secure_email, active, partner_type, created_at) "
                    "VALUES (1, 'hub', 'Hub', 0, 1, 'victim_support', '2026-01-01 00:00:00')"
                )
            )
            # Sent at 10:00 and acknowledged at 12:00, London time: two working hours.
            connection.execute(
                text(
                    "INSERT INTO route (id, referral_id, partner_id, status, created_at, sent_at, acknowledged_at) "
                    "VALUES (1, 1, 1, 'acknowledged', '2026-04-01 09:00:00', '2026-04-01 09:00:00', "
                    "'2026-04-01 11:00:00')"
                )
            )
        upgrade()
        with engine.connect() as connection:
            statistics = connection.execute(
                text(
                    "SELECT referral_id, received_on, received_month, reporter_role, anonymous, consent_police, "
                    "triage_working_minutes FROM referral_statistic ORDER BY referral_id"
                )
            ).all()
            assert [tuple(row) for row in statistics] == [
                (1, "2026-04-01", "2026-04", "witness", 1, 1, 60),
                (2, "2026-02-02", "2026-02", None, None, None, None),
            ]
            strands = connection.execute(
                text("SELECT referral_id, strand FROM referral_statistic_strand ORDER BY referral_id, strand")
            ).all()
            assert [tuple(row) for row in strands] == [(1, "race"), (1, "religion"), (2, "disability")]
            assert connection.execute(text("SELECT ack_working_minutes FROM route")).scalar() == 120
        downgrade(revision="ec65528eca60")
        with engine.connect() as connection:
            kept = connection.execute(text("SELECT referral_id, strands FROM referral_statistic")).all()
            assert [tuple(row) for row in kept] == [(2, '["disability"]')]
        engine.dispose()


def test_the_area_migration_copies_each_referrals_area_from_its_answers(tmp_path):
    """A report's area and an application's area are copied onto their referrals; a purged referral, with no answers
    left, has none. Downgrading drops the copy."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import create_engine, inspect, text

    app, url = migrating_app(tmp_path, "area.sqlite")
    with app.app_context():
        upgrade(revision="1901ba91ad2d")
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO area (id, slug, name, position, active) VALUES (7, 'fletton', 'Fletton', 1, 1)")
            )
            for number, kind in ((1, "hate_incident"), (2, "volunteer"), (3, "hate_incident")):
                connection.execute(
                    text(
                        "INSERT INTO referral (id, reference, kind, status, priority, version, created_at, "
                        "updated_at) VALUES (:id, :reference, :kind, 'new', 'normal', 1, '2026-11-01 10:00:00', "
                        "'2026-11-01 10:00:00')"
                    ),
                    {"id": number, "reference": f"HC-AAAAA{number + 1}", "kind": kind},
                )
            connection.execute(
                text(
                    "INSERT INTO hate_incident_report (referral_id, reporter_role, description, location, area_id, "
                    "anonymous, consent_police, consent_victim_support, consent_council_housing, just_record, "
                    "date_is_approximate) VALUES (1, 'victim', 'Made up', 'Made up', 7, 1, 0, 1, 0, 0, 0)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO volunteer_scheme (id, slug, name, summary, status, position, created_at, updated_at) "
                    "VALUES (1, 'nw', 'Watch', 'Made up', 'open', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO volunteer_application (referral_id, scheme_id, full_name, date_of_birth, "
                    "age_at_application, area_id, available_days, available_times) "
                    "VALUES (2, 1, 'Made Up', '1990-06-14', 36, 7, '[]', '[]')"
                )
            )
        upgrade()
        with engine.connect() as connection:
            areas = connection.execute(text("SELECT id, area_id FROM referral ORDER BY id")).all()
            assert [tuple(row) for row in areas] == [(1, 7), (2, 7), (3, None)]
        downgrade(revision="1901ba91ad2d")
        assert "area_id" not in {column["name"] for column in inspect(engine).get_columns("referral")}
        engine.dispose()


def test_the_route_state_migration_fills_in_what_each_referrals_routes_say(tmp_path):
    """A referral with two routes sent, one of them escalated, gets the earlier acknowledgement due and needs an
    officer; one with a route held needs an officer and awaits nothing; one whose routes are all acknowledged has
    nothing waiting. Downgrading drops the columns."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import create_engine, inspect, text

    app, url = migrating_app(tmp_path, "route-state.sqlite")
    with app.app_context():
        upgrade(revision="fa347af12fd1")
        engine = create_engine(url)
        with engine.begin() as connection:
            for number in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO partner (id, slug, name, secure_email, active, partner_type, created_at) "
                        "VALUES (:id, :slug, 'Made up', 0, 1, 'victim_support', '2026-01-01 00:00:00')"
                    ),
                    {"id": number, "slug": f"partner-{number}"},
                )
            for number in (1, 2, 3):
                connection.execute(
                    text(
                        "INSERT INTO referral (id, reference, kind, status, priority, version, created_at, "
                        "updated_at) VALUES (:id, :reference, 'hate_incident', 'routed', 'normal', 1, "
                        "'2026-11-01 10:00:00', '2026-11-01 10:00:00')"
                    ),
                    {"id": number, "reference": f"HC-AAAAA{number + 1}"},
                )
            routes = [
                (1, 1, 1, "sent", "2026-11-03 10:00:00.000000", None),
                (2, 1, 2, "sent", "2026-11-02 09:00:00.000000", "2026-11-02 09:30:00.000000"),
                (3, 2, 1, "held", None, None),
                (4, 2, 2, "acknowledged", "2026-11-02 09:00:00.000000", None),
                (5, 3, 1, "acknowledged", "2026-11-02 09:00:00.000000", None),
            ]
            for route in routes:
                connection.execute(
                    text(
                        "INSERT INTO route (id, referral_id, partner_id, status, created_at, ack_due_at, escalated_at) "
                        "VALUES (:id, :referral, :partner, :status, '2026-11-01 10:00:00', :due, :escalated)"
                    ),
                    dict(zip(("id", "referral", "partner", "status", "due", "escalated"), route, strict=True)),
                )
        upgrade()
        with engine.connect() as connection:
            state = connection.execute(
                text(
                    "SELECT id, route_waiting, route_awaiting, route_ack_due_at, route_attention FROM referral "
                    "ORDER BY id"
                )
            ).all()
            assert [tuple(row) for row in state] == [
                (1, 1, 1, "2026-11-02 09:00:00.000000", 1),
                (2, 1, 0, None, 1),
                (3, 0, 0, None, 0),
            ]
        downgrade(revision="fa347af12fd1")
        assert "route_waiting" not in {column["name"] for column in inspect(engine).get_columns("referral")}
        engine.dispose()
