"""Home, signposting and information pages, and the health check."""

from flask import jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db, limiter
from portal.main import bp
from portal.signposting.service import active_services, group_services


@bp.route("/")
def home():
    """What residents can do here, with the emergency numbers first."""
    return render_template("main/home.html")


@bp.route("/get-help")
def get_help():
    """Where to find support, whether or not someone reports: the directory admins keep, emergency first."""
    return render_template("main/get_help.html", groups=group_services(active_services()))


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/contact")
def contact():
    return render_template("main/contact.html")


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
