"""Journeys as people make them: with the keyboard only, and with JavaScript switched off.

Each journey is a list of pages and, for each, what the person does there. The same list is played
either with Tab, Space, arrow keys and Enter only, or with the mouse in a browser that runs no scripts.
"""

from email import message_from_bytes, policy

import pytest

from portal.extensions import db
from portal.models import HateIncidentReport, Referral
from tests.browser.conftest import tab_to
from tests.conftest import STAFF_PASSWORD, totp_code

# (what, where, value): "type" text into a field, "tick" a checkbox, "choose" a radio option by value,
# "pick" an option of a select by its label.
VICTIM = [
    ("who", [("choose", "reporter_role", "victim")]),
    ("hostility", [("tick", "#strands-3", None)]),  # sexual orientation
    (
        "what-happened",
        [
            ("tick", "#incident_types", None),
            ("type", "#description", "Three teenagers shouted homophobic abuse and threw a bottle."),
        ],
    ),
    (
        "when",
        [
            ("type", "#incident_date-day", "21"),
            ("type", "#incident_date-month", "11"),
            ("type", "#incident_date-year", "2026"),
            ("choose", "still_happening", "no"),
        ],
    ),
    ("where", [("choose", "place_type", "street")]),
    ("address", [("type", "#location", "Cathedral Square"), ("pick", "#area_choice", "Central")]),
    ("harm", [("choose", "anyone_hurt", "no"), ("choose", "property_damaged", "no")]),
    ("people", []),
    ("witnesses", []),
    ("police", [("choose", "reported_to_police", "no")]),
    ("what-next", [("tick", "#consents-2", None)]),  # support from the Victim and Witness Hub
    (
        "contact",
        [
            ("choose", "wants_contact", "yes"),
            ("type", "#contact_name", "Jamie Example"),
            ("type", "#contact_email", "jamie@example.org"),
        ],
    ),
    ("equality", []),
]
WITNESS = [
    ("who", [("choose", "reporter_role", "witness")]),
    ("hostility", [("tick", "#strands", None)]),  # race
    (
        "what-happened",
        [
            ("tick", "#incident_types-2", None),
            ("type", "#description", "A man pushed a woman in a hijab off the bus step."),
        ],
    ),
    (
        "when",
        [
            ("type", "#incident_date-day", "20"),
            ("type", "#incident_date-month", "11"),
            ("type", "#incident_date-year", "2026"),
            ("choose", "still_happening", "no"),
        ],
    ),
    ("where", [("choose", "place_type", "public_transport")]),
    ("address", [("type", "#location", "Queensgate bus station")]),
    (
        "harm",
        [
            ("choose", "anyone_hurt", "yes"),
            ("type", "#hurt_details", "She fell and hurt her wrist."),
            ("choose", "property_damaged", "no"),
        ],
    ),
    ("people", [("choose", "perpetrator_known", "no")]),
    ("witnesses", [("choose", "witnesses", "not_sure")]),
    ("police", [("choose", "reported_to_police", "yes"), ("type", "#crime_reference", "CC-20112026-55")]),
    ("what-next", [("tick", "#consents", None)]),  # pass it to the police
    ("about-them", [("choose", "victim_age_group", "18_to_64"), ("choose", "victim_aware", "not_sure")]),
    ("contact", [("choose", "wants_contact", "no")]),
    ("equality", [("choose", "age_group", "45_to_64")]),
]
THIRD_PARTY_CENTRE = [
    (
        "who",
        [("choose", "reporter_role", "organisation"), ("type", "#organisation_name", "Millfield Community Centre")],
    ),
    ("hostility", [("tick", "#strands-2", None)]),  # religion
    (
        "what-happened",
        [
            ("tick", "#incident_types-4", None),
            ("type", "#description", "Anti-Muslim graffiti sprayed on the mosque wall, reported to us."),
        ],
    ),
    (
        "when",
        [
            ("type", "#incident_date-day", "19"),
            ("type", "#incident_date-month", "11"),
            ("type", "#incident_date-year", "2026"),
            ("tick", "#date_is_approximate", None),
            ("choose", "still_happening", "not_sure"),
        ],
    ),
    ("where", [("choose", "place_type", "place_of_worship")]),
    ("address", [("type", "#location", "Cromwell Road"), ("type", "#postcode", "PE1 2EL")]),
    ("harm", [("choose", "anyone_hurt", "no"), ("choose", "property_damaged", "yes")]),
    ("people", []),
    ("witnesses", []),
    ("police", [("choose", "reported_to_police", "no")]),
    ("what-next", [("tick", "#consents", None), ("tick", "#consents-3", None)]),
    ("about-them", []),
    (
        "contact",
        [
            ("choose", "wants_contact", "yes"),
            ("type", "#contact_phone", "01632 960 555"),
            ("choose", "preferred_contact", "phone"),
        ],
    ),
    ("equality", []),
]
ANONYMOUS_ONLINE = [
    ("who", [("choose", "reporter_role", "victim")]),
    ("hostility", [("tick", "#strands-5", None)]),  # transgender identity
    (
        "what-happened",
        [
            ("tick", "#incident_types-5", None),
            ("type", "#description", "Dozens of hateful messages about me being trans, every day."),
        ],
    ),
    (
        "when",
        [
            ("type", "#incident_date-day", "1"),
            ("type", "#incident_date-month", "11"),
            ("type", "#incident_date-year", "2026"),
            ("choose", "still_happening", "yes"),
        ],
    ),
    ("where", [("choose", "place_type", "online")]),
    ("online", [("type", "#online_platform", "A local community Facebook group")]),
    ("harm", [("choose", "anyone_hurt", "no"), ("choose", "property_damaged", "no")]),
    ("people", []),
    ("witnesses", []),
    ("police", [("choose", "reported_to_police", "no")]),
    ("what-next", [("tick", "#consents-4", None)]),  # just record it
    ("contact", [("choose", "wants_contact", "no")]),
    ("equality", [("choose", "sexual_orientation", "prefer_not")]),
]


class KeyboardResident:
    """Does everything with Tab, Space, the arrow keys, typing and Enter."""

    def __init__(self, page):
        self.page = page

    def do(self, action, target, value):
        page = self.page
        if action == "type":
            tab_to(page, target)
            page.keyboard.type(value)
        elif action == "tick":
            tab_to(page, target)
            page.keyboard.press("Space")
        elif action == "pick":
            tab_to(page, target)
            for _ in range(30):  # arrow down through the options until the one wanted is selected
                if page.evaluate("(s) => document.querySelector(s).selectedOptions[0].text", target) == value:
                    break
                page.keyboard.press("ArrowDown")
        elif action == "choose":
            tab_to(page, f"input[name={target}]")
            for _ in range(12):
                if page.evaluate("document.activeElement.value") == value:
                    page.keyboard.press("Space")
                    break
                page.keyboard.press("ArrowDown")
            assert page.is_checked(f"input[name={target}][value='{value}']"), f"could not choose {value}"

    def press_button(self):
        tab_to(self.page, "main form button[type=submit]")
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


class MouseResident:
    """Clicks and types, in a browser that may have JavaScript switched off."""

    def __init__(self, page):
        self.page = page

    def do(self, action, target, value):
        if action == "type":
            self.page.fill(target, value)
        elif action == "tick":
            self.page.check(target)
        elif action == "pick":
            self.page.select_option(target, label=value)
        elif action == "choose":
            self.page.check(f"input[name={target}][value='{value}']")

    def press_button(self):
        with self.page.expect_navigation():
            self.page.click("main form button[type=submit]")


def report(resident, journey) -> str:
    """Report through every page, from the emergency question to the reference; returns the reference."""
    page = resident.page
    page.goto("/report-hate-incident/")
    resident.do("choose", "in_danger", "no")
    resident.press_button()
    assert page.title().startswith("Report a hate incident")
    if isinstance(resident, KeyboardResident):
        tab_to(page, "main a.govuk-button--start")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        with page.expect_navigation():
            page.click("text=Start now")
    for slug, actions in journey:
        assert page.url.endswith(f"/report-hate-incident/{slug}"), f"expected {slug}, at {page.url}"
        for action in actions:
            resident.do(*action)
        resident.press_button()
    assert page.url.endswith("/check-answers"), page.url
    resident.press_button()
    return page.inner_text(".portal-reference").strip()


def committed(reference: str) -> HateIncidentReport:
    db.session.expire_all()
    referral = db.session.execute(db.select(Referral).filter_by(reference=reference)).scalar_one()
    return referral.hate_incident


def test_victim_reports_with_the_keyboard_and_it_reaches_the_partner(app, page, demo_config, officer, smtp_server):
    reference = report(KeyboardResident(page), VICTIM)
    saved = committed(reference)
    assert (saved.reporter_role, saved.strands, saved.area.name) == ("victim", ["sexual_orientation"], "Central")
    assert (saved.contact_email, saved.consent_victim_support) == ("jamie@example.org", True)

    # An officer signs in, opens it from the queue and routes it, with the keyboard only too.
    page.goto("/staff/sign-in")
    tab_to(page, "#email")
    page.keyboard.type("officer@example.org")
    tab_to(page, "#password")
    page.keyboard.type(STAFF_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if not page.evaluate("document.activeElement.id === 'code'"):  # the code box has the focus when the page opens
        tab_to(page, "#code")
    page.keyboard.type(totp_code("officer@example.org"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, f"main a[href='/staff/referrals/{reference}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The reporter asked for victim support, so the rules have ticked the Victim and Witness Hub already.
    tab_to(page, "input[name=route-partners]:checked")
    assert page.evaluate("document.activeElement.labels[0].textContent.trim()") == "Victim and Witness Hub"
    assert page.locator("input[name=route-partners]:checked").count() == 1
    tab_to(page, "form[action$='/route'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert f"Referral {reference} sent to Victim and Witness Hub" in page.inner_text("main")

    result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    assert "1 sent, 0 failed" in result.output
    [envelope] = smtp_server.handler.messages
    assert envelope.rcpt_tos == ["victim-hub@example.org"]
    assert reference in message_from_bytes(envelope.content, policy=policy.default)["Subject"]


def test_witness_reports_with_the_keyboard(page, demo_config):
    saved = committed(report(KeyboardResident(page), WITNESS))
    assert (saved.reporter_role, saved.hurt_details, saved.crime_reference) == (
        "witness",
        "She fell and hurt her wrist.",
        "CC-20112026-55",
    )
    assert (saved.victim_age_group, saved.consent_police, saved.anonymous) == ("18_to_64", True, True)


@pytest.mark.parametrize("mode", ["keyboard", "no-javascript"])
def test_third_party_centre_reports(mode, page, page_without_javascript, demo_config):
    resident = KeyboardResident(page) if mode == "keyboard" else MouseResident(page_without_javascript)
    saved = committed(report(resident, THIRD_PARTY_CENTRE))
    assert (saved.organisation_name, saved.postcode, saved.date_is_approximate) == (
        "Millfield Community Centre",
        "PE1 2EL",
        True,
    )
    assert (saved.consent_police, saved.consent_council_housing, saved.contact_phone) == (True, True, "01632 960 555")


def test_anonymous_online_report_with_javascript_switched_off(page_without_javascript, demo_config):
    page = page_without_javascript
    page.goto("/report-hate-incident/")
    assert "js-enabled" not in (page.get_attribute("body", "class") or "")  # no script of the page ran
    saved = committed(report(MouseResident(page), ANONYMOUS_ONLINE))
    assert (saved.place_type, saved.online_platform, saved.location) == (
        "online",
        "A local community Facebook group",
        None,
    )
    assert saved.anonymous and saved.just_record and not saved.consent_police


def test_exit_this_page_leaves_and_deletes_the_draft(app, page, live_server, demo_config, monkeypatch):
    from portal.models import ReportDraft

    # The machine has no internet: stand in for the neutral site with a page of our own.
    monkeypatch.setitem(app.config, "EXIT_PAGE_URL", f"{live_server}/privacy?neutral")
    page.goto("/report-hate-incident/start")
    page.click("text=Start now")
    page.check("input[name=reporter_role][value=victim]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert db.session.execute(db.select(db.func.count(ReportDraft.id))).scalar_one() == 1
    with page.expect_navigation(url="**/privacy?neutral"):
        page.click(".govuk-exit-this-page__button")
    db.session.expire_all()
    assert db.session.execute(db.select(db.func.count(ReportDraft.id))).scalar_one() == 0
