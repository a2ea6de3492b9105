"""Pages of the hate-incident reporting journey."""

from datetime import datetime, timedelta

from flask import redirect, render_template, session, url_for
from flask_babel import gettext as _

from portal.extensions import db, limiter
from portal.forms import choices
from portal.models._types import utcnow
from portal.reporting import bp
from portal.reporting.forms import DESCRIPTION_LIMIT, ReportForm
from portal.reporting.service import active_areas, submit_report

# How long the confirmation page keeps showing the reference in this browser.
CONFIRMATION_SHOWN_FOR = timedelta(minutes=30)


@bp.route("/", methods=["GET", "POST"])
@limiter.limit("10 per minute; 100 per hour", methods=["POST"])
def report():
    """The report form. On success the referral is committed before the reference is shown."""
    form = ReportForm()
    form.area.choices = choices([("", _("Choose an area"))] + [(area.id, area.name) for area in active_areas()])
    if form.validate_on_submit():
        referral = submit_report(form.answers())
        db.session.commit()
        session["report_confirmation"] = {"reference": referral.reference, "at": utcnow().isoformat()}
        return redirect(url_for("reporting.confirmation"))
    return render_template("reporting/report.html", form=form, description_limit=DESCRIPTION_LIMIT)


@bp.route("/confirmation")
def confirmation():
    """The reference for the report just sent: in the session (never the URL), for a short while only,
    so someone else using the same browser later cannot see it."""
    shown = session.get("report_confirmation") or {}
    try:
        fresh = utcnow() - datetime.fromisoformat(shown["at"]) < CONFIRMATION_SHOWN_FOR
    except (KeyError, TypeError, ValueError):
        fresh = False
    if not fresh:
        session.pop("report_confirmation", None)
        return redirect(url_for("reporting.report"))
    return render_template("reporting/confirmation.html", reference=shown["reference"])
