"""Confirming a partner's address, through the real path: an admin adds the address, the confirmation email
is delivered to a real SMTP server, the link is read from that email, and the partner confirms it. What was
held for the partner meanwhile is then sent."""

import re
from email import message_from_bytes

import pytest

from portal.extensions import db as _db
from portal.models import AuditEvent, HateIncidentReport, OutboxMessage, Partner, PartnerAddress, Route, RouteStatus
from portal.routing.addresses import add_partner_address, confirm_partner_address, remove_partner_address
from portal.routing.outbox import deliver_due_messages
from portal.routing.service import route_referral
from tests.conftest import make_referral, submit_form

LIST = "/staff/admin/partners"


def caught_email(smtp_server):
    assert deliver_due_messages()[1] == 0
    envelope = smtp_server.handler.messages[-1]
    return envelope, message_from_bytes(envelope.content)


def body(email, kind: str) -> str:
    return next(part for part in email.walk() if part.get_content_type() == kind).get_payload(decode=True).decode()


def link_in(email) -> str:
    match = re.search(r"http://[^/\s]+(/partner/confirm/\S+)", body(email, "text/plain"))
    assert match, "no confirmation link in the email"
    return match.group(1)


@pytest.fixture
def new_partner(admin_client, demo_config) -> Partner:
    """A victim-support partner an admin added, with one address waiting for confirmation."""
    data = {"name": "Safe Haven Support", "partner_type": "victim_support", "active": "y", "ack_sla_hours": ""}
    response = submit_form(admin_client, f"{LIST}/new", data)
    partner = _db.session.execute(_db.select(Partner).filter_by(slug="safe-haven-support")).scalar_one()
    assert response.headers["Location"] == f"{LIST}/{partner.id}"
    response = submit_form(
        admin_client, f"{LIST}/{partner.id}/addresses/new", {"email": "referrals@safe-haven.example"}
    )
    assert response.status_code == 302
    return partner


@pytest.fixture
def link(new_partner, smtp_server) -> str:
    envelope, email = caught_email(smtp_server)
    assert envelope.rcpt_tos == ["referrals@safe-haven.example"]
    return link_in(email)


def address() -> PartnerAddress:
    _db.session.expire_all()
    return _db.session.execute(_db.select(PartnerAddress).filter_by(email="referrals@safe-haven.example")).scalar_one()


def test_a_held_route_is_sent_once_the_partner_confirms_its_address(client, new_partner, link, officer, smtp_server):
    referral = make_referral()
    route = route_referral(referral, _db.session.get(Partner, new_partner.id), officer)
    _db.session.commit()
    route_id = route.id
    assert route.status == RouteStatus.HELD
    assert deliver_due_messages() == (0, 0)  # nothing goes to an unconfirmed address

    page = client.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Confirm referrals@safe-haven.example for Safe Haven Support" in html
    assert "Confirm this email address" in html and "special category data" in html
    assert address().confirmed_at is None  # opening the link (a mail scanner does) confirms nothing

    response = submit_form(client, link, {})
    assert response.status_code == 200
    assert "Email address confirmed" in response.get_data(as_text=True)
    confirmed_at = address().confirmed_at
    assert confirmed_at is not None
    route = _db.session.get(Route, route_id)
    assert route.status == RouteStatus.QUEUED
    [message] = _db.session.execute(_db.select(OutboxMessage).filter_by(route_id=route_id)).scalars()
    assert message.recipient == "referrals@safe-haven.example"
    envelope, email = caught_email(smtp_server)
    assert envelope.rcpt_tos == ["referrals@safe-haven.example"] and referral.reference in email["Subject"]

    # Following the link again changes nothing, and says so.
    again = client.get(link).get_data(as_text=True)
    assert "already confirmed" in again
    assert "already confirmed" in client.post(link).get_data(as_text=True)
    assert address().confirmed_at == confirmed_at
    actions = list(
        _db.session.execute(
            _db.select(AuditEvent.action).where(AuditEvent.action != "sign_in").order_by(AuditEvent.id)
        ).scalars()
    )
    assert actions == ["partner_added", "address_added", "address_confirmed"]


def test_the_confirmation_email_says_who_and_why(new_partner, smtp_server):
    _envelope, email = caught_email(smtp_server)
    assert email["Subject"] == "Confirm your email address for the Safer Peterborough Partnership"
    for kind in ("text/plain", "text/html"):
        text = body(email, kind)
        assert "Safe Haven Support" in text and "Safer Peterborough Partnership" in text
        assert "special category data" in text and "7 days" in text and "/partner/confirm/" in text


def test_names_are_escaped_in_the_html_email(app, db, demo_config, admin):
    partner = _db.session.execute(_db.select(Partner).filter_by(slug="victim-witness-hub")).scalar_one()
    partner.name = "<script>alert(1)</script> Hub"
    with app.test_request_context():
        add_partner_address(partner, "new@example.org", admin)
    message = _db.session.execute(_db.select(OutboxMessage)).scalar_one()
    assert "<script>" not in message.body_html and "&lt;script&gt;" in message.body_html
    assert "<script>alert(1)</script> Hub" in message.body_text  # plain text is not HTML
    _db.session.rollback()


def test_a_tampered_link_is_not_found(client, link):
    for bad in (link[:-3] + "abc", link + "x", "/partner/confirm/" + "a" * 600, "/partner/confirm/not-a-token"):
        assert client.get(bad).status_code == 404
    assert address().confirmed_at is None


def test_the_link_of_a_removed_address_is_not_found(client, link, admin):
    remove_partner_address(address(), _db.session.get(type(admin), admin.id))
    _db.session.commit()
    assert client.get(link).status_code == 404


def test_an_expired_link_asks_the_partnership_for_a_new_one(app, client, link, monkeypatch):
    monkeypatch.setitem(app.config, "PARTNER_CONFIRM_DAYS", -1)  # every link is out of date
    page = client.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 410 and "This link has expired" in html
    assert "community.safety@example.org" in html
    assert client.post(link).status_code == 410
    assert address().confirmed_at is None


def test_a_post_without_the_page_token_confirms_nothing(client, link):
    response = client.post(link, data={"csrf_token": "forged"})
    assert response.status_code == 200 and "There is a problem" in response.get_data(as_text=True)
    assert address().confirmed_at is None


def test_posting_is_rate_limited(client, link):
    for _ in range(10):
        client.post(link)
    assert client.post(link).status_code == 429


def test_confirming_twice_through_the_service_changes_nothing(app, db, demo_config):
    hub = _db.session.execute(_db.select(Partner).filter_by(slug="victim-witness-hub")).scalar_one()
    confirmed = hub.addresses[0]
    first = confirmed.confirmed_at
    assert confirm_partner_address(confirmed) == 0
    assert confirmed.confirmed_at == first
    assert _db.session.execute(_db.select(AuditEvent).where(AuditEvent.action != "sign_in")).first() is None


def partner_with_slug(slug: str) -> Partner:
    return _db.session.execute(_db.select(Partner).filter_by(slug=slug)).scalar_one()


def unconfirm(partner: Partner) -> PartnerAddress:
    [address] = partner.addresses
    address.confirmed_at = None
    _db.session.commit()
    return address


def test_confirming_sends_on_held_routes_but_not_closed_or_unconsented_ones(app, db, demo_config, officer):
    from portal.models import EventType, ReferralStatus
    from portal.triage.service import close_referral

    hub = partner_with_slug("victim-witness-hub")
    address = unconfirm(hub)
    held, closed, unconsented = (make_referral() for _ in range(3))
    routes = {r: route_referral(r, hub, officer) for r in (held, closed, unconsented)}
    db.session.commit()
    assert {route.status for route in routes.values()} == {RouteStatus.HELD}
    close_referral(closed, closed.version, officer, "no_further_action", "Reporter asked us to stop")
    # The partner's type changed while the route waited: the reporter's consent no longer covers it.
    db.session.execute(
        db.update(HateIncidentReport)
        .where(HateIncidentReport.referral_id == unconsented.id)
        .values(consent_victim_support=False)
    )
    db.session.commit()

    address.confirmed_at = None
    confirm_partner_address(address)
    db.session.commit()
    db.session.expire_all()
    assert routes[held].status == RouteStatus.QUEUED
    assert EventType.HELD_SENT in [event.type for event in held.events]
    assert routes[closed].status == RouteStatus.HELD and closed.status == ReferralStatus.CLOSED
    assert routes[unconsented].status == RouteStatus.HELD


def test_a_failed_route_is_sent_again_when_a_new_address_is_confirmed(app, db, demo_config, officer):
    hub = partner_with_slug("victim-witness-hub")
    route = route_referral(make_referral(), hub, officer)
    route.status = RouteStatus.FAILED
    db.session.commit()
    new = add_partner_address(hub, "hub-new@example.org", None)
    db.session.commit()
    confirm_partner_address(new)
    db.session.commit()
    db.session.refresh(route)
    assert route.status == RouteStatus.QUEUED
    recipients = db.session.execute(
        db.select(OutboxMessage.recipient).filter_by(route_id=route.id, status="pending")
    ).scalars()
    assert "hub-new@example.org" in list(recipients)


def test_removing_an_address_cancels_what_was_waiting_to_go_to_it(app, db, demo_config, officer, admin):
    hub = partner_with_slug("victim-witness-hub")
    route = route_referral(make_referral(), hub, officer)
    db.session.commit()
    [address] = hub.addresses
    remove_partner_address(address, admin)
    db.session.commit()
    [message] = db.session.execute(db.select(OutboxMessage).filter_by(route_id=route.id)).scalars()
    assert message.status == "cancelled"
    db.session.refresh(route)
    assert route.status == RouteStatus.HELD  # flagged in the queue until another address is confirmed
    assert deliver_due_messages() == (0, 0)
