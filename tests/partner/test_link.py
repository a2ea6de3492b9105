"""The partner's secure link, through the real path: a routed referral, its email delivered to a real SMTP
server, the link read from that email, and the partner's page and actions."""

import pytest

from portal.extensions import db as _db
from portal.extensions import limiter
from portal.models import Classification, EventType, Referral, ReferralStatus, Route, RouteStatus
from portal.routing.links import ROUTE_SALT, _serializer
from portal.triage.service import classify_referral, close_referral
from tests.conftest import csrf_token, make_referral, submit_form
from tests.partner import (
    HUB,
    POLICE,
    caught_emails,
    expired_link,
    link_in,
    live_link,
    partner_named,
    plain_body,
    route_to,
)

POLICE_CONSENT = {"what_next": {"consents": ["victim_support", "police"]}}


def fresh(model, id_):
    _db.session.expire_all()
    return _db.session.get(model, id_)


def events(referral_id: int, event_type: EventType) -> list:
    return [event for event in fresh(Referral, referral_id).events if event.type == event_type]


@pytest.fixture
def route(demo_config, officer):
    return route_to(officer)


@pytest.fixture
def link(route, smtp_server) -> str:
    [email] = caught_emails(smtp_server)
    return link_in(email)


def acknowledge(client, link):
    return submit_form(client, link, {}, action=f"{link}/acknowledge")


def hand_back(client, link, reason):
    return submit_form(client, link, {"reason": reason}, action=f"{link}/hand-back")


def test_the_link_in_the_email_shows_the_referral_and_every_view_is_an_event(client, route, link):
    referral = route.referral
    for _ in range(2):
        page = client.get(link)
        assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"Referral {referral.reference} for Victim and Witness Hub" in html
    assert "A hate incident report (religion or belief)" in html  # the one-line summary
    assert "Two men shouted abuse about my religion" in html  # the answers
    assert "Not acknowledged yet" in html and "Acknowledge referral" in html
    assert "Staff area" not in html and "/staff/queue" not in html
    assert page.headers["Cache-Control"] == "no-store"
    views = events(referral.id, EventType.VIEWED)
    assert [(event.actor_label, event.actor_id) for event in views] == [("Victim and Witness Hub", None)] * 2


def test_acknowledging_moves_the_route_and_the_referral_on_once(client, route, link):
    version = fresh(Referral, route.referral_id).version
    response = acknowledge(client, link)
    assert response.status_code == 302 and response.headers["Location"].endswith(link)
    page = client.get(link).get_data(as_text=True)
    assert "You have acknowledged referral" in page and "Acknowledge referral" not in page
    acknowledged = fresh(Route, route.id)
    assert acknowledged.status == RouteStatus.ACKNOWLEDGED and acknowledged.acknowledged_at is not None
    referral = acknowledged.referral
    assert referral.status == ReferralStatus.ACKNOWLEDGED and referral.version == version + 1
    [event] = events(referral.id, EventType.ACKNOWLEDGED)
    assert (event.actor_label, event.detail) == ("Victim and Witness Hub", {"partner": "Victim and Witness Hub"})

    token = csrf_token(page)  # the same action again, from a page left open: harmless
    client.post(f"{link}/acknowledge", data={"csrf_token": token})
    assert "You had already acknowledged" in client.get(link).get_data(as_text=True)
    assert len(events(referral.id, EventType.ACKNOWLEDGED)) == 1
    assert fresh(Referral, referral.id).version == version + 1


def test_an_action_without_the_forms_token_is_refused(client, route, link):
    client.get(link)
    page = client.post(f"{link}/acknowledge", data={})
    assert page.status_code == 200
    assert "We could not check that this form came from you" in page.get_data(as_text=True)
    assert fresh(Route, route.id).status != RouteStatus.ACKNOWLEDGED


def test_a_closed_referral_is_read_only_and_stays_closed(client, route, link, officer):
    token = csrf_token(client.get(link).get_data(as_text=True))
    referral = fresh(Referral, route.referral_id)
    close_referral(referral, referral.version, officer, "no_further_action", "Reporter asked us to stop")
    _db.session.commit()
    page = client.get(link).get_data(as_text=True)
    assert "has closed this referral" in page
    assert "Acknowledge referral" not in page and "Two men shouted" not in page
    client.post(f"{link}/acknowledge", data={"csrf_token": token})
    assert "This referral is closed" in client.get(link).get_data(as_text=True)
    assert fresh(Referral, referral.id).status == ReferralStatus.CLOSED
    assert fresh(Route, route.id).status != RouteStatus.ACKNOWLEDGED


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Enter why you are handing it back"),
        ("   \n ", "Enter why you are handing it back"),
        ("This is not ours. " * 200, "The reason must be 2,000 characters or fewer"),
    ],
)
def test_handing_back_needs_a_reason_of_a_sensible_length(client, route, link, reason, error):
    page = hand_back(client, link, reason)
    assert page.status_code == 200  # the checking client has checked the "Error: " title
    html = page.get_data(as_text=True)
    assert "govuk-error-summary" in html and error in html
    if reason.strip():
        assert "This is not ours. This is not ours." in html  # what they typed is kept
    assert fresh(Route, route.id).status != RouteStatus.HANDED_BACK


def test_handing_back_returns_it_to_triage_with_the_reason(client, route, link):
    reason = "<script>alert('x')</script> Outside our area & not a victim-support case"
    response = hand_back(client, link, reason)
    assert response.status_code == 302
    page = client.get(link).get_data(as_text=True)
    assert "You have handed referral" in page
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    assert "Two men shouted" not in page and "Acknowledge referral" not in page  # read-only now
    handed_back = fresh(Route, route.id)
    assert handed_back.status == RouteStatus.HANDED_BACK and handed_back.handed_back_at is not None
    assert handed_back.hand_back_reason == reason
    assert handed_back.referral.status == ReferralStatus.HANDED_BACK
    [event] = events(route.referral_id, EventType.HANDED_BACK)
    assert event.actor_label == "Victim and Witness Hub" and event.detail["reason"] == reason


def test_handing_back_twice_keeps_the_first_reason(client, route, link):
    token = csrf_token(client.get(link).get_data(as_text=True))
    client.post(f"{link}/hand-back", data={"csrf_token": token, "reason": "Not ours"})
    client.post(f"{link}/hand-back", data={"csrf_token": token, "reason": "Changed my mind"})
    assert "You had already handed referral" in client.get(link).get_data(as_text=True)
    assert fresh(Route, route.id).hand_back_reason == "Not ours"
    assert len(events(route.referral_id, EventType.HANDED_BACK)) == 1
    client.post(f"{link}/acknowledge", data={"csrf_token": token})
    assert "cannot be acknowledged" in client.get(link).get_data(as_text=True)


@pytest.mark.parametrize(
    "link",
    [
        "/partner/r/not-a-token",
        "/partner/r/" + "x" * 600,
        "/partner/r/eyJyb3V0ZSI6MSwicGFydG5lciI6Mn0.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb",
    ],
)
def test_a_link_that_is_not_ours_is_a_plain_404(client, demo_config, link):
    assert client.get(link).status_code == 404
    assert client.post(f"{link}/acknowledge").status_code == 404
    assert client.post(f"{link}/new-link").status_code == 404


def test_a_tampered_link_is_a_404_and_records_nothing(client, route, link):
    token = link.rsplit("/", 1)[1]
    middle = len(token) // 2
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    assert client.get(f"/partner/r/{tampered}").status_code == 404
    assert client.get(f"/partner/r/{token}x").status_code == 404
    assert events(route.referral_id, EventType.VIEWED) == []


def test_a_link_acts_on_its_own_route_only(client, demo_config, officer):
    hub_route = route_to(officer, HUB, **POLICE_CONSENT)
    police_route = route_to(officer, POLICE, referral=hub_route.referral)
    acknowledge(client, live_link(hub_route))
    assert fresh(Route, hub_route.id).status == RouteStatus.ACKNOWLEDGED
    assert fresh(Route, police_route.id).status == RouteStatus.QUEUED

    # A well-signed token that pairs one partner with another partner's route opens nothing.
    forged = _serializer(ROUTE_SALT).dumps({"route": police_route.id, "partner": hub_route.partner_id})
    assert client.get(f"/partner/r/{forged}").status_code == 404
    deleted = _serializer(ROUTE_SALT).dumps({"route": 999999, "partner": hub_route.partner_id})
    assert client.get(f"/partner/r/{deleted}").status_code == 404


def test_an_expired_link_offers_a_new_one_sent_only_to_confirmed_addresses(client, route, smtp_server):
    from portal.models import PartnerAddress

    hub = partner_named(HUB)
    hub.addresses.append(PartnerAddress(email="typo@example.org"))  # never confirmed
    _db.session.commit()
    caught_emails(smtp_server)  # the first email
    old = expired_link(route)
    page = client.get(old)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "This link has expired" in html
    assert route.referral.reference not in html and "Two men shouted" not in html
    assert events(route.referral_id, EventType.VIEWED) == []

    response = submit_form(client, old, {"email": "attacker@example.com"}, action=f"{old}/new-link")
    assert response.status_code == 302
    html = client.get(old).get_data(as_text=True)
    assert "We have sent a new link to the addresses Victim and Witness Hub has confirmed with us" in html
    assert "victim-hub@example.org" not in html and "Send a new link" not in html
    [_first, email] = caught_emails(smtp_server)
    assert smtp_server.handler.messages[-1].rcpt_tos == ["victim-hub@example.org"]
    assert email["Subject"] == f"New link for referral {route.referral.reference}"
    [event] = events(route.referral_id, EventType.LINK_RESENT)
    assert event.actor_label == "Victim and Witness Hub"
    assert client.get(link_in(email)).status_code == 200  # the new link works

    again = client.post(
        f"{old}/new-link", data={"csrf_token": csrf_token(client.get(live_link(route)).get_data(as_text=True))}
    )
    assert again.status_code == 302
    assert "less than 15 minutes ago" in client.get(old).get_data(as_text=True)
    assert len(caught_emails(smtp_server)) == 2


def test_actions_on_an_expired_link_change_nothing(client, route):
    old = expired_link(route)
    token = csrf_token(client.get(live_link(route)).get_data(as_text=True))
    response = client.post(f"{old}/acknowledge", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(old)
    assert fresh(Route, route.id).status != RouteStatus.ACKNOWLEDGED


def test_a_partner_no_longer_in_the_partnership_sees_no_details(client, route, link):
    hub = partner_named(HUB)
    hub.active = False
    _db.session.commit()
    html = client.get(link).get_data(as_text=True)
    assert "no longer sends referrals to Victim and Witness Hub" in html
    assert route.referral.reference not in html and "Two men shouted" not in html


def test_too_many_requests_get_the_kind_429_page(client, route, link):
    limiter.reset()
    statuses = [client.get(link).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    assert "You have sent too many requests" in client.get(link).get_data(as_text=True)


def test_asking_for_new_links_is_limited_hard(client, route):
    old = expired_link(route)
    token = csrf_token(client.get(old).get_data(as_text=True))
    statuses = [client.post(f"{old}/new-link", data={"csrf_token": token}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(events(route.referral_id, EventType.LINK_RESENT)) == 1


def test_a_non_crime_incident_hides_the_people_pages_from_the_partner(client, demo_config, officer):
    from tests.conftest import make_referral

    referral = make_referral(
        people={"perpetrator_known": "yes", "perpetrator_description": "My neighbour Dave"},
        witnesses={"witnesses": "yes", "witness_details": "Mrs Patel at number 4"},
    )
    classify_referral(referral, referral.version, officer, Classification.NON_CRIME)
    _db.session.commit()
    route = route_to(officer, HUB, referral=fresh(Referral, referral.id))
    html = client.get(live_link(route)).get_data(as_text=True)
    assert "Two men shouted" in html
    assert "My neighbour Dave" not in html and "Mrs Patel" not in html


def test_a_partner_without_secure_email_gets_the_link_but_not_the_answers(route, smtp_server):
    [email] = caught_emails(smtp_server)
    body, html = email.get_body(("plain",)).get_content(), email.get_body(("html",)).get_content()
    reference = route.referral.reference
    assert reference in email["Subject"] and "religion" not in email["Subject"].lower()
    for text in (body, html):
        assert reference in text and "Hate incident" in text and "Normal" in text
        # The kind of hostility is special category data: not in an email to an ordinary inbox.
        assert "A hate incident report in " in text and "religion" not in text.lower()
        assert "/partner/r/" in text and "14 days" in text
        assert "Two men shouted" not in text and "Lincoln Road" not in text
        assert "They are behind the link" in text


def test_a_secure_email_partner_gets_the_answers_escaped_in_html(demo_config, officer, smtp_server):
    route = route_to(
        officer,
        POLICE,
        **POLICE_CONSENT,
        what_happened={"incident_types": ["verbal"], "description": "They wrote <b>GO HOME</b> on the door & ran."},
    )
    [email] = caught_emails(smtp_server)
    body, html = email.get_body(("plain",)).get_content(), email.get_body(("html",)).get_content()
    assert "They wrote <b>GO HOME</b> on the door & ran." in body
    assert "They wrote &lt;b&gt;GO HOME&lt;/b&gt; on the door &amp; ran." in html
    assert "<b>GO HOME</b>" not in html
    assert "/partner/r/" in body and route.referral.reference in email["Subject"]
    assert "religion" not in email["Subject"].lower()


def test_equality_monitoring_answers_never_reach_a_partner(client, demo_config, officer, smtp_server):
    route = route_to(officer, POLICE, **POLICE_CONSENT, equality={"religion": "hindu", "ethnicity": "asian"})
    assert route.referral.equality is not None and route.referral.equality.religion == "hindu"
    [email] = caught_emails(smtp_server)
    page = client.get(live_link(route)).get_data(as_text=True)
    for text in (plain_body(email), email.get_body(("html",)).get_content(), page):
        assert "Two men shouted" in text  # a secure-email partner sees the report itself
        assert "Equality monitoring" not in text and "Hindu" not in text and "What is your religion" not in text


def test_no_new_link_for_a_referral_the_partner_handed_back(client, demo_config, officer, smtp_server):
    from portal.partner.service import PartnerActionError, hand_back_route, resend_route_link

    route = route_to(officer)
    hand_back_route(route, "Not for us: the victim lives outside our area")
    _db.session.commit()
    with pytest.raises(PartnerActionError, match="nothing more to do"):
        resend_route_link(route)


def test_one_partner_acknowledging_does_not_hide_anothers_hand_back(demo_config, officer):
    from portal.models import ReferralStatus
    from portal.partner.service import acknowledge_route, hand_back_route

    referral = make_referral(**POLICE_CONSENT)
    hub, police = route_to(officer, HUB, referral=referral), route_to(officer, POLICE, referral=referral)
    hand_back_route(hub, "We cannot support this person: they are already with another service")
    acknowledge_route(police)
    _db.session.commit()
    _db.session.refresh(referral)
    assert referral.status == ReferralStatus.HANDED_BACK
