"""Service-level deadlines, set when a referral arrives and when a partner is sent it, so the queue can
find what is overdue with an indexed comparison instead of computing working hours row by row."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import event

from portal.models import Referral
from portal.models._types import utcnow
from portal.triage.sla import WorkingHours, add_business_time


def working_hours() -> WorkingHours:
    return WorkingHours.from_config(current_app.config)


def triage_deadline(received):
    return add_business_time(received, timedelta(hours=current_app.config["SLA_TRIAGE_HOURS"]), working_hours())


def acknowledgement_deadline(sent, hours: float | None = None):
    """When a partner sent a referral at `sent` should have acknowledged it: `hours` working hours later (the
    partner's own service level), or the partnership's SLA_ACKNOWLEDGE_HOURS when it has none."""
    if hours is None:
        hours = current_app.config["SLA_ACKNOWLEDGE_HOURS"]
    return add_business_time(sent, timedelta(hours=hours), working_hours())


@event.listens_for(Referral, "before_insert")
def _set_triage_deadline(mapper, connection, referral: Referral) -> None:
    if referral.created_at is None:
        referral.created_at = utcnow()
    if referral.triage_due_at is None:
        referral.triage_due_at = triage_deadline(referral.created_at)
