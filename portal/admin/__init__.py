"""Admin pages: the settings that make the portal fit a partnership. Admins only."""

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")


@bp.before_request
@login_required
def require_admin():
    """Signed-out visitors are sent to sign in; signed-in staff who are not admins get a 403 page."""
    if not current_user.is_admin:
        abort(403)


from portal.admin import partners, responses, routes, rules, schemes  # noqa: E402,F401
