"""Deny by default, as a table: every URL rule of the app, with every method it answers, as a signed-out visitor,
a triage officer, an admin, and someone holding a partner link forged for another partner. And CSRF on every
POST. Who may use what is tests/test_access.py's ACCESS table; a route missing from it fails there.
"""

import pytest

from portal.routing.links import ROUTE_SALT, _serializer, route_token
from portal.security import FORMS_CHECK_THEIR_OWN_CSRF
from tests.conftest import csrf_headers, make_referral, sign_in
from tests.partner import POLICE, partner_named, route_to
from tests.test_access import ACCESS, ADMIN, PUBLIC, STAFF

# These end the session the rest of a run uses; tests/auth and tests/reporting cover them.
ENDS_THE_SESSION = {"reporting.exit_page", "reporting.new_report", "auth.sign_out"}
CSRF_MESSAGE = "We could not check that"


def values(reference: str, token: str) -> dict:
    return {
        "reference": reference,
        "action": "note",
        "slug": "neighbourhood-watch",
        "page": "about-you",
        "filename": "images/favicon.svg",
        "service_id": 1,
        "scheme_id": 1,
        "template_id": 1,
        "partner_id": 1,
        "address_id": 1,
        "rule_id": 1,
        "token": token,
        "table": "by-strand",
        "language": "pl",
        "subject": "scheme",
        "thing_id": 1,
    }


def every_request(app, url_values: dict):
    """(endpoint, method, url) for every rule and every method it answers."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        url = rule.build({name: url_values[name] for name in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def another_partners_token(route) -> str:
    """A correctly signed link naming this route but another partner: what a partner could try on a route
    that is not theirs if it ever learned a route id. It must be a plain 404."""
    police = partner_named(POLICE)
    assert police.id != route.partner_id
    return _serializer(ROUTE_SALT).dumps({"route": route.id, "partner": police.id})


def signed_in_as(app, role: str):
    client = app.test_client()
    if role != "anonymous":
        email = "officer@example.org" if role == "triager" else "admin.person@example.org"
        assert sign_in(client, email=email).status_code == 302
    return client


@pytest.fixture
def world(app, db, demo_config, officer, admin):
    """A referral routed to a partner, and a link to that route forged for another partner."""
    route = route_to(officer)
    return {"reference": make_referral().reference, "route": route, "forged": another_partners_token(route)}


@pytest.mark.parametrize("role", ["anonymous", "triager", "admin"])
def test_every_route_and_method_answers_each_role_as_the_table_says(app, world, role):
    client = signed_in_as(app, role)
    headers = csrf_headers(client)
    for endpoint, method, url in every_request(app, values(world["reference"], world["forged"])):
        if endpoint in ENDS_THE_SESSION:
            continue
        response = client.open(url, method=method, headers=headers)
        code, where = response.status_code, (endpoint, method, role, response.status_code)
        to_sign_in = code == 302 and "/staff/sign-in" in response.headers.get("Location", "")
        level = ACCESS[endpoint]
        if endpoint.startswith("partner.") and "token" in url_values_of(app, endpoint):
            assert code == 404, where  # another partner's link opens nothing, whoever is signed in
        elif level == PUBLIC:
            # A later step of signing in (a security code, say) sends anyone without a sign-in under way back
            # to the start: that is the sign-in page, not a refusal.
            assert code < 500 and code not in (401, 403), where
        elif (level == STAFF and role != "anonymous") or (level == ADMIN and role == "admin"):
            assert code < 500 and code not in (401, 403) and not to_sign_in, where
        elif role == "anonymous":
            assert to_sign_in, where
        else:
            assert code == 403, where


def url_values_of(app, endpoint: str) -> set[str]:
    return {name for rule in app.url_map.iter_rules(endpoint) for name in rule.arguments}


def test_a_partner_link_opens_its_own_route_only(app, world, client):
    own = route_token(world["route"])
    assert client.get(f"/partner/r/{own}").status_code == 200
    assert client.get(f"/partner/r/{world['forged']}").status_code == 404
    for action in ("acknowledge", "hand-back", "outcome", "new-link"):
        assert client.post(f"/partner/r/{world['forged']}/{action}", headers=csrf_headers(client)).status_code == 404


def test_signing_out_needs_a_session(app, world):
    client = app.test_client()
    response = client.post("/staff/sign-out", headers=csrf_headers(client))
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_every_post_without_a_csrf_token_is_refused(app, world):
    """Staff, admin and sign-in posts are a 400 before their view runs; the public journeys' forms refuse the
    post themselves and show the answers again with a message (their own tests check nothing was saved)."""
    client = signed_in_as(app, "admin")
    own = route_token(world["route"])
    posts = [
        (endpoint, url)
        for endpoint, method, url in every_request(app, values(world["reference"], own))
        if method == "POST" and endpoint != "auth.sign_out"
    ]
    assert posts, "no POST routes found"
    for endpoint, url in posts:
        response = client.post(url, data={"anything": "at all"})
        blueprint = endpoint.split(".", 1)[0]
        if blueprint not in FORMS_CHECK_THEIR_OWN_CSRF:
            assert response.status_code == 400, (endpoint, response.status_code)
        else:
            assert response.status_code in (200, 302, 400, 404), (endpoint, response.status_code)
            if response.status_code == 200:
                assert CSRF_MESSAGE in response.get_data(as_text=True), endpoint
    # Signing out without the token keeps the session.
    assert client.post("/staff/sign-out").status_code == 400
    assert client.get("/staff/queue").status_code == 200
