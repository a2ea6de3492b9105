"""An officer's day in the queue, with the keyboard only: filter, claim, classify, note, route, close."""

from portal.extensions import db
from portal.models import EventType, Referral, ReferralStatus
from tests.browser.conftest import tab_to
from tests.browser.test_journeys import KeyboardResident
from tests.conftest import STAFF_PASSWORD, make_referral, totp_code


def press(page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press(key)


def open_details(page, decision: str) -> None:
    tab_to(page, f"#{decision}-details summary")
    page.keyboard.press("Enter")


def test_an_officers_day_with_the_keyboard_only(page, demo_config, officer):
    make_referral()  # something else in the queue
    referral = make_referral(
        hostility={"strands": ["disability"]}, what_next={"consents": ["police", "victim_support"]}
    )
    keyboard = KeyboardResident(page)

    page.goto("/staff/sign-in")
    keyboard.do("type", "#email", "officer@example.org")
    keyboard.do("type", "#password", STAFF_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "code"  # the code box has the focus when the page opens
    page.keyboard.type(totp_code("officer@example.org"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Filter the queue to disability hate incidents.
    keyboard.do("pick", "#strand", "Disability (including learning disability and mental health)")
    press(page, "form.portal-queue-filters button")
    assert f"/staff/referrals/{referral.reference}" in page.content()
    press(page, f"main a[href='/staff/referrals/{referral.reference}']")

    # Claim it.
    press(page, "form[action$='/claim'] button")
    assert f"You have claimed {referral.reference}" in page.inner_text("main")

    # Classify it.
    open_details(page, "classify")
    keyboard.do("choose", "classify-classification", "crime")
    press(page, "form[action$='/classify'] button")
    assert "Classification saved" in page.inner_text("main")

    # Add a note.
    keyboard.do("type", "#note-text", "Spoke to the victim's support worker; they want police involvement.")
    press(page, "form[action$='/note'] button")
    assert "Note added" in page.inner_text("main")

    # Route it to the police hate crime team.
    # The rules tick the police (a crime, and the reporter agreed) and the Victim and Witness Hub (the
    # reporter asked for support); this officer sends it to the police only, so unticks the Hub.
    checked = page.locator("input[name=route-partners]:checked")
    labels = [page.evaluate("(e) => e.labels[0].textContent.trim()", box) for box in checked.element_handles()]
    assert labels == ["Cambridgeshire Constabulary hate crime team", "Victim and Witness Hub"]
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.labels?.[0]?.textContent.trim()") == "Victim and Witness Hub":
            page.keyboard.press("Space")
            break
    press(page, "form[action$='/route'] button", "Space")
    assert "sent to Cambridgeshire Constabulary hate crime team" in page.inner_text("main")

    # Close it.
    open_details(page, "close")
    keyboard.do("choose", "close-outcome", "resolved_by_partner")
    keyboard.do("type", "#close-close_reason", "Police have taken the investigation on.")
    press(page, "form[action$='/close'] button")
    assert f"{referral.reference} is closed" in page.inner_text("main")

    db.session.expire_all()
    done = db.session.get(Referral, referral.id)
    assert (done.status, done.classification, done.assigned_to_id) == (ReferralStatus.CLOSED, "crime", officer.id)
    assert {EventType.CLAIMED, EventType.CLASSIFIED, EventType.NOTE, EventType.ROUTED, EventType.CLOSED} <= {
        event.type for event in done.events
    }
