"""Admin pages: the settings that make the portal fit a partnership. Admins only."""

from flask import Blueprint, abort, request, url_for
from flask_login import current_user, login_required

from portal.audit import record_audit
from portal.auth.reauth import require_recent_sign_in_for_changes
from portal.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")


@bp.before_request
@login_required
def require_admin():
    """Signed-out visitors are sent to sign in; signed-in staff who are not admins get a 403 page."""
    if not current_user.is_admin:
        abort(403)


# Every admin change (any POST) asks for the password and a code again if they were last given too long ago.
bp.before_request(require_recent_sign_in_for_changes)


# Pages whose service functions write their own, more detailed, audit events.
AUDITED_IN_SERVICE = {
    f"admin.{name}"
    for name in (
        "new_partner",
        "edit_partner",
        "add_address",
        "resend_address_link",
        "remove_address",
        "new_routing_rule",
        "edit_routing_rule",
        "delete_routing_rule",
        "export_audit_log_csv",
        "subject_requests",
        "export_subject_request",
        "erase_subject_request",
    )
}


@bp.after_request
def audit_change(response):
    """Every admin change that succeeded (a POST answered with a redirect) is in the audit trail: who
    changed which setting, when and from where."""
    # A redirect to confirm the password (a stale sign-in) changed nothing.
    asked_to_confirm = (response.location or "").startswith(url_for("auth.confirm_password"))
    changed = request.method == "POST" and response.status_code in (302, 303) and not asked_to_confirm
    if (
        changed
        and current_user.is_authenticated
        and current_user.is_admin
        and request.endpoint not in AUDITED_IN_SERVICE
    ):
        record_audit("admin_change", actor=current_user, page=request.endpoint, **(request.view_args or {}))
        db.session.commit()
    return response


from portal.admin import (  # noqa: E402,F401
    audit,
    content_translations,
    partners,
    responses,
    routes,
    rules,
    schemes,
    subject_requests,
    translations,
)
