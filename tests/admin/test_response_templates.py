"""Admin pages for response templates: who may use them, adding, changing and withdrawing templates."""

import pytest

from portal.admin.response_service import ResponseTemplateError, TemplateAnswers, create_response_template
from portal.extensions import db as _db
from portal.models import ResponseTemplate, StaffRole, TemplatePurpose
from tests.conftest import STAFF_PASSWORD, make_referral, sign_in, submit_form

LIST = "/staff/admin/response-templates"
NEW = "/staff/admin/response-templates/new"
ADMIN_EMAIL = "ada.admin@example.org"

VALID_TEMPLATE = {
    "name": "Spoke to the reporter",
    "purpose": "note",
    "body": "Phoned the reporter.\r\nThey are happy for us to share the report with the council.",
    "active": "y",
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


def template_named(name: str) -> ResponseTemplate | None:
    return _db.session.execute(_db.select(ResponseTemplate).filter_by(name=name)).scalar_one_or_none()


def count_templates() -> int:
    return _db.session.execute(_db.select(_db.func.count(ResponseTemplate.id))).scalar_one()


def a_template(name="Left a voicemail", purpose=TemplatePurpose.NOTE, body="Left a voicemail.", active=True):
    template = create_response_template(TemplateAnswers(name=name, purpose=purpose, body=body, active=active))
    _db.session.commit()
    return template


def test_admin_sees_every_template_grouped_by_purpose(as_admin):
    a_template("Left a voicemail")
    a_template("Report received", TemplatePurpose.REPORTER_UPDATE, "Thank you for your report.")
    a_template("Old wording", TemplatePurpose.REPORTER_UPDATE, "We are looking at it.", active=False)
    page = as_admin.get(LIST).get_data(as_text=True)
    notes, updates = page.index("Internal notes"), page.index("Updates to reporters")
    assert notes < page.index("Left a voicemail") < updates < page.index("Report received")
    assert updates < page.index("Old wording")
    assert page.count("Not offered") == 1 and page.count(">Offered<") == 2
    assert f'href="{NEW}"' in page


def test_the_list_says_when_a_group_is_empty(as_admin):
    page = as_admin.get(LIST).get_data(as_text=True)
    assert page.count("There are no templates of this kind yet.") == 2


def test_the_get_help_admin_page_links_to_the_templates(as_admin):
    assert f'href="{LIST}"' in as_admin.get("/staff/admin/signposting").get_data(as_text=True)


def test_admin_adds_a_template_and_officers_can_choose_it(as_admin, app, officer, demo_config):
    page = as_admin.get(NEW).get_data(as_text=True)
    assert 'name="active" type="checkbox" value="y" checked' in page
    assert 'data-maxlength="5000"' in page
    response = submit_form(as_admin, NEW, VALID_TEMPLATE)
    assert response.status_code == 302 and response.headers["Location"] == LIST
    banner = as_admin.get(LIST).get_data(as_text=True)
    assert "govuk-notification-banner--success" in banner
    assert "Spoke to the reporter has been added." in banner
    template = template_named("Spoke to the reporter")
    assert (template.purpose, template.active) == (TemplatePurpose.NOTE, True)
    assert template.body.count("\r") == 0 and template.body.count("\n") == 1
    triager = app.test_client()
    sign_in(triager)
    referral = make_referral()
    page = triager.get(f"/staff/referrals/{referral.reference}").get_data(as_text=True)
    assert "Spoke to the reporter" in page


def test_admin_edits_a_template(as_admin):
    template = a_template()
    url = f"{LIST}/{template.id}"
    page = as_admin.get(url).get_data(as_text=True)
    assert "Change Left a voicemail" in page and 'value="note" checked' in page
    answers = {"name": "Report received", "purpose": "reporter_update", "body": "Thank you.", "active": "y"}
    response = submit_form(as_admin, url, answers)
    assert response.status_code == 302
    assert "Your changes to Report received have been saved." in as_admin.get(LIST).get_data(as_text=True)
    _db.session.refresh(template)
    assert (template.name, template.purpose, template.body) == ("Report received", "reporter_update", "Thank you.")


def test_admin_stops_offering_a_template_and_officers_no_longer_see_it(as_admin, app, officer, demo_config):
    template = a_template("Nobody answered")
    url = f"{LIST}/{template.id}"
    answers = {"name": template.name, "purpose": "note", "body": template.body}  # the box left unticked
    saved = submit_form(as_admin, url, answers, follow_redirects=True).get_data(as_text=True)
    assert "Your changes to Nobody answered have been saved." in saved and "Not offered" in saved
    _db.session.refresh(template)
    assert template.active is False
    assert 'name="active" type="checkbox" value="y" checked' not in as_admin.get(url).get_data(as_text=True)
    triager = app.test_client()
    sign_in(triager)
    referral = make_referral()
    assert "Nobody answered" not in triager.get(f"/staff/referrals/{referral.reference}").get_data(as_text=True)


def test_empty_form_shows_every_error_in_the_govuk_way(as_admin):
    response = submit_form(as_admin, NEW, {})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Add a template" in page
    for message in (
        "Enter the name of the template",
        "Select what the template is for",
        "Enter the text of the template",
    ):
        assert page.count(message) == 2, message  # in the summary and by the question
    assert 'href="#name"' in page and 'href="#purpose"' in page and 'href="#body"' in page
    assert count_templates() == 0


def test_blank_answers_count_as_empty(as_admin):
    page = submit_form(as_admin, NEW, {"name": "   ", "purpose": "note", "body": "\r\n \t"}).get_data(as_text=True)
    assert "Enter the name of the template" in page and "Enter the text of the template" in page
    assert count_templates() == 0


def test_over_long_answers_are_refused_and_kept(as_admin):
    answers = {**VALID_TEMPLATE, "name": "N" * 121, "body": "B" * 5001, "purpose": "reporter_update"}
    page = submit_form(as_admin, NEW, answers).get_data(as_text=True)
    assert "Name must be 120 characters or fewer" in page
    assert "Text must be 5,000 characters or fewer" in page
    assert "N" * 121 in page and "B" * 5001 in page
    assert 'value="reporter_update" checked' in page
    assert 'value="y" checked' in page
    assert count_templates() == 0
    page = submit_form(as_admin, NEW, {**answers, "name": "N" * 120, "body": "B" * 5000})
    assert page.status_code == 302 and count_templates() == 1


def test_an_unknown_purpose_is_refused(as_admin):
    page = submit_form(as_admin, NEW, {**VALID_TEMPLATE, "purpose": "email_everyone"}).get_data(as_text=True)
    assert "Select what the template is for" in page
    assert count_templates() == 0


def test_hostile_input_is_stored_as_text_and_escaped_everywhere(as_admin):
    hostile = {
        **VALID_TEMPLATE,
        "name": "<script>alert('name')</script>",
        "body": '<img src=x onerror="alert(1)"> <a href="javascript:alert(1)">call us</a>',
    }
    assert submit_form(as_admin, NEW, hostile).status_code == 302
    template = template_named("<script>alert('name')</script>")
    assert template.body == hostile["body"]
    for url in (LIST, f"{LIST}/{template.id}"):
        page = as_admin.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "&lt;script&gt;" in page
        assert "<img src=x" not in page and 'href="javascript:' not in page
    refused = submit_form(as_admin, NEW, {**hostile, "body": ""}).get_data(as_text=True)
    assert "<script>alert" not in refused and "&lt;script&gt;" in refused


def test_a_second_template_with_the_same_name_is_refused(as_admin):
    a_template("Left a voicemail")
    other = a_template("Report received", TemplatePurpose.REPORTER_UPDATE, "Thank you.")
    page = submit_form(as_admin, NEW, {**VALID_TEMPLATE, "name": "LEFT A VOICEMAIL"}).get_data(as_text=True)
    assert "There is already a template called LEFT A VOICEMAIL" in page
    assert "<title>Error: Add a template" in page and 'value="LEFT A VOICEMAIL"' in page
    url = f"{LIST}/{other.id}"
    page = submit_form(as_admin, url, {**VALID_TEMPLATE, "name": "Left a voicemail"}).get_data(as_text=True)
    assert "There is already a template called Left a voicemail" in page and "Change Report received" in page
    _db.session.refresh(other)
    assert other.name == "Report received"
    assert count_templates() == 2


def test_keeping_its_own_name_is_not_a_duplicate(as_admin):
    template = a_template("Left a voicemail")
    answers = {**VALID_TEMPLATE, "name": "left a Voicemail"}
    assert submit_form(as_admin, f"{LIST}/{template.id}", answers).status_code == 302
    _db.session.refresh(template)
    assert template.name == "left a Voicemail"


def test_a_duplicate_saved_at_the_same_moment_is_refused_not_a_500(db, monkeypatch):
    a_template("Left a voicemail")
    from portal.admin import response_service

    monkeypatch.setattr(response_service, "_check_name_is_free", lambda *args: None)  # the other admin's race
    with pytest.raises(ResponseTemplateError, match="already a template called Left a voicemail"):
        create_response_template(TemplateAnswers("Left a voicemail", TemplatePurpose.NOTE, "Again."))
    db.session.rollback()
    assert count_templates() == 1


def test_unknown_template_is_404(as_admin):
    assert as_admin.get(f"{LIST}/999999").status_code == 404


def test_a_triager_gets_the_403_page(signed_in):
    for url in (LIST, NEW, f"{LIST}/1"):
        response = signed_in.get(url)
        assert response.status_code == 403
        assert "You do not have permission to see this page" in response.get_data(as_text=True)
    assert signed_in.post(NEW, data=VALID_TEMPLATE).status_code in (400, 403)
    assert count_templates() == 0


def test_a_signed_out_visitor_is_sent_to_sign_in(client, db):
    for url in (LIST, NEW, f"{LIST}/1"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/staff/sign-in")
    assert client.post(NEW, data=VALID_TEMPLATE).status_code in (302, 400)
    assert count_templates() == 0


def test_admin_pages_are_not_cached(as_admin):
    assert as_admin.get(LIST).headers["Cache-Control"] == "no-store"
