"""Each question page's checks, with the GOV.UK error messages residents see."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.extensions import db as _db
from portal.models import ReportDraft
from tests.conftest import JOURNEY, submit_form


@pytest.fixture
def started(client, demo_config):
    """A resident who has answered the first page, so every other page can be opened."""
    assert submit_form(client, f"{JOURNEY}/who", {"reporter_role": "victim"}).status_code == 302
    return client


def saved_answers() -> dict:
    return _db.session.execute(_db.select(ReportDraft)).scalar_one().answers


LONG = "x" * 5001
TYPED = {"organisation_name", "description", "location", "contact_email", "contact_phone", "online_platform"}
CASES = [
    ("who", {}, ["Select who you are reporting for"]),
    ("who", {"reporter_role": "organisation"}, ["Enter the name of the organisation"]),
    ("who", {"reporter_role": "the queen"}, ["Select one of the options"]),
    ("hostility", {}, ["Select what you think the hostility was about"]),
    ("hostility", {"strands": ["other"]}, ["Enter what else the hostility was about"]),
    ("hostility", {"strands": ["religion", "<b>"]}, ["Select from the options given"]),
    ("what-happened", {}, ["Select what happened", "Enter what happened, in your own words"]),
    (
        "what-happened",
        {"incident_types": ["verbal"], "description": LONG},
        ["What happened must be 5,000 characters or fewer"],
    ),
    ("when", {}, ["Enter the date it happened", "Select whether it is still happening"]),
    (
        "when",
        {"incident_date": ["31", "2", "2026"], "still_happening": "no"},
        ["The date it happened must be a real date"],
    ),
    (
        "when",
        {"incident_date": ["12", "", "2026"], "still_happening": "no"},
        ["The date it happened must include a month"],
    ),
    ("when", {"incident_date": ["1", "1", "26"], "still_happening": "no"}, ["Year must include 4 numbers"]),
    ("when", {"incident_date": ["1"], "still_happening": "no"}, ["The date it happened must include a month"]),
    (
        "when",
        {"incident_date": ["1", "1", "9" * 30], "still_happening": "no"},
        ["The date it happened must be a real date"],
    ),
    ("where", {}, ["Select where it happened"]),
    ("address", {}, ["Enter the address or a description of the place"]),
    ("address", {"location": "x", "area_choice": "99999"}, ["Select an area from the list"]),
    ("address", {"location": "x" * 501}, ["Address or description of the place must be 500 characters or fewer"]),
    ("online", {}, ["Enter the website, app or platform"]),
    ("harm", {}, ["Select whether anyone was hurt", "Select whether anything was damaged or stolen"]),
    ("police", {}, ["Select whether you have reported it to the police"]),
    ("what-next", {}, ["Select what you would like to happen"]),
    ("what-next", {"consents": ["just_record", "police"]}, ["Select ‘Just record it’ on its own"]),
    ("contact", {}, ["Select whether we can contact you"]),
    ("contact", {"wants_contact": "yes"}, ["Enter an email address or a phone number so we can contact you"]),
    (
        "contact",
        {"wants_contact": "yes", "contact_email": "not an email@"},
        ["Enter an email address in the correct format, like name@example.com"],
    ),
    (
        "contact",
        {"wants_contact": "yes", "contact_phone": "call me maybe"},
        ["Enter a phone number, like 01632 960 001 or +44 7700 900 982"],
    ),
    ("equality", {"religion": "jedi"}, ["Select one of the options"]),
]


@pytest.mark.parametrize(("slug", "data", "messages"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_page_errors_are_clear_and_keep_the_answers(started, slug, data, messages):
    before = saved_answers()
    response = submit_form(started, f"{JOURNEY}/{slug}", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in messages:
        assert message in page
    for name, value in data.items():
        if name in TYPED and len(value) < 6000:
            assert value in page  # what was typed is still in the box
    assert saved_answers() == before  # nothing invalid saved, nothing earlier lost


def test_day_typed_into_a_wrong_date_is_kept(started):
    page = submit_form(started, f"{JOURNEY}/when", {"incident_date": ["31", "2", "2026"]}).get_data(as_text=True)
    assert re.search(r'id="incident_date-day"[^>]*value="31"', page)


def test_optional_pages_can_be_left_blank(started):
    for slug in ("people", "witnesses", "equality", "online"):
        response = submit_form(started, f"{JOURNEY}/{slug}", {})
        assert response.status_code == (200 if slug == "online" else 302), slug


def test_today_in_london_is_allowed_and_tomorrow_is_not(started):
    today = datetime.now(ZoneInfo("Europe/London")).date()
    tomorrow = today + timedelta(days=1)
    fine = submit_form(
        started,
        f"{JOURNEY}/when",
        {"incident_date": [str(today.day), str(today.month), str(today.year)], "still_happening": "no"},
    )
    assert fine.status_code == 302
    page = submit_form(
        started,
        f"{JOURNEY}/when",
        {"incident_date": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)], "still_happening": "no"},
    ).get_data(as_text=True)
    assert "The date it happened must be today or in the past" in page


def test_unicode_names_and_line_breaks_are_kept_as_typed(started):
    submit_form(
        started,
        f"{JOURNEY}/contact",
        {"wants_contact": "yes", "contact_name": "Siobhán Ó Briain-محمد", "contact_phone": "+44 7700 900 982"},
    )
    submit_form(
        started,
        f"{JOURNEY}/what-happened",
        {"incident_types": ["verbal"], "description": "Line one\r\nLine two – «تهديد»\x00"},
    )
    answers = saved_answers()
    assert answers["contact"]["contact_name"] == ["Siobhán Ó Briain-محمد"]
    assert answers["what-happened"]["description"] == ["Line one\nLine two – «تهديد»"]


def test_a_description_at_the_limit_counting_line_breaks_once_is_accepted(started):
    description = "\r\n".join(["x" * 99] * 50)  # 4,950 letters and 49 line breaks: 4,999 characters
    response = submit_form(
        started, f"{JOURNEY}/what-happened", {"incident_types": ["verbal"], "description": description}
    )
    assert response.status_code == 302


def test_a_request_over_the_size_limit_gets_a_kind_page(started):
    response = started.post(f"{JOURNEY}/what-happened", data={"description": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)
