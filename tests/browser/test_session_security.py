"""In the browser: the idle warning before a staff session ends (GOV.UK timeout warning pattern), and the check
that fails any page the Content Security Policy blocks something on."""

from tests.browser.conftest import _page, _refuse_csp_violations, sign_in_in_browser
from tests.quality import axe_violations, describe_violations

WARN_AFTER = "28:00"  # 30 minutes idle, warned 2 minutes before


def test_the_idle_warning_moves_focus_in_and_stay_signed_in_keeps_the_session(page, demo_config, officer):
    page.clock.install()
    sign_in_in_browser(page)
    page.goto("/staff/queue")
    page.clock.fast_forward(WARN_AFTER)
    dialog = page.locator("dialog#session-timeout")
    dialog.wait_for(state="visible")
    assert dialog.get_attribute("aria-modal") == "true"
    assert page.evaluate("document.activeElement.dataset.sessionAction") == "stay"
    assert "You will be signed out soon" in dialog.inner_text()
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    with page.expect_response("**/staff/keep-alive") as keep_alive:
        page.keyboard.press("Escape")  # Escape means stay signed in
    assert keep_alive.value.status == 204
    dialog.wait_for(state="hidden")

    page.clock.fast_forward(WARN_AFTER)
    dialog.wait_for(state="visible")
    with page.expect_response("**/staff/keep-alive"):
        page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    assert page.goto("/staff/queue").url.endswith("/staff/queue")


def test_sign_out_from_the_idle_warning(page, demo_config, officer):
    page.clock.install()
    sign_in_in_browser(page)
    page.goto("/staff/queue")
    page.clock.fast_forward(WARN_AFTER)
    page.locator("dialog#session-timeout").wait_for(state="visible")
    with page.expect_navigation():
        page.locator("dialog#session-timeout").get_by_role("button", name="Sign out").click()
    assert page.url.endswith("/staff/sign-in")
    assert "You have signed out" in page.content()


def test_a_page_where_the_csp_blocks_something_is_caught(browser, live_server):
    context, page = _page(browser, base_url=live_server)
    try:
        violations = _refuse_csp_violations(page)
        page.goto("/")
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; "
            "document.body.append(s) }"
        )
        page.wait_for_timeout(200)
        assert violations, "an inline script without the nonce ran, or its violation was not noticed"
        assert page.evaluate("window.x") is None
    finally:
        context.close()
