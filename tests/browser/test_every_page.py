"""Every page and page state: zero axe violations (WCAG 2.2 A and AA), zero HTML errors, screenshots."""

import re

import pytest

from tests.browser.conftest import sign_in_in_browser
from tests.browser.pages import PAGE_STATES
from tests.conftest import check_page_html
from tests.quality import axe_violations, describe_violations


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@pytest.mark.parametrize("state", PAGE_STATES, ids=[slug(state.name) for state in PAGE_STATES])
def test_page_is_accessible_and_valid(state, page, html_validator, screenshots, demo_config, officer):
    if state.staff:
        sign_in_in_browser(page)
    response = state.reach(page)
    assert response is not None, "the page state did not end on a document"
    assert response.status == state.status, f"{state.name}: HTTP {response.status}"
    html = response.text()

    check_page_html(html)
    assert ("govuk-error-summary" in html) == state.shows_errors, "error summary shown when it should not be, or not"

    violations = axe_violations(page)
    assert not violations, f"{state.name}: accessibility violations\n{describe_violations(violations)}"

    errors = html_validator.errors(html)
    assert not errors, f"{state.name}: HTML errors\n" + "\n".join(errors)

    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(screenshots / f"{slug(state.name)}-{width}.png"), full_page=True)
