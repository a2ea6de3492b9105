"""Signing up to volunteer as people do it: an adult and a cadet with a parent or carer using the keyboard
only, and a sign-up with JavaScript switched off. The same residents as the reporting journeys."""

from email import message_from_bytes, policy

from portal.extensions import db
from portal.models import Referral
from tests.browser.conftest import tab_to
from tests.browser.test_journeys import KeyboardResident, MouseResident
from tests.volunteering import aged


def date_of_birth(day: str, month: str, year: str) -> list:
    return [
        ("type", "#date_of_birth-day", day),
        ("type", "#date_of_birth-month", month),
        ("type", "#date_of_birth-year", year),
    ]


ADULT = [
    ("name", [("type", "#full_name", "Amara Okafor")]),
    ("date-of-birth", date_of_birth("14", "6", "1990")),
    ("contact", [("type", "#email", "amara@example.org")]),
    ("address", [("type", "#postcode", "pe1 1hf"), ("pick", "#area_choice", "Central")]),
    ("availability", [("tick", "#available_days-2", None), ("tick", "#available_times-3", None)]),
    ("about-you", [("type", "#languages_spoken", "English and Igbo")]),
    ("access-needs", []),
    ("how-heard", [("choose", "how_heard", "friend_or_family")]),
    ("consent", [("tick", "#consent_share", None)]),
]
CADET = [
    ("name", [("type", "#full_name", "Kai Nowak")]),
    ("date-of-birth", date_of_birth(*aged(15)["date_of_birth"])),
    ("contact", [("type", "#phone", "07700 900 982")]),
    ("address", [("type", "#postcode", "PE3 6AA")]),
    (
        "parent-carer",
        [
            ("type", "#carer_name", "Ewa Nowak"),
            ("type", "#carer_relationship", "Mother"),
            ("type", "#carer_email", "ewa@example.org"),
            ("tick", "#carer_consent", None),
        ],
    ),
    ("availability", [("tick", "#available_days-3", None), ("tick", "#available_times-3", None)]),
    ("about-you", [("type", "#interests", "I want to be a police officer one day.")]),
    ("access-needs", [("type", "#access_needs", "I have dyslexia: written things in plain English, please.")]),
    ("how-heard", [("choose", "how_heard", "school_or_college")]),
    ("consent", [("tick", "#consent_share", None)]),
]


def sign_up(resident, scheme: str, journey) -> str:
    """From the scheme's page, through every question, to the reference; returns the reference."""
    page = resident.page
    page.goto(f"/volunteer/{scheme}/")
    if isinstance(resident, KeyboardResident):
        tab_to(page, "main a.govuk-button--start")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        with page.expect_navigation():
            page.click("main a.govuk-button--start")
    for slug, actions in journey:
        assert page.url.endswith(f"/volunteer/{scheme}/{slug}"), f"expected {slug}, at {page.url}"
        for action in actions:
            resident.do(*action)
        resident.press_button()
    assert page.url.endswith("/check-answers"), page.url
    resident.press_button()
    assert page.url.endswith("/confirmation"), page.url
    return page.inner_text(".portal-reference").strip()


def committed(reference: str):
    db.session.expire_all()
    return db.session.execute(db.select(Referral).filter_by(reference=reference)).scalar_one().volunteer_application


def test_adult_signs_up_with_the_keyboard_and_it_reaches_the_partner(app, page, demo_config, smtp_server):
    reference = sign_up(KeyboardResident(page), "good-neighbour-scheme", ADULT)
    application = committed(reference)
    assert (application.full_name, application.postcode, application.area.name) == (
        "Amara Okafor",
        "PE1 1HF",
        "Central",
    )
    assert (application.available_days, application.available_times) == (["tuesday"], ["evening"])
    assert application.consent_share and application.carer_name is None

    result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    assert "1 sent, 0 failed" in result.output
    [envelope] = smtp_server.handler.messages
    assert envelope.rcpt_tos == ["good-neighbours@example.org"]
    assert reference in message_from_bytes(envelope.content, policy=policy.default)["Subject"]


def test_cadet_signs_up_with_a_carers_consent_with_the_keyboard(page, demo_config):
    application = committed(sign_up(KeyboardResident(page), "volunteer-police-cadets", CADET))
    assert (application.carer_name, application.carer_relationship, application.carer_email) == (
        "Ewa Nowak",
        "Mother",
        "ewa@example.org",
    )
    assert application.carer_consent and application.how_heard == "school_or_college"
    assert application.scheme.slug == "volunteer-police-cadets" and application.referral.routes == []


def test_cadet_signs_up_with_javascript_switched_off(page_without_javascript, demo_config):
    page = page_without_javascript
    page.goto("/volunteer/")
    assert "js-enabled" not in (page.get_attribute("body", "class") or "")  # no script of the page ran
    application = committed(sign_up(MouseResident(page), "volunteer-police-cadets", CADET))
    assert application.carer_consent and application.access_needs.startswith("I have dyslexia")
