"""What a referral's routes say, kept on the referral for the queue (portal.models.route_state), stays what the
routes themselves say through every change a route goes through: routed, sent, undeliverable, held and released,
reminded, escalated, acknowledged and handed back, each through the real services and a real SMTP server."""

from datetime import timedelta

from portal.extensions import db as _db
from portal.models import Partner, PartnerAddress, Referral, Route, RouteStatus
from portal.models._types import utcnow
from portal.partner.service import acknowledge_route, hand_back_route
from portal.routing.outbox import cancel_pending_messages, deliver_due_messages
from portal.routing.reminders import send_reminders
from portal.routing.service import release_held_routes, route_referral
from tests.conftest import make_referral

OVERRIDE = "Safeguarding concern (test)."


def partner(slug: str) -> Partner:
    return _db.session.execute(_db.select(Partner).filter_by(slug=slug)).scalar_one()


def state_from_routes(routes: list[Route]) -> tuple:
    """What the referral's columns should say, worked out here in Python from the routes."""
    sent = [route for route in routes if route.status == RouteStatus.SENT]
    undelivered = [route for route in routes if route.status in (RouteStatus.FAILED, RouteStatus.HELD)]
    return (
        bool(sent or undelivered),
        bool(sent),
        min((route.ack_due_at for route in sent if route.ack_due_at), default=None),
        bool(undelivered) or any(route.escalated_at is not None for route in sent),
    )


def stored_state() -> dict:
    """Every referral's route state as the database holds it, next to what its routes say, read afresh."""
    _db.session.commit()
    _db.session.expire_all()
    found = {}
    for referral in _db.session.execute(_db.select(Referral)).scalars():
        stored = (referral.route_waiting, referral.route_awaiting, referral.route_ack_due_at, referral.route_attention)
        found[referral.reference] = (stored, state_from_routes(referral.routes))
    return found


def assert_in_step() -> dict:
    found = stored_state()
    drifted = {reference: pair for reference, pair in found.items() if pair[0] != pair[1]}
    assert drifted == {}
    return {reference: pair[0] for reference, pair in found.items()}


def test_the_route_state_follows_every_change_of_a_route(app, db, demo_config, officer, smtp_server):
    hub, cohesion = partner("victim-witness-hub"), partner("council-cohesion")
    first, second = make_referral(), make_referral()
    route_referral(first, hub, officer, override_reason=OVERRIDE)
    route_referral(first, cohesion, officer, override_reason=OVERRIDE)
    assert assert_in_step()[first.reference] == (False, False, None, False)  # in the outbox: nothing waits yet
    routed_at = _db.session.get(Referral, first.id).updated_at

    assert deliver_due_messages() == (2, 0)
    state = assert_in_step()[first.reference]
    assert _db.session.get(Referral, first.id).updated_at == routed_at  # the referral itself did not change
    hub_route, cohesion_route = sorted(first.routes, key=lambda route: route.partner_id != hub.id)
    assert state[:2] == (True, True) and state[2] == min(hub_route.ack_due_at, cohesion_route.ack_due_at)

    # Undeliverable: needs an officer.
    route_referral(second, hub, officer, override_reason=OVERRIDE)
    smtp_server.handler.reply = "550 No such mailbox"
    assert deliver_due_messages() == (0, 1)
    smtp_server.handler.reply = "250 OK"
    assert assert_in_step()[second.reference] == (True, False, None, True)

    # Held when what was waiting to go is cancelled (an UPDATE around the session), then released.
    third = make_referral()
    route_referral(third, cohesion, officer, override_reason=OVERRIDE)
    _db.session.commit()
    cancel_pending_messages(cohesion)
    assert assert_in_step()[third.reference] == (True, False, None, True)
    assert release_held_routes(partner("council-cohesion")) == 1
    assert assert_in_step()[third.reference] == (False, False, None, False)

    # Overdue, then reminded with a fresh deadline (an UPDATE around the session), then escalated.
    for route in _db.session.get(Referral, first.id).routes:
        route.ack_due_at = utcnow() - timedelta(minutes=1)
    overdue = assert_in_step()[first.reference]
    assert overdue[2] < utcnow()
    assert send_reminders() == (2, 0)
    reminded = assert_in_step()[first.reference]
    assert reminded[2] > utcnow() and reminded[3] is False
    hub_route = _db.session.get(Route, hub_route.id)
    hub_route.ack_due_at = utcnow() - timedelta(minutes=1)
    _db.session.commit()
    assert send_reminders() == (0, 1)
    assert assert_in_step()[first.reference][3] is True

    # The partners answer (UPDATEs around the session): the escalated one acknowledges, the other hands back.
    assert acknowledge_route(_db.session.get(Route, hub_route.id))
    cohesion_due = _db.session.get(Route, cohesion_route.id).ack_due_at
    assert assert_in_step()[first.reference] == (True, True, cohesion_due, False)
    assert hand_back_route(_db.session.get(Route, cohesion_route.id), "Not one for us (test).")
    assert assert_in_step()[first.reference] == (False, False, None, False)


def test_a_partner_left_with_no_confirmed_address_gets_its_routes_held_and_counted(
    app, db, demo_config, officer, smtp_server
):
    hub = partner("victim-witness-hub")
    for address in hub.addresses:
        address.confirmed_at = None
    hub.addresses.append(PartnerAddress(email="not.yet.confirmed@example.org"))
    referral = make_referral()
    route_referral(referral, hub, officer, override_reason=OVERRIDE)
    assert assert_in_step()[referral.reference] == (True, False, None, True)
