"""Admin pages for volunteering schemes: who may use them, adding a scheme, opening and closing one,
its partner and automatic routing, and the checks on what admins type."""

import pytest

from portal.extensions import db as _db
from portal.models import Partner, StaffRole, VolunteerScheme
from tests.conftest import STAFF_PASSWORD, sign_in, submit_form

LIST = "/staff/admin/schemes"
NEW = "/staff/admin/schemes/new"
ADMIN_EMAIL = "ada.admin@example.org"


@pytest.fixture
def as_admin(client, db):
    from portal.auth.service import create_staff

    create_staff(ADMIN_EMAIL, "Ada Admin", STAFF_PASSWORD, StaffRole.ADMIN)
    db.session.commit()
    assert sign_in(client, ADMIN_EMAIL).status_code == 302
    return client


def partner_id(slug: str) -> str:
    return str(_db.session.execute(_db.select(Partner.id).filter_by(slug=slug)).scalar_one())


def scheme(slug: str) -> VolunteerScheme:
    _db.session.expire_all()
    return _db.session.execute(_db.select(VolunteerScheme).filter_by(slug=slug)).scalar_one()


def valid_scheme(**changes) -> dict:
    return {
        "name": "Street Pastors",
        "summary": "Volunteers who are out at night in the city centre, helping people who are vulnerable.",
        "what_volunteers_do": "Walk the city centre on Friday and Saturday nights.",
        "time_commitment": "One night a month",
        "min_age": "18",
        "max_age": "",
        "carer_consent_under_18": "no",
        "vetting_notes": "",
        "partner_id": partner_id("council-cohesion"),
        "auto_route": "yes",
        "status": "open",
        "signpost_only": "no",
        "external_url": "",
        "position": "70",
        **changes,
    }


def test_triage_officers_get_403_and_visitors_are_asked_to_sign_in(client, signed_in, demo_config):
    for path in (LIST, NEW, f"{LIST}/{scheme('neighbourhood-watch').id}"):
        assert signed_in.get(path).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(app, db):
    response = app.test_client().get(LIST)
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_admin_sees_every_scheme_and_the_link_to_it(as_admin, demo_config):
    page = as_admin.get(LIST).get_data(as_text=True)
    for text in ("Volunteer Police Cadets", "Do-It", "Waiting list", "Automatically", "After an officer checks"):
        assert text in page
    assert f'href="{LIST}"' in as_admin.get("/staff/admin/signposting").get_data(as_text=True)


def test_admin_adds_a_scheme_and_residents_can_sign_up(as_admin, demo_config):
    response = submit_form(as_admin, NEW, valid_scheme())
    assert response.status_code == 302 and response.headers["Location"] == LIST
    assert "Street Pastors has been added." in as_admin.get(LIST).get_data(as_text=True)
    added = scheme("street-pastors")
    assert (added.min_age, added.max_age, added.auto_route, added.partner.slug) == (18, None, True, "council-cohesion")
    page = as_admin.get("/volunteer/street-pastors/").get_data(as_text=True)
    assert "One night a month" in page and "/volunteer/street-pastors/start" in page


def test_admin_closes_a_scheme_and_turns_off_automatic_routing(as_admin, demo_config):
    watch = scheme("neighbourhood-watch")
    edit = f"{LIST}/{watch.id}"
    page = as_admin.get(edit).get_data(as_text=True)
    assert 'value="Neighbourhood Watch"' in page and "/volunteer/neighbourhood-watch/" in page
    data = valid_scheme(
        name="Neighbourhood Watch", status="closed", auto_route="no", partner_id=partner_id("neighbourhood-watch")
    )
    assert submit_form(as_admin, edit, data).headers["Location"] == LIST
    closed = scheme("neighbourhood-watch")
    assert (closed.status, closed.auto_route, closed.slug) == ("closed", False, "neighbourhood-watch")
    assert "not taking new volunteers" in as_admin.get("/volunteer/neighbourhood-watch/").get_data(as_text=True)


def test_a_signpost_only_scheme_needs_a_web_address_and_never_routes(as_admin, demo_config):
    page = submit_form(as_admin, NEW, valid_scheme(signpost_only="yes")).get_data(as_text=True)
    assert "Enter the web address where people sign up" in page
    page = submit_form(as_admin, NEW, valid_scheme(signpost_only="yes", external_url="javascript:alert(1)"))
    assert "Enter a web address that starts with https://" in page.get_data(as_text=True)
    data = valid_scheme(signpost_only="yes", external_url="https://example.org/volunteer")
    assert submit_form(as_admin, NEW, data).status_code == 302
    added = scheme("street-pastors")
    assert added.signpost_only and not added.auto_route and added.external_url == "https://example.org/volunteer"


ERRORS = [
    ({"name": "", "summary": ""}, ["Enter the name of the scheme", "Enter a summary of the scheme"]),
    ({"min_age": "thirteen"}, ["Minimum age (optional) must be a whole number, like 18"]),
    ({"min_age": "18", "max_age": "13"}, ["Maximum age must be the same as or more than the minimum age"]),
    ({"max_age": "999"}, ["must be 120 or less"]),
    ({"partner_id": "99999"}, ["Select a partner from the list"]),
    ({"partner_id": "", "auto_route": "yes"}, ["Select which partner runs the scheme"]),
    ({"status": "maybe", "auto_route": "", "signpost_only": ""}, ["Select one of the options"]),
    ({"summary": "x" * 501, "position": "-1"}, ["Summary must be 500 characters or fewer", "Position must be"]),
    ({"name": "Neighbourhood Watch"}, ["There is already a scheme called Neighbourhood Watch"]),
    ({"name": "<script>alert(1)</script>" * 20}, ["Name must be 200 characters or fewer"]),
]


@pytest.mark.parametrize(("changes", "messages"), ERRORS)
def test_invalid_answers_get_clear_errors_and_are_kept(as_admin, demo_config, changes, messages):
    response = submit_form(as_admin, NEW, valid_scheme(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    for message in messages:
        assert message in page
    assert "<script>alert(1)</script>" not in page
    assert _db.session.execute(_db.select(_db.func.count(VolunteerScheme.id))).scalar_one() == 6


def test_editing_a_scheme_that_does_not_exist_is_not_found(as_admin):
    assert as_admin.get(f"{LIST}/99999").status_code == 404


def test_an_admin_change_is_in_the_audit_trail(as_admin, demo_config):
    from portal.models import AuditEvent

    submit_form(as_admin, "/staff/admin/schemes/new", valid_scheme())
    [change] = _db.session.execute(_db.select(AuditEvent).filter_by(action="admin_change")).scalars()
    assert change.actor.role == StaffRole.ADMIN and change.detail["page"] == "admin.new_volunteer_scheme"
    assert change.client == "127.0.0.1"
