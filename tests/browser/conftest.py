"""Browser fixtures: the portal on a live server, Debian's Chromium driven by Playwright, the checkers.

Without Chromium these tests are skipped with one line saying how to enable them, except under
CI=true, where a missing browser (or Java for the HTML checker) fails the run.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.conftest import STAFF_PASSWORD, enrol_two_factor, totp_code
from tests.quality import CHROMIUM, IN_CI, ROOT, HtmlValidator

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "test-output" / "screenshots")
BROWSER_DIR = Path(__file__).resolve().parent
HOW_TO_ENABLE = (
    f"Chromium not found at {CHROMIUM}: browser tests skipped. "
    "Install Debian's chromium package (apt-get install chromium) to run them."
)


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or IN_CI:
        return
    skip = pytest.mark.skip(reason=HOW_TO_ENABLE)
    for item in items:
        if BROWSER_DIR in Path(item.fspath).parents:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.exists() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"Screenshots of every page (375 px and 1280 px wide): {SCREENSHOTS}")
    if not Path(CHROMIUM).exists() and not IN_CI:
        terminalreporter.write_line(HOW_TO_ENABLE)


@pytest.fixture(scope="session")
def live_server(app):
    """The test app served over HTTP on a free port, sharing the test database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"CI=true and {HOW_TO_ENABLE}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # The machine has no network beyond localhost: keep Chromium from trying to phone home.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _page(browser, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    return context, page


def _refuse_csp_violations(page) -> list[str]:
    """Collect what the Content Security Policy blocked; the page fixtures fail the test on any."""
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.context.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return violations


@pytest.fixture
def page(browser, live_server, db):
    context, page = _page(browser, base_url=live_server)
    violations = _refuse_csp_violations(page)
    yield page
    context.close()
    assert not violations, "the Content Security Policy blocked something:\n" + "\n".join(violations)


@pytest.fixture
def page_without_javascript(browser, live_server, db):
    context, page = _page(browser, base_url=live_server, java_script_enabled=False)
    violations = _refuse_csp_violations(page)
    yield page
    context.close()
    assert not violations, "the Content Security Policy blocked something:\n" + "\n".join(violations)


@pytest.fixture(scope="session")
def html_validator():
    try:
        validator = HtmlValidator()
    except FileNotFoundError as error:
        if IN_CI:
            pytest.fail(f"CI=true and {error}")
        pytest.skip(str(error))
    yield validator
    validator.close()


@pytest.fixture(scope="session")
def screenshots():
    """A fresh folder each run, so no picture of a page that no longer exists is left behind."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


def sign_in_in_browser(page, email="officer@example.org", password=STAFF_PASSWORD):
    """The password, then the security code (the account is enrolled in two-factor with TOTP_SECRET first)."""
    enrol_two_factor(email)
    page.goto("/staff/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    if page.url.endswith("/staff/sign-in/security-code"):
        page.fill("#code", totp_code(email))
        with page.expect_navigation():
            page.click("main button[type=submit]")


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab, as a keyboard user would, until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")
