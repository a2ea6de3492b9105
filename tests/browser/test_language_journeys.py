"""A resident reports a hate incident, and another signs up to volunteer, in Polish and in Urdu (right to
left), with the keyboard only: the language chosen from the switcher, every page in that language with the
right lang and dir, axe and HTML checks clean on the start, check-answers and confirmation pages, and
screenshots of them."""

import pytest

from portal.extensions import db
from portal.models import Referral
from tests.browser.conftest import tab_to
from tests.browser.test_journeys import VICTIM, KeyboardResident
from tests.browser.test_volunteer_journeys import ADULT, sign_up
from tests.quality import axe_violations, describe_violations

LANGUAGES = [("pl", "ltr", "Polski"), ("ur", "rtl", "اردو")]
# What the character count says as the description is typed (GOV.UK Frontend's script, told the page's plural
# forms): Polish "Pozostało 4941 znaków", Urdu "آپ کے پاس 4,941 حروف باقی ہیں".
CHARACTERS_LEFT = {"pl": "znaków", "ur": "حروف باقی ہیں"}


def choose_language(page, code: str) -> None:
    page.goto("/")
    tab_to(page, f"a[hreflang='{code}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def check(page, html_validator, screenshots, name: str, code: str, direction: str) -> None:
    """In the language, with its direction; no accessibility or HTML errors; screenshots at both widths."""
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [code, direction]
    violations = axe_violations(page)
    assert not violations, f"{name}: accessibility violations\n{describe_violations(violations)}"
    errors = html_validator.errors(page.content())
    assert not errors, f"{name}: HTML errors\n" + "\n".join(errors)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"
        page.screenshot(path=str(screenshots / f"{code}-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("code, direction, name", LANGUAGES, ids=[code for code, _d, _n in LANGUAGES])
def test_a_resident_reports_in_their_language_with_the_keyboard(
    code, direction, name, page, html_validator, screenshots, demo_config
):
    choose_language(page, code)
    assert page.inner_text(".portal-languages__current") == name
    resident = KeyboardResident(page)
    page.goto("/report-hate-incident/")
    resident.do("choose", "in_danger", "no")
    resident.press_button()
    check(page, html_validator, screenshots, "report-start", code, direction)
    tab_to(page, "main a.govuk-button--start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for slug, actions in VICTIM:
        assert page.url.endswith(f"/report-hate-incident/{slug}"), f"expected {slug}, at {page.url}"
        for action in actions:
            resident.do(*action)
        if slug == "what-happened":
            left = page.inner_text(".govuk-character-count__status")
            assert CHARACTERS_LEFT[code] in left and "characters" not in left, left
        resident.press_button()
    assert page.url.endswith("/check-answers"), page.url
    check(page, html_validator, screenshots, "report-check-answers", code, direction)
    resident.press_button()
    check(page, html_validator, screenshots, "report-confirmation", code, direction)
    reference = page.inner_text(".portal-reference").strip()
    db.session.expire_all()
    referral = db.session.execute(db.select(Referral).filter_by(reference=reference)).scalar_one()
    assert referral.language == code
    assert referral.hate_incident.description == "Three teenagers shouted homophobic abuse and threw a bottle."


@pytest.mark.parametrize("code, direction, name", LANGUAGES, ids=[code for code, _d, _n in LANGUAGES])
def test_a_resident_signs_up_to_volunteer_in_their_language_with_the_keyboard(
    code, direction, name, page, html_validator, screenshots, demo_config
):
    choose_language(page, code)
    reference = sign_up(KeyboardResident(page), "neighbourhood-watch", ADULT)
    check(page, html_validator, screenshots, "volunteer-confirmation", code, direction)
    db.session.expire_all()
    assert db.session.execute(db.select(Referral).filter_by(reference=reference)).scalar_one().language == code


def test_phone_numbers_read_left_to_right_on_right_to_left_pages(page, demo_config):
    """In Urdu text a phone number's groups would swap round the space (960100 01632) without the portal's
    left-to-right marking; measured where the browser draws them, on the Get help page and in the footer."""
    choose_language(page, "ur")
    page.goto("/get-help")
    for number in ("01632 960100", "18001 101"):
        first, second = number.split(" ")
        drawn = page.locator(f"span[dir='ltr']:text-is('{number}')").first
        left_of = drawn.evaluate(
            """(element, [first, second]) => {
                const where = (text) => {
                    const node = element.firstChild, start = node.textContent.indexOf(text);
                    const range = document.createRange();
                    range.setStart(node, start);
                    range.setEnd(node, start + text.length);
                    return range.getBoundingClientRect().left;
                };
                return where(first) < where(second);
            }""",
            [first, second],
        )
        assert left_of, f"{number} is drawn the wrong way round"
    assert page.locator("main").inner_text().count("(Victim and Witness Hub)") >= 1  # the demo's Urdu is there
