"""The audit trail: `record_audit` for security-relevant actions, and the client's address on every audit
and referral event made by staff or through a partner's link (never a resident's: a report may be
anonymous, and an address could identify them)."""

from flask import has_request_context, request
from sqlalchemy import event

from portal.extensions import db
from portal.models import AuditEvent, ReferralEvent

# Requests under these paths are made by staff or partners; their address is recorded with what they did.
RECORDED_CLIENT_PREFIXES = ("/staff", "/partner")


def request_client() -> str | None:
    """The client's address for a staff or partner request (after ProxyFix), or None."""
    if not has_request_context() or not request.path.startswith(RECORDED_CLIENT_PREFIXES):
        return None
    return (request.remote_addr or "")[:64] or None


def record_audit(action: str, *, actor=None, actor_label: str | None = None, **detail) -> AuditEvent:
    """Append an audit event (the caller's unit of work commits it)."""
    audit = AuditEvent(
        action=action,
        actor=actor,
        actor_label=actor_label or (actor.name if actor is not None else None),
        detail=detail or None,
    )
    db.session.add(audit)
    return audit


@event.listens_for(AuditEvent, "before_insert")
@event.listens_for(ReferralEvent, "before_insert")
def _set_client(mapper, connection, target) -> None:
    if target.client is None:
        target.client = request_client()
