"""Commands run with `flask --app wsgi …`."""

import sys

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo

from portal.database import enable_migrations
from portal.extensions import db
from portal.models import StaffRole


def register(app: Flask) -> None:
    app.cli.add_command(MigrationCommands("db", help="Perform database migrations (Flask-Migrate)."))
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_staff_command)
    app.cli.add_command(reset_two_factor_command)
    app.cli.add_command(outbox)
    app.cli.add_command(retention)


class MigrationCommands(click.Group):
    """`flask db …`: Flask-Migrate's commands, which load it only when one of them runs (see enable_migrations)."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        if parent is not None:
            enable_migrations(parent.ensure_object(ScriptInfo).load_app())
        from flask_migrate.cli import db as commands

        return commands.make_context(info_name, args, parent=parent, **extra)


@click.command("seed-demo")
def seed_demo_command():
    """Load the demo partnership (areas, partners, Get help services, volunteer schemes, response templates,
    routing rules; demo staff and a made-up history of referrals outside production). Idempotent."""
    from portal.seed import DEMO_PASSWORD, DEMO_STAFF, seed_demo

    with_staff = current_app.config["ENVIRONMENT"] != "production"
    added = seed_demo(with_staff=with_staff, with_history=with_staff)
    db.session.commit()
    click.echo(
        f"Demo data: {added['areas']} areas, {added['partners']} partners, "
        f"{added['services']} Get help services, {added['schemes']} volunteer schemes, "
        f"{added['templates']} response templates, {added['rules']} routing rules, "
        f"{added['translations']} translations, {added['staff']} staff added."
    )
    if with_staff:
        click.echo(
            f"Demo history: {added['history']} made-up referrals added"
            + ("." if added["history"] else " (none: there are referrals already).")
        )
        for email, _name, role in DEMO_STAFF:
            click.echo(f"  {role}: {email} / {DEMO_PASSWORD}")
        click.echo("  The first sign-in of each sets up two-factor authentication (an authenticator app is needed).")


@click.command("create-staff")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in StaffRole]), default=StaffRole.TRIAGER.value)
@click.option("--name", help="Full name shown to colleagues (defaults to the email address).")
def create_staff_command(email: str, role: str, name: str | None):
    """Create a staff account. The password is read from a prompt, or from standard input."""
    from portal.auth.service import create_staff

    if sys.stdin.isatty():
        password = click.prompt(
            "Password (at least 12 characters, not a common one, not containing the email address)",
            hide_input=True,
            confirmation_prompt=True,
        )
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = create_staff(email, name or email, password, StaffRole(role))
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role} account for {user.email}.")


@click.command("reset-two-factor")
@click.argument("email")
def reset_two_factor_command(email: str):
    """Reset a staff account's two-factor authentication (a lost phone and lost recovery codes). Check who is
    asking before you run it: they set it up again at their next sign-in, with their password."""
    from portal.audit import record_audit
    from portal.auth.mfa import reset_two_factor
    from portal.auth.service import find_staff

    user = find_staff(email)
    if user is None:
        raise click.ClickException(f"There is no staff account for {email}.")
    reset_two_factor(user)
    record_audit("two_factor_reset", actor_label="Command line", staff=user.id)
    db.session.commit()
    click.echo(f"Two-factor authentication reset for {user.email}: they set it up again at their next sign-in.")


@click.group()
def outbox():
    """The email outbox."""


@outbox.command("run")
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
def outbox_run(once: bool):
    """Send queued emails over SMTP, retrying failures with back-off."""
    import logging

    from portal.routing.outbox import deliver_due_messages, run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if once:
        batch = current_app.config["OUTBOX_BATCH_SIZE"]
        sent = failed = 0
        while True:
            round_sent, round_failed = deliver_due_messages(batch)
            sent, failed = sent + round_sent, failed + round_failed
            if round_sent + round_failed < batch:
                break
        click.echo(f"Outbox: {sent} sent, {failed} failed.")
        return
    click.echo("Outbox worker running. Press Ctrl-C to stop.")
    try:
        run_worker()
    except KeyboardInterrupt:
        click.echo("Outbox worker stopped.")


@click.group()
def retention():
    """Retention of personal data."""


@retention.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what is due, change nothing.")
def retention_purge(dry_run: bool):
    """Delete the personal data the retention policy says is due, keeping anonymised statistics."""
    from portal.models._types import utcnow
    from portal.retention.service import purge_due

    summary = purge_due(utcnow(), dry_run=dry_run)
    db.session.commit()
    verb = "would be purged (dry run: nothing changed)" if dry_run else "purged"
    click.echo(
        f"Retention: {summary.hate_incident} hate-incident reports and {summary.volunteer} volunteer applications "
        f"{verb}; {summary.events_cleaned} events cleaned, {summary.messages_deleted} emails deleted."
    )
