"""Deny by default: every route, as a signed-out visitor, a triage officer and an admin, against a table.

A new route fails test_every_route_is_in_the_table until someone decides who may use it.
"""

import pytest

from tests.conftest import make_referral, sign_in

PUBLIC, STAFF, ADMIN = "public", "staff", "admin"
ACCESS = {
    "static": PUBLIC,
    "main.home": PUBLIC,
    "main.get_help": PUBLIC,
    "main.privacy": PUBLIC,
    "main.accessibility": PUBLIC,
    "main.contact": PUBLIC,
    "main.healthz": PUBLIC,
    "reporting.emergency": PUBLIC,
    "reporting.call_999": PUBLIC,
    "reporting.start": PUBLIC,
    "reporting.new_report": PUBLIC,
    "reporting.exit_page": PUBLIC,
    "reporting.step": PUBLIC,
    "reporting.check_answers": PUBLIC,
    "reporting.confirmation": PUBLIC,
    "volunteering.schemes": PUBLIC,
    "volunteering.scheme": PUBLIC,
    "volunteering.start_sign_up": PUBLIC,
    "volunteering.step": PUBLIC,
    "volunteering.check_answers": PUBLIC,
    "volunteering.confirmation": PUBLIC,
    "volunteering.not_eligible": PUBLIC,
    "volunteering.already_applied": PUBLIC,
    "auth.sign_in": PUBLIC,
    "auth.sign_out": STAFF,
    "triage.queue": STAFF,
    "triage.referral": STAFF,
    "triage.decide": STAFF,
    "triage.export": ADMIN,
    "admin.signpost_services": ADMIN,
    "admin.new_signpost_service": ADMIN,
    "admin.edit_signpost_service": ADMIN,
    "admin.volunteer_schemes": ADMIN,
    "admin.new_volunteer_scheme": ADMIN,
    "admin.edit_volunteer_scheme": ADMIN,
    "admin.response_templates": ADMIN,
    "admin.new_response_template": ADMIN,
    "admin.edit_response_template": ADMIN,
    "admin.partners": ADMIN,
    "admin.new_partner": ADMIN,
    "admin.edit_partner": ADMIN,
    "admin.add_address": ADMIN,
    "admin.resend_address_link": ADMIN,
    "admin.remove_address": ADMIN,
    "admin.routing_rules": ADMIN,
    "admin.new_routing_rule": ADMIN,
    "admin.edit_routing_rule": ADMIN,
    "admin.delete_routing_rule": ADMIN,
    "partner.confirm_address": PUBLIC,
    # The partner's link: no account, but the signed token in the URL is the key (a bad one is a 404).
    "partner.referral": PUBLIC,
    "partner.acknowledge": PUBLIC,
    "partner.hand_back": PUBLIC,
    "partner.outcome": PUBLIC,
    "partner.new_link": PUBLIC,
}


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - ACCESS.keys() == set(), "decide who may use these routes, and add them to ACCESS"
    assert ACCESS.keys() - endpoints == set(), "these routes no longer exist"


def _requests(app, reference: str):
    """One request per route: its URL built with real values, and its first method."""
    values = {
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
        "token": "not-a-real-token",
    }
    for rule in app.url_map.iter_rules():
        method = "GET" if "GET" in rule.methods else "POST"
        url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
        yield rule.endpoint, method, url


@pytest.mark.parametrize("role", ["anonymous", "triager", "admin"])
def test_each_role_gets_exactly_what_the_table_allows(app, db, demo_config, officer, admin, role):
    reference = make_referral().reference
    client = app.test_client()
    if role != "anonymous":
        sign_in(client, email="officer@example.org" if role == "triager" else "admin.person@example.org")
    for endpoint, method, url in _requests(app, reference):
        if endpoint in {"reporting.exit_page", "reporting.new_report", "auth.sign_out"}:
            continue  # they end the session that the rest of this test uses; covered by their own tests
        response = client.open(url, method=method)
        to_sign_in = response.status_code == 302 and "/staff/sign-in" in response.headers.get("Location", "")
        level = ACCESS[endpoint]
        if level == PUBLIC or (level == STAFF and role != "anonymous") or (level == ADMIN and role == "admin"):
            assert response.status_code < 500, (endpoint, role, response.status_code)
            assert response.status_code not in (401, 403) and not to_sign_in, (endpoint, role, response.status_code)
        elif role == "anonymous":
            assert to_sign_in, (endpoint, role, response.status_code)
        else:
            assert response.status_code == 403, (endpoint, role, response.status_code)


def test_an_id_too_big_for_the_database_is_a_404(admin_client, demo_config):
    for path in (
        "/staff/admin/response-templates/",
        "/staff/admin/signposting/",
        "/staff/admin/schemes/",
        "/staff/admin/partners/",
        "/staff/admin/routing-rules/",
    ):
        assert admin_client.get(path + "9" * 20).status_code == 404
