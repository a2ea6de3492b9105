"""The staff queue, the referral page and routing to a partner."""

from portal.extensions import db as _db
from portal.models import EventType, OutboxMessage, Partner, Referral, ReferralStatus, Route
from tests.conftest import make_referral, submit_form


def make_report(client, **pages) -> Referral:
    return make_referral(**pages)


def partner(slug: str) -> Partner:
    return _db.session.execute(_db.select(Partner).filter_by(slug=slug)).scalar_one()


def test_queue_lists_newest_first(signed_in, demo_config):
    first = make_report(signed_in)
    second = make_report(signed_in)
    page = signed_in.get("/staff/queue").get_data(as_text=True)
    assert page.index(second.reference) < page.index(first.reference)


def test_referral_page_shows_answers_escaped_and_records_the_view(signed_in, demo_config, officer):
    referral = make_report(
        signed_in, what_happened={"incident_types": ["verbal"], "description": "<script>alert('x')</script> shouted"}
    )
    page = signed_in.get(f"/staff/referrals/{referral.reference}").get_data(as_text=True)
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert "Bus stop on Lincoln Road" in page
    _db.session.refresh(referral)
    viewed = [event for event in referral.events if event.type == EventType.VIEWED]
    assert len(viewed) == 1 and viewed[0].actor_id == officer.id


def test_unknown_or_malformed_reference_is_404(signed_in):
    for reference in ("HC-ZZZZZZ", "HC-%00", "nonsense", "HC-" + "A" * 500):
        assert signed_in.get(f"/staff/referrals/{reference}").status_code == 404


def test_routing_writes_route_and_email_in_one_commit(signed_in, demo_config):
    referral = make_report(signed_in)
    hub = partner("victim-witness-hub")
    url = f"/staff/referrals/{referral.reference}"
    response = submit_form(signed_in, url, {"partner": str(hub.id)}, action=f"{url}/route")
    assert response.status_code == 302
    route = _db.session.execute(_db.select(Route)).scalar_one()
    message = _db.session.execute(_db.select(OutboxMessage)).scalar_one()
    assert (route.partner_id, message.route_id, message.recipient) == (hub.id, route.id, hub.email)
    assert referral.reference in message.subject
    assert "religion" not in message.subject.lower()
    assert "Two men shouted abuse" not in message.body_text  # not a secure-email partner: notice only
    _db.session.refresh(referral)
    assert referral.status == ReferralStatus.ROUTED
    assert EventType.ROUTED in [event.type for event in referral.events]


def test_secure_email_partner_gets_the_details(signed_in, demo_config):
    referral = make_report(signed_in)
    police = partner("police-hate-crime")
    url = f"/staff/referrals/{referral.reference}"
    submit_form(signed_in, url, {"partner": str(police.id)}, action=f"{url}/route")
    message = _db.session.execute(_db.select(OutboxMessage)).scalar_one()
    assert "Two men shouted abuse" in message.body_text


def test_route_needs_a_partner_and_rejects_an_inactive_one(signed_in, demo_config):
    referral = make_report(signed_in)
    url = f"/staff/referrals/{referral.reference}"
    page = submit_form(signed_in, url, {}, action=f"{url}/route").get_data(as_text=True)
    assert "Select a partner" in page
    inactive = partner("cross-keys-homes")
    inactive.active = False
    _db.session.commit()
    page = submit_form(signed_in, url, {"partner": str(inactive.id)}, action=f"{url}/route").get_data(as_text=True)
    assert "Select a partner from the list" in page
    for hostile in ("nonsense", "²", "9" * 40, "-1"):
        response = submit_form(signed_in, url, {"partner": hostile}, action=f"{url}/route")
        assert response.status_code == 200
        assert "Select a partner from the list" in response.get_data(as_text=True)
    assert _db.session.execute(_db.select(_db.func.count(Route.id))).scalar_one() == 0


def test_a_partner_is_offered_once(signed_in, demo_config):
    referral = make_report(signed_in)
    hub = partner("victim-witness-hub")
    url = f"/staff/referrals/{referral.reference}"
    submit_form(signed_in, url, {"partner": str(hub.id)}, action=f"{url}/route")
    page = submit_form(signed_in, url, {"partner": str(hub.id)}, action=f"{url}/route").get_data(as_text=True)
    assert "Select a partner from the list" in page
    assert _db.session.execute(_db.select(_db.func.count(Route.id))).scalar_one() == 1


def test_routing_twice_to_the_same_partner_at_once_is_refused_not_a_crash(app, db, demo_config, officer):
    from portal.routing.service import RoutingError, route_referral

    referral = make_referral()
    hub = partner("victim-witness-hub")
    # Another officer's route to the same partner lands first, behind this session's back.
    with db.engine.begin() as connection:
        connection.execute(
            Route.__table__.insert().values(
                referral_id=referral.id, partner_id=hub.id, status="queued", created_at=referral.created_at
            )
        )
    try:
        route_referral(referral, hub, officer)
    except RoutingError as error:
        assert "already been sent" in str(error)
    else:
        raise AssertionError("a second route to the same partner was accepted")
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count(Route.id))).scalar_one() == 1
