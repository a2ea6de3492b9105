"""The registry of every page and page state the checks visit.

A new page joins by adding a PageState here. tests/test_page_registry.py fails when an endpoint has
no state here, or when a link found by crawling the site leads to an endpoint that has none.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from portal.extensions import db
from portal.models import Partner
from tests.conftest import JOURNEY, JOURNEY_ANSWERS, journey_answers, make_referral

# Endpoints that serve no HTML page of their own (they redirect, or answer JSON).
NOT_PAGES = {
    "static",
    "main.healthz",
    "reporting.exit_page",
    "reporting.new_report",
    "triage.export",
    "session.keep_alive",
    "admin.export_audit_log_csv",
    "admin.export_subject_request",
    "auth.recovery_codes_saved",
    "insights.chart_data",
    "main.choose_language",
    "insights.figures_data",
}


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
    """Open a form page, tick some boxes, fill some fields, and press its main button."""

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


# --- The reporting journey: answer the pages before the one to check, quickly, over HTTP ---


def _post(page, path: str, data: dict):
    html = page.request.get(path).text()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    pairs = [
        (name, value) for name, values in data.items() for value in (values if isinstance(values, list) else [values])
    ]
    return page.request.post(
        path,
        data=urlencode([*pairs, ("csrf_token", token)]),
        max_redirects=0,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def answer_until(page, slug: str, answers: dict | None = None) -> str:
    """Answer the journey, as the site leads, up to the page `slug`; returns that page's path."""
    answers = answers or JOURNEY_ANSWERS
    _post(page, f"{JOURNEY}/", {"in_danger": "no"})
    location = f"{JOURNEY}/who"
    while not location.endswith(f"/{slug}"):
        response = _post(page, location, answers.get(location.rsplit("/", 1)[1], {}))
        assert response.status == 302, f"{location} answered {response.status}"
        location = response.headers["location"]
    return location


def journey_page(slug: str, answers: dict | None = None) -> Callable:
    return lambda page: page.goto(answer_until(page, slug, answers))


def journey_submit(slug: str, fields=None, checks=(), answers: dict | None = None) -> Callable:
    return lambda page: submit(answer_until(page, slug, answers), fields, checks)(page)


def confirmation_email_wrong(page):
    journey_submit("check-answers")(page)
    page.click("text=Get the reference by email")
    page.fill("#email", "not an email")
    with page.expect_navigation() as navigation:
        page.click("main form button[type=submit]")
    return navigation.value


ONLINE = journey_answers(where={"place_type": "online"})
WITNESS = journey_answers(who={"reporter_role": "witness"})
REQUIRED_PAGES = [
    "who",
    "hostility",
    "what-happened",
    "when",
    "where",
    "address",
    "harm",
    "police",
    "what-next",
    "contact",
]

JOURNEY_STATES = [
    PageState("report: emergency question", "reporting.emergency", visit(f"{JOURNEY}/")),
    PageState("report: emergency question unanswered", "reporting.emergency", submit(f"{JOURNEY}/"), shows_errors=True),
    PageState("report: call 999", "reporting.call_999", submit(f"{JOURNEY}/", checks=("#in_danger",))),
    PageState("report: start", "reporting.start", visit(f"{JOURNEY}/start")),
    *[PageState(f"report: {slug}", "reporting.step", journey_page(slug)) for slug in REQUIRED_PAGES],
    *[
        PageState(f"report: {slug} unanswered", "reporting.step", journey_submit(slug), shows_errors=True)
        for slug in REQUIRED_PAGES
    ],
    PageState("report: online", "reporting.step", journey_page("online", ONLINE)),
    PageState(
        "report: online unanswered", "reporting.step", journey_submit("online", answers=ONLINE), shows_errors=True
    ),
    PageState("report: people", "reporting.step", journey_page("people")),
    PageState("report: witnesses", "reporting.step", journey_page("witnesses")),
    PageState("report: about them", "reporting.step", journey_page("about-them", WITNESS)),
    PageState("report: equality", "reporting.step", journey_page("equality")),
    PageState(
        "report: organisation without its name",
        "reporting.step",
        journey_submit("who", checks=("#reporter_role-4",)),
        shows_errors=True,
    ),
    PageState(
        "report: description too long",
        "reporting.step",
        journey_submit("what-happened", {"#description": "x" * 5001}, checks=("#incident_types",)),
        shows_errors=True,
    ),
    PageState(
        "report: impossible date",
        "reporting.step",
        journey_submit(
            "when",
            {"#incident_date-day": "31", "#incident_date-month": "2", "#incident_date-year": "2026"},
            checks=("#still_happening-2",),
        ),
        shows_errors=True,
    ),
    PageState(
        "report: contact details wrong",
        "reporting.step",
        journey_submit(
            "contact", {"#contact_email": "not-an-email", "#contact_phone": "call me"}, checks=("#wants_contact",)
        ),
        shows_errors=True,
    ),
    PageState("report: check answers", "reporting.check_answers", journey_page("check-answers", WITNESS)),
    PageState("report: confirmation", "reporting.confirmation", journey_submit("check-answers")),
    PageState(
        "report: confirmation email wrong", "reporting.confirmation", confirmation_email_wrong, shows_errors=True
    ),
]


def a_referral_page() -> str:
    return f"/staff/referrals/{make_referral().reference}"


def routed_referral(page):
    path = a_referral_page()
    hub = db.session.execute(db.select(Partner).filter_by(slug="victim-witness-hub")).scalar_one()
    page.goto(path)
    page.check(f"input[name=route-partners][value='{hub.id}']")
    with page.expect_navigation() as navigation:
        page.click("form[action$='/route'] button[type=submit]")
    return navigation.value


def decision_unanswered(action: str, summary: str | None = None, **pages):
    """Open a decision on a referral page (its details section, if it has one) and send it empty."""

    def reach(page):
        page.goto(f"/staff/referrals/{make_referral(**pages).reference}")
        if summary:
            page.click(f"summary:has-text('{summary}')")
        for ticked in page.query_selector_all(f"form[action$='/{action}'] input[type=checkbox]:checked"):
            ticked.uncheck()  # the routing rules' suggestions come ticked
        with page.expect_navigation() as navigation:
            page.click(f"form[action$='/{action}'] button[type=submit]")
        return navigation.value

    return reach


def claimed_referral(page):
    page.goto(a_referral_page())
    with page.expect_navigation() as navigation:
        page.click("form[action$='/claim'] button[type=submit]")
    return navigation.value


def queue_as_admin(page):
    from tests.browser.pages_admin import sign_in_as_admin

    make_referral()
    sign_in_as_admin(page)
    return page.goto("/staff/queue?tab=new&priority=normal&sort=oldest")


def too_many_requests(page):
    page.goto("/staff/sign-in")
    for _ in range(10):  # with the form's token: a post without one is refused before it counts
        _post(page, "/staff/sign-in", {"email": "x@example.org", "password": "not-the-password"})
    return submit("/staff/sign-in", {"#email": "x@example.org", "#password": "not-the-password"})(page)


def signed_out(page):
    page.goto("/staff/queue")
    with page.expect_navigation() as navigation:
        page.click("button:has-text('Sign out')")
    return navigation.value


PAGE_STATES = [
    PageState("home", "main.home", visit("/")),
    PageState("get help", "main.get_help", visit("/get-help")),
    PageState("privacy notice", "main.privacy", visit("/privacy")),
    PageState("accessibility statement", "main.accessibility", visit("/accessibility")),
    PageState("contact", "main.contact", visit("/contact")),
    PageState("page not found", "main.home", visit("/no-such-page"), status=404),
    PageState("too many requests", "auth.sign_in", too_many_requests, status=429),
    *JOURNEY_STATES,
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
    PageState("queue filtered to nothing", "triage.queue", visit("/staff/queue?tab=overdue&q=nobody"), staff=True),
    PageState("queue as an admin, with export", "triage.queue", queue_as_admin),
    PageState("referral claimed", "triage.decide", claimed_referral, staff=True),
    PageState(
        "referral routed without a partner",
        "triage.decide",
        decision_unanswered("route"),
        staff=True,
        shows_errors=True,
    ),
    PageState("referral routed", "triage.decide", routed_referral, staff=True),
    PageState(
        "referral priority without an answer",
        "triage.decide",
        decision_unanswered("priority", "Set the priority"),
        staff=True,
        shows_errors=True,
    ),
    PageState(
        "referral classification without an answer",
        "triage.decide",
        decision_unanswered("classify", "Classify it"),
        staff=True,
        shows_errors=True,
    ),
    PageState(
        "referral duplicate without a reference",
        "triage.decide",
        decision_unanswered("duplicate", "Link as a duplicate"),
        staff=True,
        shows_errors=True,
    ),
    PageState(
        "referral closed without an outcome",
        "triage.decide",
        decision_unanswered("close", "Close it"),
        staff=True,
        shows_errors=True,
    ),
    PageState(
        "referral assigned to nobody",
        "triage.decide",
        decision_unanswered("assign", "Give it to another officer"),
        staff=True,
        shows_errors=True,
    ),
    PageState("referral empty note", "triage.decide", decision_unanswered("note"), staff=True, shows_errors=True),
    PageState(
        "referral empty update to the reporter",
        "triage.decide",
        decision_unanswered(
            "reporter",
            "Send the reporter an update",
            contact={"wants_contact": "yes", "contact_email": "r@example.org"},
        ),
        staff=True,
        shows_errors=True,
    ),
]

# These build on PageState and the helpers above, so they come last.
from tests.browser.pages_admin import ADMIN_STATES  # noqa: E402
from tests.browser.pages_partner import PARTNER_STATES  # noqa: E402
from tests.browser.pages_partner_admin import PARTNER_ADMIN_STATES  # noqa: E402
from tests.browser.pages_responses import RESPONSE_TEMPLATE_STATES  # noqa: E402
from tests.browser.pages_volunteering import VOLUNTEER_STATES  # noqa: E402

PAGE_STATES += ADMIN_STATES + RESPONSE_TEMPLATE_STATES + VOLUNTEER_STATES
PAGE_STATES += PARTNER_STATES
PAGE_STATES += PARTNER_ADMIN_STATES

from tests.browser.pages_audit import AUDIT_STATES  # noqa: E402

PAGE_STATES += AUDIT_STATES

from tests.browser.pages_auth import AUTH_STATES  # noqa: E402

PAGE_STATES += AUTH_STATES

from tests.browser.pages_insights import INSIGHTS_STATES  # noqa: E402

PAGE_STATES += INSIGHTS_STATES

from tests.browser.pages_languages import LANGUAGE_STATES  # noqa: E402

PAGE_STATES += LANGUAGE_STATES
