"""What a partner can do with a referral through its signed link: see it, acknowledge it, hand it back to
the triage team, record a volunteer's outcome, or ask for a fresh link when the old one has expired.

The partner has no account: the link names one route (one referral for one partner), and every action is
recorded in the referral's history under the partner's name. Route and referral changes are conditional
UPDATEs, so a page left open cannot undo what happened since; repeating an action changes nothing.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import update

from portal.extensions import db
from portal.models import EventType, Referral, ReferralEvent, ReferralKind, ReferralStatus, Route, RouteStatus
from portal.models._types import utcnow
from portal.models.route_state import refresh_route_state
from portal.routing.emails import Purpose, enqueue_route_email
from portal.routing.links import read_route_token
from portal.statistics import working_minutes

# However often a fresh link is asked for, a partner's inbox gets at most one per route in this time.
RESEND_INTERVAL = timedelta(minutes=15)
REASON_LIMIT = 2000


class PartnerActionError(Exception):
    """An action the link cannot carry out; the message is for the partner."""


@dataclass(frozen=True)
class OpenedLink:
    """The route a link leads to, and whether the link is out of date."""

    route: Route
    expired: bool


def open_route_link(token: str) -> OpenedLink | None:
    """The route a partner link names, or None for a link that is not ours, was altered, or names a route
    that no longer exists or belongs to another partner (the page says nothing about which)."""
    target = read_route_token(token)
    if target is None:
        return None
    route = db.session.get(Route, target.ids["route"], populate_existing=True)
    if route is None or route.partner_id != target.ids["partner"]:
        return None
    return OpenedLink(route, target.expired)


def runs_the_scheme(route: Route) -> bool:
    """Whether this route's partner runs the scheme the volunteer applied to (only it records the outcome)."""
    application = route.referral.volunteer_application if route.referral.kind == ReferralKind.VOLUNTEER else None
    return application is not None and application.scheme.partner_id == route.partner_id


def is_read_only(route: Route) -> bool:
    """Nothing more to do here: the partner handed it back, or the partnership closed the referral."""
    return route.status == RouteStatus.HANDED_BACK or route.referral.status == ReferralStatus.CLOSED


def view_route(route: Route) -> None:
    """Every time a partner opens a referral is recorded in its history."""
    route.referral.record(EventType.VIEWED, actor_label=route.partner.name, partner=route.partner.name)
    db.session.flush()


def _check_open(route: Route) -> None:
    if not route.partner.active:
        raise PartnerActionError(
            _("This partnership no longer sends referrals to %(partner)s.", partner=route.partner.name)
        )
    if route.referral.status == ReferralStatus.CLOSED:
        raise PartnerActionError(_("This referral is closed, so nothing more can be recorded on it."))


def _change_route(route: Route, *conditions, **values) -> bool:
    """One conditional UPDATE of the route; False when another request got there first."""
    result = db.session.execute(
        update(Route)
        .where(Route.id == route.id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(route)
    if result.rowcount != 1:
        return False
    refresh_route_state(db.session, [route.referral_id])
    return True


def _set_referral_status(referral: Referral, status: ReferralStatus, *, unless=(ReferralStatus.CLOSED,)) -> None:
    """Move the referral on unless the partnership has closed it meanwhile (decided in the UPDATE itself)."""
    db.session.execute(
        update(Referral)
        .where(Referral.id == referral.id, Referral.status.not_in(unless))
        .values(status=status, version=Referral.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.expire(referral, ["status", "version", "updated_at"])


def acknowledge_route(route: Route) -> bool:
    """The partner has the referral. Returns False when it was acknowledged already (nothing changes)."""
    _check_open(route)
    if route.status == RouteStatus.HANDED_BACK:
        raise PartnerActionError(_("You handed this referral back to the triage team, so it cannot be acknowledged."))
    now = utcnow()
    done = _change_route(
        route,
        Route.status.not_in([RouteStatus.ACKNOWLEDGED, RouteStatus.HANDED_BACK]),
        status=RouteStatus.ACKNOWLEDGED,
        acknowledged_at=now,
        ack_working_minutes=working_minutes(route.sent_at or route.created_at, now),
    )
    if not done:
        if route.status == RouteStatus.HANDED_BACK:
            raise PartnerActionError(
                _("You handed this referral back to the triage team, so it cannot be acknowledged.")
            )
        return False
    # Another partner's hand-back stays in the triage team's Handed back tab until an officer deals with it.
    _set_referral_status(
        route.referral, ReferralStatus.ACKNOWLEDGED, unless=(ReferralStatus.CLOSED, ReferralStatus.HANDED_BACK)
    )
    route.referral.record(EventType.ACKNOWLEDGED, actor_label=route.partner.name, partner=route.partner.name)
    db.session.flush()
    return True


def hand_back_route(route: Route, reason: str) -> bool:
    """Return the referral to the triage team with the partner's reason. Returns False when it was handed
    back already (the first reason stands)."""
    _check_open(route)
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_LIMIT:
        raise PartnerActionError(
            _("Enter why you are handing it back, in %(limit)s characters or fewer", limit=REASON_LIMIT)
        )
    done = _change_route(
        route,
        Route.status != RouteStatus.HANDED_BACK,
        status=RouteStatus.HANDED_BACK,
        handed_back_at=utcnow(),
        hand_back_reason=reason,
    )
    if not done:
        return False
    _set_referral_status(route.referral, ReferralStatus.HANDED_BACK)
    route.referral.record(
        EventType.HANDED_BACK, actor_label=route.partner.name, partner=route.partner.name, reason=reason
    )
    db.session.flush()
    return True


def record_partner_outcome(route: Route, outcome: str) -> bool:
    """What became of a volunteer's application, as the scheme's partner tells us. Recording an outcome also
    acknowledges the referral (the partner clearly has it). Returns False when the outcome was already that."""
    from portal.volunteering.service import VolunteeringError, set_volunteer_outcome

    _check_open(route)
    referral = route.referral
    if not runs_the_scheme(route):
        raise PartnerActionError(_("Only the partner that runs the scheme records an application's outcome."))
    if route.status == RouteStatus.HANDED_BACK:
        raise PartnerActionError(_("You handed this application back to the triage team."))
    previous = referral.volunteer_application.outcome
    try:
        set_volunteer_outcome(referral, outcome, actor_label=route.partner.name)
    except VolunteeringError as error:
        raise PartnerActionError(str(error)) from None
    if route.status != RouteStatus.ACKNOWLEDGED:
        acknowledge_route(route)
    return previous != referral.volunteer_application.outcome


def resend_route_link(route: Route) -> int:
    """Send a fresh link to the addresses the partner has confirmed (never to one a visitor typed), at most
    once per route in RESEND_INTERVAL. Returns how many addresses it went to. Nothing is sent for a referral
    the partner handed back or the partnership closed."""
    if is_read_only(route):
        raise PartnerActionError(_("There is nothing more to do on this referral, so no new link is needed."))
    if not route.partner.active:
        raise PartnerActionError(
            _("This partnership no longer sends referrals to %(partner)s.", partner=route.partner.name)
        )
    # Hold the route while deciding, so two requests at once cannot both send (PostgreSQL; SQLite writes one at a time).
    db.session.execute(db.select(Route.id).where(Route.id == route.id).with_for_update())
    if last_resent_at(route) is not None:
        raise PartnerActionError(
            _(
                "A new link was sent less than %(minutes)s minutes ago. Check the inbox of %(partner)s.",
                minutes=int(RESEND_INTERVAL.total_seconds() // 60),
                partner=route.partner.name,
            )
        )
    messages = enqueue_route_email(route, Purpose.NEW_LINK)
    if not messages:
        raise PartnerActionError(
            _(
                "%(partner)s has no confirmed email address, so we cannot send a new link. Contact the triage team.",
                partner=route.partner.name,
            )
        )
    route.referral.record(
        EventType.LINK_RESENT, actor_label=route.partner.name, partner=route.partner.name, route=route.id
    )
    db.session.flush()
    return len(messages)


def last_resent_at(route: Route):
    """When a fresh link for this route was last sent, if within RESEND_INTERVAL."""
    events = db.session.execute(
        db.select(ReferralEvent)
        .where(
            ReferralEvent.referral_id == route.referral_id,
            ReferralEvent.type == EventType.LINK_RESENT,
            ReferralEvent.created_at >= utcnow() - RESEND_INTERVAL,
        )
        .order_by(ReferralEvent.id.desc())
    ).scalars()
    return next((event.created_at for event in events if (event.detail or {}).get("route") == route.id), None)
