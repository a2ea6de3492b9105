"""Journeys as people make them: keyboard only, and with JavaScript switched off."""

from email import message_from_bytes, policy

from portal.extensions import db
from portal.models import HateIncidentReport, Referral
from tests.browser.conftest import tab_to
from tests.conftest import STAFF_PASSWORD


def test_report_to_partner_inbox_with_the_keyboard_only(app, page, demo_config, officer, smtp_server):
    # A resident reaches the form from the home page with Tab and Enter.
    page.goto("/")
    tab_to(page, "main a[href='/report-hate-incident/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    tab_to(page, "#description")
    page.keyboard.type("Three teenagers shouted homophobic abuse at us and threw a bottle.")
    tab_to(page, "#incident_date-day")
    page.keyboard.type("21")
    page.keyboard.press("Tab")
    page.keyboard.type("11")
    page.keyboard.press("Tab")
    page.keyboard.type("2026")
    tab_to(page, "#location")
    page.keyboard.type("Cathedral Square")
    tab_to(page, "#strands-3")  # sexual orientation
    page.keyboard.press("Space")
    tab_to(page, "#wants_contact")
    page.keyboard.press("ArrowDown")  # moves to, and selects, "No, I want to stay anonymous"
    assert page.is_checked("#wants_contact-2")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    reference = page.inner_text(".portal-reference").strip()
    assert reference.startswith("HC-")

    # An officer signs in, opens it from the queue and routes it, still with the keyboard only.
    page.goto("/staff/sign-in")
    tab_to(page, "#email")
    page.keyboard.type("officer@example.org")
    tab_to(page, "#password")
    page.keyboard.type(STAFF_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, f"main a[href='/staff/referrals/{reference}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "input[name=partner]")
    for _ in range(12):
        if page.evaluate("document.activeElement.labels[0].textContent.trim()") == "Victim and Witness Hub":
            break
        page.keyboard.press("ArrowDown")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert f"Referral {reference} routed to Victim and Witness Hub" in page.inner_text("main")

    # The worker delivers it to the partner's (real) SMTP server.
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    assert "1 sent, 0 failed" in result.output
    [envelope] = smtp_server.handler.messages
    assert envelope.rcpt_tos == ["victim-hub@example.org"]
    assert reference in message_from_bytes(envelope.content, policy=policy.default)["Subject"]


def test_report_with_javascript_switched_off(page_without_javascript, demo_config):
    page = page_without_javascript
    page.goto("/report-hate-incident/")
    assert "js-enabled" not in (page.get_attribute("body", "class") or "")  # the page's scripts did not run
    page.click("main form button[type=submit]")
    assert "There is a problem" in page.inner_text("main")
    assert page.title().startswith("Error:")

    page.fill("#description", "Someone wrote anti-Muslim graffiti on our mosque's wall overnight.")
    page.fill("#incident_date-day", "22")
    page.fill("#incident_date-month", "11")
    page.fill("#incident_date-year", "2026")
    page.fill("#location", "Mosque on Cromwell Road")
    page.select_option("#area", label="Central")
    page.check("#strands-2")  # religion
    page.check("#wants_contact")  # yes: the contact questions are already visible without JavaScript
    page.fill("#contact_name", "Imran Example")
    page.fill("#contact_phone", "01632 960 001")
    page.click("main form button[type=submit]")

    reference = page.inner_text(".portal-reference").strip()
    referral = db.session.execute(db.select(Referral).filter_by(reference=reference)).scalar_one()
    report = db.session.get(HateIncidentReport, referral.id)
    assert (report.contact_name, report.contact_phone, report.area.name) == (
        "Imran Example",
        "01632 960 001",
        "Central",
    )
    assert report.strands == ["religion"]
