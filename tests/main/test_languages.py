"""Choosing a language: the browser's Accept-Language as the first guess, a resident's choice for the rest of
the visit, lang and dir on <html>, and staff pages always in English."""

import re

import pytest


def html_attributes(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', response.get_data(as_text=True))
    return match.group(1), match.group(2)


def test_english_by_default(client):
    assert html_attributes(client.get("/")) == ("en", "ltr")


def test_the_browsers_language_is_the_first_guess(client):
    response = client.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})
    assert html_attributes(response) == ("pl", "ltr")
    assert html_attributes(client.get("/", headers={"Accept-Language": "fr, de"})) == ("en", "ltr")


def test_a_residents_choice_lasts_the_visit_and_beats_the_browser(client):
    response = client.get("/language?to=ur&next=/volunteer/")
    assert response.status_code == 302 and response.headers["Location"] == "/volunteer/"
    page = client.get("/volunteer/", headers={"Accept-Language": "pl"})
    assert html_attributes(page) == ("ur", "rtl")
    assert 'aria-current="true">اردو</span>' in page.get_data(as_text=True)


def test_every_language_is_named_in_itself_on_public_pages(client):
    html = client.get("/get-help").get_data(as_text=True)
    for code, name in (
        ("pl", "Polski"),
        ("lt", "Lietuvių"),
        ("ro", "Română"),
        ("pt", "Português"),
        ("ur", "اردو"),
        ("pa", "ਪੰਜਾਬੀ"),
    ):
        assert f'lang="{code}" hreflang="{code}"' in html and f">{name}</a>" in html
    assert "next=/get-help" in html


def test_staff_pages_stay_in_english_and_offer_no_choice(client):
    client.get("/language?to=ur&next=/")
    response = client.get("/staff/sign-in", headers={"Accept-Language": "pl"})
    assert html_attributes(response) == ("en", "ltr")
    assert "hreflang=" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/\r\nSet-Cookie: x=1",
        "/\tx",
    ],
)
def test_choosing_never_sends_anyone_to_another_site(client, target):
    response = client.get("/language", query_string={"to": "pl", "next": target})
    assert response.headers["Location"] == "/"


def test_a_language_not_offered_is_not_found(client):
    assert client.get("/language?to=xx&next=/").status_code == 404
    assert client.get("/language").status_code == 404


def test_a_report_made_in_polish_tells_staff_and_partners_the_language(client, demo_config, officer):
    """What the resident typed is kept as typed; the triage team sees the language (to arrange an interpreter),
    can filter the queue by it, and the partner's email says it."""
    from portal.extensions import db
    from portal.models import OutboxMessage, Partner, Referral
    from portal.routing.service import route_referral
    from tests.conftest import journey_answers, send_report, sign_in

    client.get("/language?to=pl&next=/")
    answers = journey_answers(**{"what-happened": {"incident_types": ["verbal"], "description": "Krzyczeli na mnie."}})
    assert send_report(client, answers).status_code == 302
    referral = db.session.execute(db.select(Referral).order_by(Referral.id.desc())).scalars().first()
    assert referral.language == "pl"
    assert referral.hate_incident.description == "Krzyczeli na mnie."

    client.get("/language?to=en&next=/")
    sign_in(client)
    page = client.get(f"/staff/referrals/{referral.reference}").get_data(as_text=True)
    assert "Polish" in page and "interpreter" in page
    assert referral.reference in client.get("/staff/queue?tab=new&language=pl").get_data(as_text=True)
    assert referral.reference not in client.get("/staff/queue?tab=new&language=ur").get_data(as_text=True)

    # The language hints at where someone is from, so only a secure-email partner's email says it; the others
    # see it behind the link.
    def routed_to(slug, **override):
        partner = db.session.execute(db.select(Partner).filter_by(slug=slug)).scalar_one()
        route = route_referral(db.session.get(Referral, referral.id), partner, officer, **override)
        db.session.commit()
        return db.session.execute(db.select(OutboxMessage).filter_by(route_id=route.id)).scalars().first().body_text

    assert "interpreter" not in routed_to("victim-witness-hub")
    assert "Polish (they may need an interpreter)" in routed_to("police-hate-crime", override_reason="Safeguarding")


def test_the_confirmation_email_is_in_the_language_the_resident_used(client, demo_config):
    from portal.extensions import db
    from portal.models import OutboxMessage
    from tests.conftest import JOURNEY, send_report, submit_form

    client.get("/language?to=pl&next=/")
    send_report(client)
    submit_form(client, f"{JOURNEY}/confirmation", {"email": "zofia@example.org"})
    message = db.session.execute(db.select(OutboxMessage).filter_by(recipient="zofia@example.org")).scalar_one()
    assert message.subject.startswith("Numer referencyjny Twojego zgłoszenia")


def test_an_officers_update_reaches_the_reporter_in_their_language(client, demo_config, officer):
    from portal.extensions import db
    from portal.models import OutboxMessage, Referral
    from portal.triage.service import update_reporter
    from tests.conftest import journey_answers, send_report

    client.get("/language?to=ur&next=/")
    contact = {"wants_contact": "yes", "contact_email": "amina@example.org", "preferred_contact": "email"}
    send_report(client, journey_answers(contact=contact))
    referral = db.session.execute(db.select(Referral).order_by(Referral.id.desc())).scalars().first()
    update_reporter(referral, officer, "We have passed your report to the Victim and Witness Hub.")
    db.session.commit()
    message = db.session.execute(db.select(OutboxMessage).filter_by(recipient="amina@example.org")).scalar_one()
    assert message.subject.startswith("آپ کی رپورٹ")
    assert "We have passed your report to the Victim and Witness Hub." in message.body_text  # as the officer wrote


@pytest.mark.parametrize(
    "codes, problem",
    [
        (["en", "pl", "ur"], None),
        (["pl", "ur"], "en (the default) must be one of them"),
        (["en", "xx-nonsense"], "'xx-nonsense' is not a language code Babel knows"),
        (["en", "fr"], "fr has no catalogue"),
    ],
)
def test_the_configured_languages_are_checked_at_start_up(codes, problem):
    from portal.languages import check_languages

    found = check_languages(codes, "en")
    assert found == problem if problem is None else found.startswith(problem)


def test_the_character_count_and_field_errors_speak_the_residents_language(client, demo_config):
    """The GOV.UK macros' own words (the hidden "Error:" before a field's error, the character count's hint and
    the messages its script shows as the resident types) come from the catalogue, with a message for each of
    the language's plural forms: Polish says 1 znak, 2 znaki, 5 znaków."""
    from tests.conftest import JOURNEY, JOURNEY_ANSWERS, submit_form

    client.get("/language?to=pl&next=/")
    submit_form(client, f"{JOURNEY}/", {"in_danger": "no"})
    for slug in ("who", "hostility"):
        submit_form(client, f"{JOURNEY}/{slug}", JOURNEY_ANSWERS[slug])
    html = submit_form(client, f"{JOURNEY}/what-happened", {}).get_data(as_text=True)
    assert '<span class="govuk-visually-hidden">Błąd:</span>' in html
    assert "Możesz wpisać maksymalnie 5000 znaków" in html
    for form, message in (("one", "Pozostał %{count} znak"), ("few", "Pozostały %{count} znaki")):
        assert f'data-i18n.characters-under-limit.{form}="{message}"' in html
    assert 'data-i18n.characters-over-limit.many="Masz o %{count} znaków za dużo"' in html
    assert 'data-i18n.characters-at-limit="Pozostało 0 znaków"' in html


def test_a_moment_reads_in_the_language_and_zone_it_is_shown_in(app):
    """Timestamps are formatted once per moment, language and zone: the same moment still reads differently in
    another language, and in winter and summer time."""
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from portal.helpers import format_datetime

    winter, summer = datetime(2026, 1, 5, 14, 5, tzinfo=UTC), datetime(2026, 7, 5, 14, 5, tzinfo=UTC)
    with app.test_request_context("/"):
        assert [format_datetime(winter), format_datetime(summer)] == ["5 Jan 2026, 14:05", "5 Jul 2026, 15:05"]
        with force_locale("pl"):
            assert format_datetime(winter) == "5 sty 2026, 14:05"
        assert format_datetime(winter) == "5 Jan 2026, 14:05"
        assert format_datetime(None) == ""


def test_words_for_codes_are_translated_once_per_language_within_a_request(app):
    """The labels templates show are kept for the rest of the request, but per language: an email to a resident,
    written in their language while an officer's English page is made, gets the resident's words."""
    from flask_babel import force_locale

    from portal.labels import SLA_WORDS, STATUS_LABELS, template_globals

    status_labels = template_globals()["status_labels"]
    with app.test_request_context("/staff/queue"):
        assert status_labels["new"] == "New" and status_labels.get("closed") == "Closed"
        with force_locale("pl"):
            assert status_labels["closed"] == "Zamknięty"
        assert status_labels["closed"] == "Closed" and SLA_WORDS["due"] == "Due %(when)s"
        assert dict(status_labels) == {code: str(words) for code, words in STATUS_LABELS.items()}
