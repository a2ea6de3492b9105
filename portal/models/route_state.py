"""What a referral's routes say about it, kept on the referral's own row for the queue: whether a route is still
waiting (sent and not yet acknowledged, undeliverable or held), whether one awaits its acknowledgement and the
earliest such acknowledgement due, and whether one needs an officer. The queue then counts and lists the referrals
with a waiting route from one index, as it does every other tab, instead of grouping a region's waiting routes and
looking up each of their referrals (at a million referrals, most of what the queue page's time grew by).

The state is always worked out again from the routes themselves, in the same transaction as the change to them:
after every flush that added, changed or removed a route (the listener below), and by `refresh_route_state` after
an UPDATE of routes that goes around the session (partner's acknowledgement, hand-back, reminders, holding)."""

from collections.abc import Iterable

from sqlalchemy import and_, bindparam, event, exists, func, or_, select, update
from sqlalchemy.orm import Session, attributes

from portal.models.partner import Route, RouteStatus
from portal.models.referral import Referral

WAITING = (RouteStatus.SENT, RouteStatus.FAILED, RouteStatus.HELD)  # a route still to be acknowledged or put right
# A route that needs an officer: undeliverable, held for an unconfirmed partner, or still not acknowledged after
# its reminder.
NEEDS_ATTENTION = or_(
    Route.status.in_((RouteStatus.FAILED, RouteStatus.HELD)),
    and_(Route.status == RouteStatus.SENT, Route.escalated_at.is_not(None)),
)
# The route columns the state is worked out from: a flush that changes none of these leaves it as it was.
WATCHED = ("status", "ack_due_at", "escalated_at", "referral_id")


def _of_its_routes(*conditions):
    return exists().where(Route.referral_id == Referral.id, *conditions)


STATE = {
    "route_waiting": _of_its_routes(Route.status.in_(WAITING)),
    "route_awaiting": _of_its_routes(Route.status == RouteStatus.SENT),
    "route_ack_due_at": select(func.min(Route.ack_due_at))
    .where(Route.referral_id == Referral.id, Route.status == RouteStatus.SENT)
    .scalar_subquery(),
    "route_attention": _of_its_routes(NEEDS_ATTENTION),
}


# Built once: it runs on every change of a route (each email the outbox sends, say). The referral's updated_at is
# kept as it was: it says when the referral itself last changed, and what its routes say is not that.
REFRESH = (
    update(Referral.__table__)
    .where(Referral.id.in_(bindparam("referral_ids", expanding=True)))
    .values(**STATE, updated_at=Referral.__table__.c.updated_at)
)


def refresh_route_state(session: Session, referral_ids: Iterable[int]) -> None:
    """Work the route state of these referrals out again from their routes (one UPDATE; without touching the
    referral's version, which is the officers' decisions')."""
    ids = sorted({ident for ident in referral_ids if ident is not None})
    if ids:
        session.connection().execute(REFRESH, {"referral_ids": ids})


@event.listens_for(Session, "after_flush")
def _routes_flushed(session: Session, _context) -> None:
    """The referrals whose routes this flush added, changed in a way the state depends on, or removed."""
    changed = set()
    for route in session.new:
        if isinstance(route, Route):
            changed.add(route.referral_id)
    for route in session.deleted:  # as loaded: a deleted row cannot be read again
        if isinstance(route, Route):
            changed.add(attributes.instance_state(route).dict.get("referral_id"))
    for route in session.dirty:
        if isinstance(route, Route) and _watched_change(route):
            changed.add(route.referral_id)
            changed.update(attributes.get_history(route, "referral_id").deleted or ())
    refresh_route_state(session, changed)


def _watched_change(route: Route) -> bool:
    state = attributes.instance_state(route)
    return any(state.attrs[name].history.has_changes() for name in WATCHED)
