"""The registry of every page and page state the checks visit.

A new page joins by adding a PageState here. tests/test_page_registry.py fails when an endpoint has
no state here, or when a link found by crawling the site leads to an endpoint that has none.
"""

from collections.abc import Callable
from dataclasses import dataclass

from portal.extensions import db
from portal.models import Partner
from portal.reporting.service import ReportAnswers, submit_report

# Endpoints that serve no HTML page of their own.
NOT_PAGES = {"static", "main.healthz"}


@dataclass(frozen=True)
class PageState:
    name: str
    endpoint: str
    reach: Callable  # (page) -> the Response of the document the browser ended on
    staff: bool = False
    status: int = 200
    shows_errors: bool = False


def visit(path: str) -> Callable:
    return lambda page: page.goto(path)


def submit(path: str | Callable, fields: dict | None = None, checks: tuple[str, ...] = ()) -> Callable:
    """Open a form page, fill some fields, tick some boxes, and press its main button."""

    def reach(page):
        page.goto(path() if callable(path) else path)
        for selector in checks:  # first, so that the answers they reveal can be filled in
            page.check(selector)
        for selector, value in (fields or {}).items():
            if page.eval_on_selector(selector, "e => e.tagName") == "SELECT":
                page.select_option(selector, value)
            else:
                page.fill(selector, value)
        with page.expect_navigation() as navigation:
            page.click("main form button[type=submit]")
        return navigation.value

    return reach


def a_referral_page() -> str:
    referral = submit_report(
        ReportAnswers(
            description="Shouted at on the bus because of my headscarf.",
            incident_date=None,
            location="Number 1 bus, Bridge Street",
            strands=["religion", "sex_or_gender"],
        )
    )
    db.session.commit()
    return f"/staff/referrals/{referral.reference}"


def routed_referral(page):
    path = a_referral_page()
    hub = db.session.execute(db.select(Partner).filter_by(slug="victim-witness-hub")).scalar_one()
    return submit(path, checks=(f"input[name=partner][value='{hub.id}']",))(page)


def too_many_requests(page):
    page.goto("/staff/sign-in")
    for _ in range(10):
        page.request.post("/staff/sign-in", form={"email": "x@example.org", "password": "not-the-password"})
    return submit("/staff/sign-in", {"#email": "x@example.org", "#password": "not-the-password"})(page)


def signed_out(page):
    page.goto("/staff/queue")
    with page.expect_navigation() as navigation:
        page.click("button:has-text('Sign out')")
    return navigation.value


VALID_REPORT = {
    "#description": "A man shouted racist abuse at my son outside the shop and pushed him.",
    "#incident_date-day": "2",
    "#incident_date-month": "11",
    "#incident_date-year": "2026",
    "#location": "Shops on Lincoln Road",
}
VALID_CHECKS = ("#strands", "#wants_contact-2")

PAGE_STATES = [
    PageState("home", "main.home", visit("/")),
    PageState("get help", "main.get_help", visit("/get-help")),
    PageState("volunteer", "main.volunteer", visit("/volunteer/")),
    PageState("privacy notice", "main.privacy", visit("/privacy")),
    PageState("accessibility statement", "main.accessibility", visit("/accessibility")),
    PageState("contact", "main.contact", visit("/contact")),
    PageState("page not found", "main.home", visit("/no-such-page"), status=404),
    PageState("too many requests", "auth.sign_in", too_many_requests, status=429),
    PageState("report form", "reporting.report", visit("/report-hate-incident/")),
    PageState("report submitted empty", "reporting.report", submit("/report-hate-incident/"), shows_errors=True),
    PageState(
        "report with invalid answers",
        "reporting.report",
        submit(
            "/report-hate-incident/",
            {
                **VALID_REPORT,
                "#incident_date-day": "31",
                "#incident_date-month": "2",
                "#description": "x" * 5001,
                "#contact_email": "not-an-email",
            },
            checks=("#strands-9", "#wants_contact"),
        ),
        shows_errors=True,
    ),
    PageState(
        "report confirmation",
        "reporting.confirmation",
        submit("/report-hate-incident/", VALID_REPORT, checks=VALID_CHECKS),
    ),
    PageState("sign in", "auth.sign_in", visit("/staff/sign-in")),
    PageState("sign in submitted empty", "auth.sign_in", submit("/staff/sign-in"), shows_errors=True),
    PageState(
        "sign in with a wrong password",
        "auth.sign_in",
        submit("/staff/sign-in", {"#email": "officer@example.org", "#password": "wrong-password"}),
        shows_errors=True,
    ),
    PageState("signed out", "auth.sign_out", signed_out, staff=True),
    PageState("queue", "triage.queue", lambda page: (a_referral_page(), page.goto("/staff/queue"))[1], staff=True),
    PageState("referral", "triage.referral", lambda page: page.goto(a_referral_page()), staff=True),
    PageState(
        "referral routed without a partner", "triage.route", submit(a_referral_page), staff=True, shows_errors=True
    ),
    PageState("referral routed", "triage.route", routed_referral, staff=True),
]
