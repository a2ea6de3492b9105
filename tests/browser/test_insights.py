"""The insights dashboard in a browser, on a year of made-up history: every chart readable on a 375 px phone,
nothing wider than the screen, the data tables open with the keyboard, and screenshots for people to look at."""

from portal.demo_history import seed_history
from portal.extensions import db
from tests.browser.conftest import sign_in_in_browser, tab_to

# The smallest text a chart may draw on a phone, in CSS pixels (the charts' 14-unit values drawn at 375 px).
SMALLEST_TEXT_PX = 12


def test_the_dashboard_is_readable_on_a_phone_with_a_years_history(page, demo_config, officer, screenshots):
    assert seed_history(months=14) > 300
    db.session.commit()
    sign_in_in_browser(page)
    for width, height in ((1280, 900), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/staff/insights")
        page.screenshot(path=str(screenshots / f"insights-dashboard-with-history-{width}.png"), full_page=True)
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 12
    smallest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('svg[role=img] text')].map(t => t.getBoundingClientRect().height))"
    )
    assert smallest >= SMALLEST_TEXT_PX, f"chart text is {smallest:.1f} px high at 375 px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page scrolls sideways on a phone"
    # Every chart names itself to a screen reader.
    for index in range(charts.count()):
        labelled_by = charts.nth(index).get_attribute("aria-labelledby").split()
        assert all(page.locator(f"[id='{part}']").count() == 1 for part in labelled_by)

    # The first chart's data table opens from the keyboard.
    tab_to(page, "#chart-reports-by-month summary")
    page.keyboard.press("Enter")
    assert page.locator("#chart-reports-by-month table").is_visible()


def test_the_board_report_prints_without_navigation(page, demo_config, officer, screenshots):
    seed_history(months=6)
    db.session.commit()
    sign_in_in_browser(page)
    page.goto("/staff/insights/board-report")
    page.emulate_media(media="print")
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert page.locator("table").first.is_visible()
    page.screenshot(path=str(screenshots / "insights-board-report-print-1280.png"), full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
