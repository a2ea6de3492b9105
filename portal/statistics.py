"""The facts about each referral that identify nobody (ReferralStatistic), kept in step with the referral.

Written when a referral arrives, updated when an officer first triages it or an application's outcome is set,
and kept when retention purges the personal data: the insights and the published figures count these rows.
"""

from zoneinfo import ZoneInfo

from flask import current_app

from portal.extensions import db
from portal.models import Referral, ReferralStatistic


def statistic_for(referral: Referral) -> ReferralStatistic:
    """A new statistic with the referral's facts: when (the day), where (the area), what about, route in."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/London"))
    received_on = referral.created_at.astimezone(zone).date()
    statistic = ReferralStatistic(
        referral_id=referral.id,
        kind=referral.kind,
        received_on=received_on,
        received_month=received_on.strftime("%Y-%m"),
    )
    report = referral.hate_incident
    if report is not None:
        statistic.area_id = report.area_id
        statistic.strands = sorted(report.strands)
        statistic.reporter_role = report.reporter_role
        statistic.anonymous = report.anonymous
        statistic.consent_police = report.consent_police
    application = getattr(referral, "volunteer_application", None)
    if application is not None:
        statistic.area_id = application.area_id
        statistic.scheme_id = application.scheme_id
        statistic.volunteer_outcome = application.outcome
    return statistic


def record_statistic(referral: Referral) -> ReferralStatistic:
    """The referral's statistic, written now if it has none (the referral must have been flushed)."""
    statistic = db.session.get(ReferralStatistic, referral.id)
    if statistic is None:
        statistic = statistic_for(referral)
        db.session.add(statistic)
    return statistic


def working_minutes(start, end) -> int:
    """Whole working minutes between two instants, by the partnership's working hours and holidays."""
    # Imported here: the triage package imports the services that import this module.
    from portal.triage.deadlines import working_hours
    from portal.triage.sla import business_seconds_between

    return business_seconds_between(start, end, working_hours()) // 60


def note_first_triage(referral: Referral) -> None:
    """Once a referral has been triaged, how long that took in working minutes (worked out once)."""
    if referral.triaged_at is None:
        return
    statistic = record_statistic(referral)
    if statistic.triage_working_minutes is None:
        statistic.triage_working_minutes = working_minutes(referral.created_at, referral.triaged_at)


def note_volunteer_outcome(referral: Referral, outcome: str | None) -> None:
    """An application's outcome, as the sign-up figures count it."""
    record_statistic(referral).volunteer_outcome = outcome
