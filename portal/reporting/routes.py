"""Pages of the hate-incident reporting journey."""

from flask import redirect, render_template, session, url_for
from flask_babel import gettext as _

from portal.extensions import db, limiter
from portal.forms import choices
from portal.models import Area
from portal.reporting import bp
from portal.reporting.forms import ReportForm
from portal.reporting.service import ReportAnswers, submit_report


def area_choices():
    areas = db.session.execute(db.select(Area).filter_by(active=True).order_by(Area.position, Area.name)).scalars()
    return choices([("", _("Choose an area"))] + [(area.id, area.name) for area in areas])


@bp.route("/", methods=["GET", "POST"])
@limiter.limit("10 per minute; 100 per hour", methods=["POST"])
def report():
    """The report form. On success the referral is committed before the reference is shown."""
    form = ReportForm()
    form.area.choices = area_choices()
    if form.validate_on_submit():
        wants_contact = form.wants_contact.data == "yes"
        answers = ReportAnswers(
            description=form.description.data,
            incident_date=form.incident_date.data,
            location=form.location.data,
            strands=form.strands.data,
            strand_other=form.strand_other.data if "other" in form.strands.data else None,
            area_id=int(form.area.data) if form.area.data else None,
            contact_name=form.contact_name.data if wants_contact else None,
            contact_email=form.contact_email.data if wants_contact else None,
            contact_phone=form.contact_phone.data if wants_contact else None,
        )
        referral = submit_report(answers)
        db.session.commit()
        session["report_reference"] = referral.reference
        return redirect(url_for("reporting.confirmation"))
    return render_template("reporting/report.html", form=form)


@bp.route("/confirmation")
def confirmation():
    """The reference for the report just sent. Held in the session, never in the URL."""
    reference = session.get("report_reference")
    if not reference:
        return redirect(url_for("reporting.report"))
    return render_template("reporting/confirmation.html", reference=reference)
