"""Admin pages: the settings that make the portal fit a partnership. Admins only."""

from flask import Blueprint, abort
from flask_login import current_user, login_required

from portal.auth.reauth import require_recent_sign_in_for_changes

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")


@bp.before_request
@login_required
def require_admin():
    """Signed-out visitors are sent to sign in; signed-in staff who are not admins get a 403 page."""
    if not current_user.is_admin:
        abort(403)


# Every admin change (any POST) asks for the password and a code again if they were last given too long ago.
bp.before_request(require_recent_sign_in_for_changes)


from portal.admin import audit, partners, responses, routes, rules, schemes, subject_requests  # noqa: E402,F401
