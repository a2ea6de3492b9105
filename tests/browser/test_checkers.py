"""The checkers themselves: a deliberately broken page must fail each of them."""

import pytest

from tests.conftest import check_page_html
from tests.quality import axe_violations

BROKEN = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken</title></head>
<body>
<main>
  <h1>Broken page</h1>
  <form method="post" action="/x">
    <input type="text" name="no-label" id="same">
    <input type="text" name="twin" id="same">
    <img src="/x.png">
  </form>
  <p style="color: #eee; background: #fff">Low contrast text</p>
</main>
</body>
</html>"""


def test_axe_finds_a_missing_label_and_alt_text(page):
    page.set_content(BROKEN)
    rules = {violation["id"] for violation in axe_violations(page)}
    assert {"label", "image-alt", "color-contrast"} <= rules


def test_html_checker_finds_a_duplicate_id(html_validator):
    errors = html_validator.errors(BROKEN)
    assert any("Duplicate ID" in error for error in errors), errors


def test_html_checker_passes_a_valid_page(html_validator):
    assert (
        html_validator.errors("<!DOCTYPE html><html lang=en><head><title>Fine</title></head><body></body></html>") == []
    )


@pytest.mark.parametrize(
    ("html", "complaint"),
    [
        (BROKEN, "CSRF"),
        ("<html><body><p>No title</p></body></html>", "title"),
        ('<html><head><title>Hi</title></head><body><div class="govuk-error-summary"></div></body></html>', "Error: "),
        (
            '<html><head><title>x</title><script src="https://cdn.example.com/x.js"></script></head></html>',
            "another host",
        ),
    ],
)
def test_page_checks_catch_what_they_should(html, complaint):
    with pytest.raises(AssertionError, match=complaint):
        check_page_html(html)
