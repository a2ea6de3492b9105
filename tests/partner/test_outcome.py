"""A volunteer scheme's partner records what became of an application through its link."""

from portal.extensions import db as _db
from portal.models import EventType, Route, RouteStatus
from tests.conftest import submit_form
from tests.partner import live_link
from tests.volunteering import applications, send_application


def scheme_route() -> Route:
    send_application_route = _db.session.execute(_db.select(Route)).scalar_one()
    return send_application_route


def test_the_partner_records_the_applicants_outcome(app, client, demo_config):
    send_application(client, "good-neighbour-scheme")  # the scheme routes its applications itself
    route = scheme_route()
    link = live_link(route)
    page = client.get(link).get_data(as_text=True)
    assert "Record the outcome" in page and "Amara Okafor" in page

    response = submit_form(client, link, {"outcome": "accepted"}, action=f"{link}/outcome")
    assert response.status_code == 302
    assert "Outcome saved." in client.get(link).get_data(as_text=True)
    [application] = applications()
    assert application.outcome == "accepted"
    referral = application.referral
    [event] = [event for event in referral.events if event.type == EventType.OUTCOME_SET]
    assert event.actor_label == "Salvation Army Good Neighbour Scheme" and event.detail["outcome"] == "accepted"
    assert _db.session.get(Route, route.id).status == RouteStatus.ACKNOWLEDGED  # recording it says they have it


def test_an_outcome_not_on_the_list_is_an_error(app, client, demo_config):
    send_application(client, "good-neighbour-scheme")
    link = live_link(scheme_route())
    for outcome in ({}, {"outcome": "promoted"}):
        page = submit_form(client, link, outcome, action=f"{link}/outcome")
        assert page.status_code == 200 and "govuk-error-summary" in page.get_data(as_text=True)
    assert applications()[0].outcome is None


def test_a_hate_incident_has_no_outcome_to_record(client, demo_config, officer):
    from tests.partner import route_to

    link = live_link(route_to(officer))
    page = client.get(link).get_data(as_text=True)
    assert "Record the outcome" not in page
    submit_form(client, link, {"outcome": "accepted"}, action=f"{link}/outcome")
    assert "Only the partner that runs the scheme records an application" in client.get(link).get_data(as_text=True)
