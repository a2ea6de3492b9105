"""Home, signposting and information pages, and the health check."""

from flask import abort, jsonify, redirect, render_template, request, session
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.content import all_in_language
from portal.extensions import db, limiter
from portal.languages import SESSION_KEY, offered, safe_return_path
from portal.main import bp
from portal.signposting.service import active_services, group_services


@bp.route("/")
def home():
    """What residents can do here, with the emergency numbers first."""
    return render_template("main/home.html")


@bp.route("/get-help")
def get_help():
    """Where to find support, whether or not someone reports: the directory admins keep, emergency first."""
    return render_template("main/get_help.html", groups=group_services(all_in_language(active_services())))


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/contact")
def contact():
    return render_template("main/contact.html")


@bp.route("/language")
def choose_language():
    """Answer the public pages in the language a resident picked (for the rest of the visit), and go back to
    the page they were on. A link, so it works without JavaScript."""
    code = request.args.get("to", "")
    if code not in offered():
        abort(404)
    session[SESSION_KEY] = code
    return redirect(safe_return_path(request.args.get("next")))


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
