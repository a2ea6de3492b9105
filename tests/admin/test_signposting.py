"""Admin pages for the Get help directory: who may use them, adding and changing services."""

import pytest

from portal.extensions import db as _db
from portal.models import SignpostService, StaffRole
from tests.conftest import STAFF_PASSWORD, sign_in, submit_form

LIST = "/staff/admin/signposting"
NEW = "/staff/admin/signposting/new"
ADMIN_EMAIL = "ada.admin@example.org"

VALID_SERVICE = {
    "name": "Peterborough Samaritans branch",
    "who_it_helps": "Anyone who is struggling to cope and needs someone to listen.",
    "how_to_contact": "Phone 01632 960777, any time.\nEmail jo@example.org\nwww.example.org/samaritans",
    "categories": ["mental_health", "general"],
    "position": "5",
    "active": "yes",
}


@pytest.fixture
def admin(db):
    from portal.auth.service import create_staff

    user = create_staff(ADMIN_EMAIL, "Ada Admin", STAFF_PASSWORD, StaffRole.ADMIN)
    db.session.commit()
    return user


@pytest.fixture
def as_admin(client, admin):
    assert sign_in(client, ADMIN_EMAIL).status_code == 302
    return client


def service_named(name: str) -> SignpostService | None:
    return _db.session.execute(_db.select(SignpostService).filter_by(name=name)).scalar_one_or_none()


def count_services() -> int:
    return _db.session.execute(_db.select(_db.func.count(SignpostService.id))).scalar_one()


def test_admin_sees_every_service_shown_or_hidden(as_admin, demo_config):
    _db.session.execute(_db.update(SignpostService).filter_by(slug="aspire").values(active=False))
    _db.session.commit()
    page = as_admin.get(LIST).get_data(as_text=True)
    assert "Victim and Witness Hub" in page and "Aspire" in page
    assert "Hidden" in page and "Shown" in page
    assert "Support for victims and witnesses of crime, Hate crime and hate incidents" in page
    assert f'href="{NEW}"' in page


def test_admin_link_is_shown_to_admins_only(as_admin, officer, app):
    assert f'href="{LIST}"' in as_admin.get("/staff/queue").get_data(as_text=True)
    triager = app.test_client()
    sign_in(triager)
    assert f'href="{LIST}"' not in triager.get("/staff/queue").get_data(as_text=True)


def test_admin_adds_a_service_and_residents_see_it(as_admin, demo_config):
    response = submit_form(as_admin, NEW, VALID_SERVICE)
    assert response.status_code == 302 and response.headers["Location"] == LIST
    banner = as_admin.get(LIST).get_data(as_text=True)
    assert "govuk-notification-banner--success" in banner
    assert "Peterborough Samaritans branch has been added." in banner
    service = service_named("Peterborough Samaritans branch")
    assert (service.slug, service.position, service.active) == ("peterborough-samaritans-branch", 5, True)
    assert service.categories == ["general", "mental_health"]
    assert service.how_to_contact.count("\n") == 2  # the browser's CRLF stored as LF
    help_page = as_admin.get("/get-help").get_data(as_text=True)
    assert "Peterborough Samaritans branch" in help_page and "01632 960777" in help_page
    assert "www.example.org/samaritans" in help_page and 'href="www.example.org' not in help_page


def test_new_form_suggests_a_position_after_the_others(as_admin, demo_config):
    page = as_admin.get(NEW).get_data(as_text=True)
    assert 'id="position"' in page and 'value="90"' in page  # seeded at 10 to 80
    assert 'value="yes" checked' in page


def test_admin_edits_a_service_and_the_change_shows_on_get_help(as_admin, demo_config):
    aspire = service_named("Aspire")
    url = f"/staff/admin/signposting/{aspire.id}"
    page = as_admin.get(url).get_data(as_text=True)
    assert "Change Aspire" in page and "01632 960400" in page  # the form starts with what is stored
    answers = {**VALID_SERVICE, "name": "Aspire Peterborough", "categories": ["substance_misuse"], "position": "70"}
    response = submit_form(as_admin, url, answers)
    assert response.status_code == 302
    assert "Your changes to Aspire Peterborough have been saved." in as_admin.get(LIST).get_data(as_text=True)
    _db.session.refresh(aspire)
    assert (aspire.name, aspire.slug, aspire.categories) == ("Aspire Peterborough", "aspire", ["substance_misuse"])
    assert "Aspire Peterborough" in as_admin.get("/get-help").get_data(as_text=True)


def test_admin_hides_a_service(as_admin, demo_config):
    aspire = service_named("Aspire")
    url = f"/staff/admin/signposting/{aspire.id}"
    answers = {
        "name": "Aspire",
        "who_it_helps": aspire.who_it_helps,
        "how_to_contact": aspire.how_to_contact,
        "categories": aspire.categories,
        "position": "70",
        "active": "no",
    }
    saved = submit_form(as_admin, url, answers, follow_redirects=True).get_data(as_text=True)
    assert "Your changes to Aspire have been saved." in saved
    assert "Aspire" not in as_admin.get("/get-help").get_data(as_text=True)
    assert "Aspire" in as_admin.get(LIST).get_data(as_text=True)


def test_empty_form_shows_every_error_in_the_govuk_way(as_admin):
    response = submit_form(as_admin, NEW, {"position": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Add a service" in page
    assert "govuk-error-summary" in page
    for message in (
        "Enter the name of the service",
        "Enter who the service helps",
        "Enter how to contact the service",
        "Select what the service helps with",
        "Enter a position",
        "Select whether to show the service on the Get help page",
    ):
        assert page.count(message) == 2, message  # in the summary and by the question
    assert 'href="#name"' in page and 'href="#categories"' in page
    assert count_services() == 0


def test_over_long_and_malformed_answers_are_refused_and_kept(as_admin):
    answers = {
        **VALID_SERVICE,
        "name": "N" * 201,
        "who_it_helps": "W" * 1001,
        "how_to_contact": "Phone 01632 960777",
        "position": "ten",
    }
    page = submit_form(as_admin, NEW, answers).get_data(as_text=True)
    assert "Name must be 200 characters or fewer" in page
    assert "Who it helps must be 1,000 characters or fewer" in page
    assert "Position must be a whole number, like 10" in page
    assert "N" * 201 in page and "W" * 1001 in page and 'value="ten"' in page
    assert "Phone 01632 960777" in page
    assert 'value="mental_health" checked' in page and 'value="housing" checked' not in page
    assert 'value="yes" checked' in page
    for position in ("-1", "10000", "1.5", "²"):
        page = submit_form(as_admin, NEW, {**VALID_SERVICE, "position": position}).get_data(as_text=True)
        assert "Position must be" in page, position
    assert count_services() == 0


def test_unknown_category_and_answer_are_refused(as_admin):
    page = submit_form(as_admin, NEW, {**VALID_SERVICE, "categories": ["nonsense"], "active": "maybe"})
    text = page.get_data(as_text=True)
    assert "Select what the service helps with" in text
    assert "Select whether to show the service on the Get help page" in text
    assert count_services() == 0


def test_a_second_service_with_the_same_name_is_refused(as_admin, demo_config):
    page = submit_form(as_admin, NEW, {**VALID_SERVICE, "name": "aspire"}).get_data(as_text=True)
    assert "There is already a service called aspire" in page
    other = service_named("Cross Keys Homes")
    url = f"/staff/admin/signposting/{other.id}"
    page = submit_form(as_admin, url, {**VALID_SERVICE, "name": "Aspire"}).get_data(as_text=True)
    assert "There is already a service called Aspire" in page
    _db.session.refresh(other)
    assert other.name == "Cross Keys Homes"


def test_hostile_input_is_stored_as_text_and_escaped_everywhere(as_admin):
    hostile = {
        **VALID_SERVICE,
        "name": "<script>alert('name')</script>",
        "who_it_helps": '<img src=x onerror="alert(1)">',
        "how_to_contact": '<a href="javascript:alert(1)">call us</a>',
    }
    assert submit_form(as_admin, NEW, hostile).status_code == 302
    for url in (LIST, "/get-help"):
        page = as_admin.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "&lt;script&gt;" in page
        assert "<img src=x" not in page
        assert 'href="javascript:' not in page
    service = service_named("<script>alert('name')</script>")
    assert service.slug == "script-alert-name-script"
    edit = as_admin.get(f"/staff/admin/signposting/{service.id}").get_data(as_text=True)
    assert "<script>alert" not in edit


def test_unknown_service_is_404(as_admin):
    assert as_admin.get("/staff/admin/signposting/999999").status_code == 404


def test_a_triager_gets_the_403_page(signed_in):
    for url in (LIST, NEW, "/staff/admin/signposting/1"):
        response = signed_in.get(url)
        assert response.status_code == 403
        assert "You do not have permission to see this page" in response.get_data(as_text=True)
    response = signed_in.post(NEW, data=VALID_SERVICE)
    assert response.status_code in (400, 403)
    assert count_services() == 0


def test_a_signed_out_visitor_is_sent_to_sign_in(client, db):
    for url in (LIST, NEW, "/staff/admin/signposting/1"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/staff/sign-in")
    assert client.post(NEW, data=VALID_SERVICE).status_code in (302, 400)
    assert count_services() == 0


def test_admin_pages_are_not_cached(as_admin):
    assert as_admin.get(LIST).headers["Cache-Control"] == "no-store"
