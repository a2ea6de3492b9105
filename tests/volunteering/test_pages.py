"""Each sign-up page's checks: empty, malformed, huge and hostile answers get a clear GOV.UK error, keep
what was typed, save nothing invalid and never fail with a server error."""

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from portal.extensions import db as _db
from portal.extensions import limiter
from portal.models import ReportDraft
from portal.volunteering.journey import STEPS
from tests.conftest import csrf_token, submit_form
from tests.volunteering import VOLUNTEER, aged, born, walk_sign_up

CADETS = f"{VOLUNTEER}/volunteer-police-cadets"


@pytest.fixture
def started(client, demo_config):
    """A 15-year-old part way through the cadets' sign-up, so that every page (the carer's too) applies."""
    assert submit_form(client, f"{CADETS}/name", {"full_name": "Kai Nowak"}).status_code == 302
    assert submit_form(client, f"{CADETS}/date-of-birth", aged(15)).status_code == 302
    return client


def saved_answers() -> dict:
    return _db.session.execute(_db.select(ReportDraft)).scalar_one().answers


LONG = "x" * 2001
HOSTILE = "<script>alert(1)</script>"
TYPED = {"full_name", "email", "phone", "postcode", "carer_name", "carer_relationship", "carer_email", "carer_phone"}
TYPED |= {"interests", "relevant_experience", "languages_spoken", "access_needs", "how_heard_other"}
CASES = [
    ("name", {}, ["Enter your full name"]),
    ("name", {"full_name": "   "}, ["Enter your full name"]),
    ("name", {"full_name": "x" * 201}, ["What is your full name? must be 200 characters or fewer"]),
    ("date-of-birth", {}, ["Enter your date of birth"]),
    ("date-of-birth", born(31, 2, 2010), ["Date of birth must be a real date"]),
    ("date-of-birth", {"date_of_birth": ["1", "", "2010"]}, ["Date of birth must include a month"]),
    ("date-of-birth", born(1, 1, 10), ["Year must include 4 numbers"]),
    ("date-of-birth", born(1, 1, "9" * 30), ["Date of birth must be a real date"]),
    ("date-of-birth", born(1, 1, 2999), ["Date of birth must be today or in the past"]),
    ("date-of-birth", born(1, 1, 1850), ["Date of birth must be after 1900"]),
    ("date-of-birth", born("<b>", "1", "2010"), ["Date of birth must be a real date"]),
    ("contact", {}, ["Enter an email address or a phone number so the scheme can contact you"]),
    ("contact", {"email": "not an email@"}, ["Enter an email address in the correct format, like name@example.com"]),
    ("contact", {"phone": "call me maybe"}, ["Enter a phone number, like 01632 960 001 or +44 7700 900 982"]),
    ("contact", {"email": "a@" + "x" * 300 + ".org"}, ["Email address must be 254 characters or fewer"]),
    ("address", {}, ["Enter your postcode"]),
    ("address", {"postcode": "PE1"}, ["Enter a full UK postcode, like PE1 1HF"]),
    ("address", {"postcode": HOSTILE}, ["Postcode must be 16 characters or fewer"]),
    ("address", {"postcode": "PE1 1HF", "area_choice": "99999"}, ["Select an area from the list"]),
    (
        "parent-carer",
        {},
        [
            "Enter your parent or carer’s full name",
            "Enter how your parent or carer is related to you",
            "Confirm that your parent or carer agrees to you applying",
        ],
    ),
    (
        "parent-carer",
        {"carer_name": "Ana", "carer_relationship": "Mum", "carer_email": "ana@", "carer_consent": "y"},
        ["Enter an email address in the correct format"],
    ),
    ("availability", {}, ["Select the days you could volunteer", "Select the times of day you could volunteer"]),
    (
        "availability",
        {"available_days": ["monday", HOSTILE], "available_times": ["dawn"]},
        ["Select from the options given"],
    ),
    ("about-you", {"interests": LONG}, ["What interests you about this scheme? (optional) must be 2,000 characters"]),
    ("about-you", {"languages_spoken": "x" * 201}, ["must be 200 characters or fewer"]),
    ("access-needs", {"access_needs": LONG}, ["must be 2,000 characters or fewer"]),
    ("how-heard", {"how_heard": "carrier pigeon"}, ["Select one of the options"]),
    ("how-heard", {"how_heard": "other", "how_heard_other": "x" * 201}, ["must be 200 characters or fewer"]),
    ("consent", {}, ["Confirm that you agree to your application being shared with the scheme"]),
]


@pytest.mark.parametrize(("slug", "data", "messages"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_page_errors_are_clear_and_keep_the_answers(started, slug, data, messages):
    before = saved_answers()
    response = submit_form(started, f"{CADETS}/{slug}", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in messages:
        assert message in page
    for name, value in data.items():
        if name in TYPED and isinstance(value, str):
            assert (value if value.isprintable() and "<" not in value else "&lt;script&gt;") in page
    assert "<script>alert(1)</script>" not in page
    assert saved_answers() == before  # nothing invalid saved, nothing earlier lost


def test_optional_pages_can_be_left_blank(started):
    for slug in ("about-you", "access-needs", "how-heard"):
        assert submit_form(started, f"{CADETS}/{slug}", {}).status_code == 302, slug


def test_names_with_apostrophes_and_accents_and_line_breaks_are_kept(started):
    submit_form(started, f"{CADETS}/name", {"full_name": "Siobhán O'Brien-محمد"})
    submit_form(started, f"{CADETS}/about-you", {"relevant_experience": "Scouts\r\nFirst aid – «курс»\x00"})
    answers = saved_answers()
    assert answers["name"]["full_name"] == ["Siobhán O'Brien-محمد"]
    assert answers["about-you"]["relevant_experience"] == ["Scouts\nFirst aid – «курс»"]


def test_an_unknown_page_is_not_found(started):
    assert started.get(f"{CADETS}/no-such-page").status_code == 404


def test_a_page_that_does_not_apply_leads_back_to_the_answers(client, demo_config):
    walk_sign_up(client, "police-support-volunteers")  # an adult: no parent or carer page
    response = client.get(f"{VOLUNTEER}/police-support-volunteers/parent-carer")
    assert response.headers["Location"].endswith("/check-answers")


def test_a_request_over_the_size_limit_gets_a_kind_page(started):
    response = started.post(f"{CADETS}/about-you", data={"interests": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


FIELDS = {
    step.slug: [
        name
        for name in dir(step.form)
        if isinstance(getattr(step.form, name), UnboundField) and name not in {"submit", "csrf_token"}
    ]
    for step in STEPS
}
values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.text(alphabet=string.printable, min_size=1, max_size=20).map(lambda chunk: chunk * (9000 // len(chunk))),
    st.sampled_from(["", " ", "\x00", HOSTILE, "'; DROP TABLE referral; --", "9" * 40, "y", "other", "-1", "🙂" * 900]),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(slug=st.sampled_from([step.slug for step in STEPS]), data=st.data())
def test_any_input_on_any_page_is_never_a_server_error_and_loses_nothing(started, slug, data):
    limiter.reset()
    posted = data.draw(
        st.fixed_dictionaries({}, optional={name: st.lists(values, max_size=3) for name in FIELDS[slug]}), "posted"
    )
    before = saved_answers()
    token = csrf_token(started.get(f"{CADETS}/{slug}").get_data(as_text=True))
    response = started.post(f"{CADETS}/{slug}", data={**posted, "csrf_token": token})
    assert response.status_code in (200, 302), response.status_code
    after = saved_answers()
    assert {page: answers for page, answers in after.items() if page != slug} == {
        page: answers for page, answers in before.items() if page != slug
    }
    if response.status_code == 200:
        assert after == before
