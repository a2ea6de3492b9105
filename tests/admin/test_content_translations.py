"""Translating what admins write for residents: the admin pages, what residents then see in their language (and
staff in English), review marks that follow changes to the English, and the demo's own translations."""

import json
import re

import pytest
from flask_babel import refresh

from portal.content import SEED_TRANSLATIONS, SUBJECTS, in_language, localised, seed_translations
from portal.extensions import db as _db
from portal.models import Area, ContentTranslation, Partner, SignpostService, VolunteerScheme
from portal.reporting.service import area_options
from portal.seed import seeded_english
from tests.admin.test_schemes import valid_scheme
from tests.conftest import submit_form

STATUS = "/staff/admin/translations"
TRANSLATED = {"pl", "lt", "ro", "pt", "ur", "pa"}


def find(model, slug: str):
    _db.session.expire_all()
    return _db.session.execute(_db.select(model).filter_by(slug=slug)).scalar_one()


def translation(model, slug: str, field: str, locale: str) -> ContentTranslation | None:
    subject = next(subject.key for subject in SUBJECTS.values() if subject.model is model)
    return _db.session.execute(
        _db.select(ContentTranslation).filter_by(
            subject=subject, subject_id=find(model, slug).id, field=field, locale=locale
        )
    ).scalar_one_or_none()


def page_url(model, slug: str, locale: str = "pl") -> str:
    subject = next(subject.key for subject in SUBJECTS.values() if subject.model is model)
    return f"{STATUS}/{locale}/{subject}/{find(model, slug).id}"


def choice_pairs() -> list[tuple[str, str]]:
    refresh()  # the test's app context outlives the request: work the language out for this one
    return [(choice.value, str(choice.label)) for choice in area_options()]


def resident(app, language: str):
    client = app.test_client()
    client.get(f"/language?to={language}&next=/")
    return client


def test_the_demo_translates_every_field_it_writes_into_every_language(app):
    english = seeded_english()
    for code in TRANSLATED:
        written = json.loads((SEED_TRANSLATIONS / f"{code}.json").read_text(encoding="utf-8"))
        found = {
            (subject, slug, field)
            for subject, things in written.items()
            for slug, texts in things.items()
            for field in texts
        }
        assert found == set(english), code
        for subject, things in written.items():
            for slug, texts in things.items():
                for field, text in texts.items():
                    assert text.strip(), (code, slug, field)
                    # A name may stay as it is (Cross Keys Homes, Fletton); a description is translated.
                    assert field == "name" or text != english[subject, slug, field], (code, slug, field)
                    assert text.count("\n") == english[subject, slug, field].count("\n"), (code, slug, field)


def test_seeding_adds_them_once_marked_for_review_and_never_over_an_admins_change(app, db, demo_config):
    count = _db.session.execute(_db.select(_db.func.count()).select_from(ContentTranslation)).scalar_one()
    assert count == len(seeded_english()) * len(TRANSLATED)
    assert all(row.needs_review for row in _db.session.execute(_db.select(ContentTranslation)).scalars())
    assert seed_translations() == 0  # idempotent
    # An admin changed the English of a scheme and deleted the Polish of its summary: the demo's Polish is of the
    # old words, so it is not put back.
    _db.session.delete(translation(VolunteerScheme, "neighbourhood-watch", "summary", "pl"))
    find(VolunteerScheme, "neighbourhood-watch").summary = "A new summary, written by an admin."
    _db.session.commit()
    assert seed_translations() == 0


def test_residents_see_the_translation_and_staff_the_english(app, db, demo_config, admin_client):
    polish = translation(VolunteerScheme, "good-neighbour-scheme", "name", "pl").text
    page = resident(app, "pl").get("/volunteer/").get_data(as_text=True)
    assert polish in page and ">Good Neighbour Scheme<" not in page
    assert polish in resident(app, "pl").get("/volunteer/good-neighbour-scheme/").get_data(as_text=True)
    # The same resident's choice never changes staff pages.
    assert "Good Neighbour Scheme" in admin_client.get("/staff/admin/schemes").get_data(as_text=True)
    with app.test_request_context("/report-hate-incident/where", headers={"Accept-Language": "ur"}):
        assert (str(find(Area, "fletton").id), translation(Area, "fletton", "name", "ur").text) in choice_pairs()
    with app.test_request_context("/staff/queue", headers={"Accept-Language": "ur"}):
        assert (str(find(Area, "fletton").id), "Fletton") in choice_pairs()
    urdu_service = translation(SignpostService, "victim-witness-hub", "who_it_helps", "ur").text
    assert urdu_service in resident(app, "ur").get("/get-help").get_data(as_text=True)
    assert "Victims and witnesses of any crime" in resident(app, "en").get("/get-help").get_data(as_text=True)


def test_an_untranslated_field_shows_the_english(app, db, demo_config):
    _db.session.delete(translation(SignpostService, "aspire", "who_it_helps", "pt"))
    _db.session.commit()
    page = resident(app, "pt").get("/get-help").get_data(as_text=True)
    assert "Adults worried about their own drug or alcohol use" in page
    assert translation(SignpostService, "aspire", "name", "pt").text in page


def test_admin_translates_a_scheme_beside_the_english(app, db, demo_config, admin_client):
    url = page_url(VolunteerScheme, "police-support-volunteers")
    html = admin_client.get(url).get_data(as_text=True)
    assert "Translate Police Support Volunteers into Polish" in html
    assert 'lang="pl"' in html and 'dir="ltr"' in html
    assert '<span class="portal-pre-wrap" lang="en" dir="ltr">At least 4 hours a month</span>' in html
    answers = {
        "name": "Wolontariusze wspierający policję",
        "summary": "Pomóż policji w zapobieganiu przestępczości.",
        "what_volunteers_do": "",  # left empty: residents see the English
        "time_commitment": "Co najmniej 4 godziny w miesiącu",
        "vetting_notes": "Policja sprawdza każdego wolontariusza.",
    }
    response = submit_form(admin_client, url, answers)
    assert response.status_code == 302 and response.headers["Location"] == f"{STATUS}/pl"
    listing = admin_client.get(f"{STATUS}/pl").get_data(as_text=True)
    assert "Your translations of Police Support Volunteers have been saved." in listing
    saved = translation(VolunteerScheme, "police-support-volunteers", "summary", "pl")
    assert saved.text == answers["summary"] and saved.needs_review and saved.updated_by_id is not None
    assert translation(VolunteerScheme, "police-support-volunteers", "what_volunteers_do", "pl") is None
    page = resident(app, "pl").get("/volunteer/police-support-volunteers/").get_data(as_text=True)
    assert answers["summary"] in page and "Crime prevention events, house-to-house enquiries" in page
    # A native speaker checks them: no longer marked for review.
    submit_form(admin_client, url, {**answers, "reviewed": "y"})
    assert not translation(VolunteerScheme, "police-support-volunteers", "summary", "pl").needs_review
    assert re.search(r'<input[^>]*name="reviewed"[^>]*checked', admin_client.get(url).get_data(as_text=True))


def test_changing_the_english_marks_its_translations_for_review(app, db, demo_config, admin_client):
    url = page_url(SignpostService, "aspire")
    submit_form(
        admin_client, url, {"name": "Aspire", "who_it_helps": "Dorośli.", "how_to_contact": "", "reviewed": "y"}
    )
    assert not translation(SignpostService, "aspire", "who_it_helps", "pl").needs_review
    service = find(SignpostService, "aspire")
    response = submit_form(
        admin_client,
        f"/staff/admin/signposting/{service.id}",
        {
            "name": "Aspire",
            "who_it_helps": "Adults and young people worried about drugs or alcohol.",
            "how_to_contact": service.how_to_contact,
            "categories": ["substance_misuse"],
            "position": "70",
            "active": "yes",
        },
    )
    assert response.status_code == 302
    assert translation(SignpostService, "aspire", "who_it_helps", "pl").needs_review
    assert not translation(SignpostService, "aspire", "name", "pl").needs_review  # its English did not change


def test_a_new_scheme_can_be_translated_and_its_status_is_counted(app, db, demo_config, admin_client):
    submit_form(admin_client, "/staff/admin/schemes/new", valid_scheme())
    listing = admin_client.get(f"{STATUS}/ro").get_data(as_text=True)
    assert "Street Pastors" in listing and "Not translated" in listing
    status = admin_client.get(STATUS).get_data(as_text=True)
    assert "What admins write" in status and f'href="{STATUS}/ur"' in status
    url = page_url(VolunteerScheme, "street-pastors", "ro")
    submit_form(admin_client, url, {"name": "Pastori de stradă"})
    assert localised(find(VolunteerScheme, "street-pastors"), "name", "ro") == "Pastori de stradă"
    assert localised(find(VolunteerScheme, "street-pastors"), "name", "lt") == "Street Pastors"


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"name": "x" * 201}, "Name must be 200 characters or fewer"),
        ({"summary": "<script>alert(1)</script>" * 60}, "Summary must be 1,000 characters or fewer"),
    ],
)
def test_too_long_gets_a_clear_error_and_keeps_the_answers(app, db, demo_config, admin_client, answers, message):
    url = page_url(VolunteerScheme, "neighbourhood-watch", "lt")
    before = translation(VolunteerScheme, "neighbourhood-watch", "name", "lt").text
    response = submit_form(admin_client, url, {"time_commitment": "Kiek norite", **answers})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in html and message in html
    assert "Kiek norite" in html and "<script>alert" not in html
    assert translation(VolunteerScheme, "neighbourhood-watch", "name", "lt").text == before


def test_hostile_text_is_shown_as_text(app, db, demo_config, admin_client):
    hostile = '<img src=x onerror="alert(1)">'
    submit_form(admin_client, page_url(SignpostService, "aspire", "pl"), {"name": hostile})
    html = resident(app, "pl").get("/get-help").get_data(as_text=True)
    assert hostile not in html and "&lt;img src=x" in html


@pytest.mark.parametrize(
    "path", ["/en/scheme/1", "/fr/scheme/1", "/pl/staff/1", "/pl/scheme/999999", "/pl/partner/2147483647"]
)
def test_unknown_languages_kinds_and_things_are_not_found(app, db, demo_config, admin_client, path):
    assert admin_client.get(STATUS + path).status_code == 404


def test_a_partner_name_is_translated_where_residents_read_it(app, db, demo_config):
    police = find(Partner, "police-cadets")
    scheme = find(VolunteerScheme, "volunteer-police-cadets")
    wrapped = in_language(scheme, "ro")
    assert wrapped.partner.name == translation(Partner, "police-cadets", "name", "ro").text != police.name
    assert wrapped.min_age == 13 and wrapped.slug == "volunteer-police-cadets" and wrapped == scheme
