"""The staff triage queue and referral pages."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("triage", __name__, url_prefix="/staff")


@bp.before_request
@login_required
def require_staff():
    """Every triage page is for signed-in staff only."""


from portal.triage import deadlines, routes  # noqa: E402,F401
