"""The flask commands."""

from portal.extensions import db as _db
from portal.models import (
    Area,
    Partner,
    PartnerAddress,
    ResponseTemplate,
    RoutingRule,
    SignpostService,
    StaffUser,
    VolunteerScheme,
)


def count(model) -> int:
    return _db.session.execute(_db.select(_db.func.count()).select_from(model)).scalar_one()


def test_seed_demo_is_idempotent(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert (
        "11 areas, 10 partners, 8 Get help services, 6 volunteer schemes, 3 response templates, 7 routing rules, "
        "420 translations, 2 staff added" in first.output
    )
    second = runner.invoke(args=["seed-demo"])
    assert (
        "0 areas, 0 partners, 0 Get help services, 0 volunteer schemes, 0 response templates, 0 routing rules, "
        "0 translations, 0 staff added" in second.output
    )
    assert (count(Area), count(Partner), count(SignpostService), count(StaffUser)) == (11, 10, 8, 2)
    assert (count(VolunteerScheme), count(ResponseTemplate), count(RoutingRule), count(PartnerAddress)) == (6, 3, 7, 10)
    partners = _db.session.execute(_db.select(Partner)).scalars()
    assert all(partner.is_confirmed for partner in partners)
    schemes = {scheme.slug: scheme for scheme in _db.session.execute(_db.select(VolunteerScheme)).scalars()}
    assert schemes["volunteer-police-cadets"].partner.slug == "police-cadets"
    assert (schemes["volunteer-police-cadets"].min_age, schemes["volunteer-police-cadets"].max_age) == (13, 17)
    assert schemes["do-it"].signpost_only and schemes["do-it"].partner is None
    assert all(scheme.partner is not None for slug, scheme in schemes.items() if slug != "do-it")
    assert all(a.email.endswith("@example.org") for a in _db.session.execute(_db.select(PartnerAddress)).scalars())


def test_seed_demo_adds_no_staff_in_production(app, db):
    app.config["ENVIRONMENT"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["seed-demo"])
    finally:
        app.config["ENVIRONMENT"] = "test"
    assert "0 staff added" in result.output
    assert count(StaffUser) == 0


def test_create_staff_reads_the_password_from_stdin(app, db):
    result = app.test_cli_runner().invoke(
        args=["create-staff", "New.Officer@Example.org", "--role", "admin"], input="a-long-enough-password\n"
    )
    assert result.exit_code == 0, result.output
    user = _db.session.execute(_db.select(StaffUser)).scalar_one()
    assert (user.email, user.role) == ("new.officer@example.org", "admin")
    assert user.check_password("a-long-enough-password")


def test_create_staff_refuses_a_short_password_and_a_duplicate(app, db):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["create-staff", "a@example.org"], input="short\n")
    assert short.exit_code != 0 and "12 characters or more" in short.output
    runner.invoke(args=["create-staff", "a@example.org"], input="a-long-enough-password\n")
    again = runner.invoke(args=["create-staff", "A@example.org"], input="a-long-enough-password\n")
    assert again.exit_code != 0 and "already uses" in again.output
    assert count(StaffUser) == 1


def test_reset_two_factor_makes_them_set_it_up_again_and_ends_their_sessions(app, db, officer):
    from portal.auth.mfa import issue_recovery_codes
    from portal.models import AuditEvent, StaffRecoveryCode

    issue_recovery_codes(officer)
    _db.session.commit()
    token = officer.session_token
    assert officer.mfa_enabled_at is not None and count(StaffRecoveryCode) == 10
    result = app.test_cli_runner().invoke(args=["reset-two-factor", officer.email.upper()])
    assert result.exit_code == 0, result.output
    _db.session.refresh(officer)
    assert (officer.totp_secret, officer.mfa_enabled_at) == (None, None)
    assert officer.session_token != token
    assert count(StaffRecoveryCode) == 0
    [reset] = _db.session.execute(_db.select(AuditEvent).filter_by(action="two_factor_reset")).scalars()
    assert reset.detail == {"staff": officer.id}
    unknown = app.test_cli_runner().invoke(args=["reset-two-factor", "nobody@example.org"])
    assert unknown.exit_code != 0 and "no staff account" in unknown.output


def test_db_commands_load_migrations_only_when_they_run(tmp_path):
    """`flask db upgrade` migrates a new database from an app made as the web server makes it, and making that
    app imports neither Flask-Migrate nor Alembic (11 MB in each web worker)."""
    import subprocess
    import sys

    script = f"""
import sys
from config import TestConfig
from portal import create_app

class Config(TestConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite:///{tmp_path / "cli.sqlite"}"

app = create_app(Config)
print("loaded before:", sorted(name for name in ("flask_migrate", "alembic", "mako") if name in sys.modules))
result = app.test_cli_runner().invoke(args=["db", "upgrade"])
print("exit", result.exit_code, result.output)
with app.app_context():
    from portal.extensions import db
    print("tables:", "referral" in db.inspect(db.engine).get_table_names())
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    assert "loaded before: []" in run.stdout, run.stdout + run.stderr
    assert "exit 0" in run.stdout, run.stdout + run.stderr
    assert "tables: True" in run.stdout
