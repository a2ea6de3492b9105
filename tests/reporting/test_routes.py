"""The resident's report form, through the real app and database."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.extensions import db as _db
from portal.models import EventType, HateIncidentReport, Referral, ReferralKind, ReferralStatus
from tests.conftest import report_data, submit_form

URL = "/report-hate-incident/"


def referral_count() -> int:
    return _db.session.execute(_db.select(_db.func.count(Referral.id))).scalar_one()


def test_a_report_is_committed_before_its_reference_is_shown(client, demo_config):
    response = submit_form(
        client,
        URL,
        report_data(
            wants_contact="yes",
            contact_name="Zofia Nowak-O'Brien",
            contact_email="zofia@example.org",
            strands=["religion", "race"],
        ),
    )
    assert response.status_code == 302
    confirmation = client.get(response.headers["Location"])
    referral = _db.session.execute(_db.select(Referral)).scalar_one()
    assert referral.reference in confirmation.get_data(as_text=True)
    assert referral.kind == ReferralKind.HATE_INCIDENT
    assert referral.status == ReferralStatus.NEW
    assert referral.reference not in response.headers["Location"]  # nothing identifying in the URL
    report = _db.session.get(HateIncidentReport, referral.id)
    assert report.strands == ["race", "religion"]
    assert report.incident_date == date(2026, 11, 3)
    assert report.contact_name == "Zofia Nowak-O'Brien"
    assert not report.anonymous
    assert [event.type for event in referral.events] == [EventType.CREATED]


def test_reference_is_short_and_easy_to_read_out(client, demo_config):
    submit_form(client, URL, report_data())
    reference = _db.session.execute(_db.select(Referral.reference)).scalar_one()
    prefix, body = reference.split("-")
    assert prefix == "HC" and len(body) == 6
    assert not set(body) & set("0O1I")


def test_anonymous_report_keeps_no_contact_details(client, demo_config):
    submit_form(
        client,
        URL,
        report_data(wants_contact="no", contact_name="Should not be kept", contact_email="nobody@example.org"),
    )
    report = _db.session.execute(_db.select(HateIncidentReport)).scalar_one()
    assert report.anonymous
    assert (report.contact_name, report.contact_email, report.contact_phone) == (None, None, None)


def test_empty_form_lists_every_missing_answer(client, demo_config):
    response = submit_form(client, URL, {})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in (
        "Enter what happened",
        "Enter the date it happened",
        "Enter where it happened",
        "Select what you think the hostility was about",
        "Select whether we can contact you",
    ):
        assert message in page
    assert 'href="#incident_date-day"' in page
    assert referral_count() == 0


def test_a_very_long_description_is_refused_kindly_and_kept(client, demo_config):
    long_text = "I was followed and shouted at. " * 3300  # about 100,000 characters
    assert len(long_text) > 99_000
    response = submit_form(client, URL, report_data(description=long_text))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "What happened must be 5,000 characters or fewer" in page
    assert long_text.strip() in page  # what they typed is still in the box
    assert referral_count() == 0


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (["31", "2", "2026"], "The date it happened must be a real date"),
        (["12", "", "2026"], "The date it happened must include a month"),
        (["aa", "bb", "cccc"], "The date it happened must be a real date"),
        (["1", "1", "26"], "Year must include 4 numbers"),
        (["1"], "The date it happened must include a month"),
        (["1", "1", "99999999999999999999"], "The date it happened must be a real date"),
    ],
)
def test_malformed_dates_get_a_clear_message_and_keep_the_answer(client, demo_config, parts, message):
    response = submit_form(client, URL, report_data(incident_date=parts))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    day_input = re.search(r'<input[^>]*id="incident_date-day"[^>]*>', page).group(0)
    assert f'value="{parts[0]}"' in day_input
    assert referral_count() == 0


def test_a_date_in_the_future_is_refused(app, client, demo_config):
    tomorrow = datetime.now(ZoneInfo("Europe/London")).date() + timedelta(days=1)
    response = submit_form(
        client, URL, report_data(incident_date=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)])
    )
    assert "The date it happened must be today or in the past" in response.get_data(as_text=True)


def test_invalid_email_is_refused_and_answers_kept(client, demo_config):
    response = submit_form(
        client, URL, report_data(wants_contact="yes", contact_email="not an email@", contact_name="Ana")
    )
    page = response.get_data(as_text=True)
    assert "Enter an email address in the correct format, like name@example.com" in page
    assert 'value="not an email@"' in page
    assert "Two men shouted abuse" in page
    assert referral_count() == 0


def test_contact_wanted_needs_a_way_to_contact(client, demo_config):
    response = submit_form(client, URL, report_data(wants_contact="yes"))
    assert "Enter an email address or a phone number so we can contact you" in response.get_data(as_text=True)


def test_missing_csrf_token_keeps_answers_and_explains(client, demo_config):
    response = client.post(URL, data=report_data())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We could not check that this form came from you" in page
    assert "Two men shouted abuse" in page
    assert referral_count() == 0


def test_hostile_values_never_cause_a_server_error(client, demo_config):
    response = submit_form(
        client,
        URL,
        report_data(
            description="<script>alert('x')</script>",
            location="'; DROP TABLE referral; --",
            area="999999",
            strands=["religion", "<b>nope</b>"],
            wants_contact="maybe",
            contact_phone="<img src=x onerror=alert(1)>",
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert('x')</script>" not in page
    assert "Select an area from the list" in page
    assert "Select whether we can contact you" in page
    assert referral_count() == 0


def test_a_request_over_the_size_limit_gets_a_kind_page(client, demo_config):
    response = client.post(URL, data={"description": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)


def test_confirmation_without_a_report_goes_back_to_the_form(client):
    response = client.get("/report-hate-incident/confirmation")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(URL)


def test_report_pages_are_not_cached(client, demo_config):
    assert client.get(URL).headers["Cache-Control"] == "no-store"


def test_today_in_london_is_not_the_future(app, client, demo_config):
    today = datetime.now(ZoneInfo("Europe/London")).date()
    response = submit_form(client, URL, report_data(incident_date=[str(today.day), str(today.month), str(today.year)]))
    assert response.status_code == 302


def test_hidden_contact_answers_do_not_block_an_anonymous_report(client, demo_config):
    response = submit_form(client, URL, report_data(wants_contact="no", contact_email="bad@", contact_phone="x"))
    assert response.status_code == 302
    report = _db.session.execute(_db.select(HateIncidentReport)).scalar_one()
    assert report.anonymous and report.contact_email is None


def test_nul_characters_and_odd_unicode_are_stored_safely(client, demo_config):
    response = submit_form(
        client,
        URL,
        report_data(
            description="Abuse\x00 shouted at me – «تهديد» 🙁 Zażółć",
            location="Bridge\x00 Street",
            wants_contact="yes",
            contact_name="Siobhán\x00 Ó Briain",
            contact_email="siobhan@example.org",
        ),
    )
    assert response.status_code == 302
    report = _db.session.execute(_db.select(HateIncidentReport)).scalar_one()
    assert report.description == "Abuse shouted at me – «تهديد» 🙁 Zażółć"
    assert (report.location, report.contact_name) == ("Bridge Street", "Siobhán Ó Briain")


def test_line_breaks_count_once_as_the_character_count_does(client, demo_config):
    description = "\r\n".join(["x" * 99] * 50)  # 4,950 letters and 49 line breaks: 4,999 characters
    response = submit_form(client, URL, report_data(description=description))
    assert response.status_code == 302
    report = _db.session.execute(_db.select(HateIncidentReport)).scalar_one()
    assert len(report.description) == 4999


def test_confirmation_is_shown_for_a_short_while_only(client, demo_config):
    response = submit_form(client, URL, report_data())
    assert client.get(response.headers["Location"]).status_code == 200
    with client.session_transaction() as session:
        an_hour_ago = (datetime.now().astimezone() - timedelta(hours=1)).isoformat()
        session["report_confirmation"] = {**session["report_confirmation"], "at": an_hour_ago}
    assert client.get("/report-hate-incident/confirmation").status_code == 302
    with client.session_transaction() as session:
        assert "report_confirmation" not in session
