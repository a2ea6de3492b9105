"""Page states of the data protection admin pages (audit log, subject rights requests), for the browser
checks (merged into PAGE_STATES in pages.py). Each signs in as an admin itself, as in pages_admin.py."""

from tests.browser.pages import PageState, submit
from tests.browser.pages_admin import as_admin, as_triage_officer
from tests.conftest import make_referral

AUDIT = "/staff/admin/audit"
REQUESTS = "/staff/admin/subject-requests"


def with_contact() -> str:
    """A report whose reporter gave an email address, for the subject-request pages; its reference."""
    return make_referral(
        contact={"wants_contact": "yes", "contact_email": "resident.pages@example.org", "preferred_contact": "email"}
    ).reference


def subject_page(page):
    return page.goto(f"{REQUESTS}/{with_contact()}")


def erase_page(page):
    return page.goto(f"{REQUESTS}/{with_contact()}/erase")


AUDIT_STATES = [
    PageState("admin audit log", "admin.audit_log", as_admin(lambda page: page.goto(AUDIT))),
    PageState(
        "admin audit log with invalid filters",
        "admin.audit_log",
        as_admin(lambda page: page.goto(f"{AUDIT}?reference=nonsense&date_from=31&date_from=2&date_from=2026")),
        shows_errors=True,
    ),
    PageState("admin audit log as a triage officer", "admin.audit_log", as_triage_officer(AUDIT), status=403),
    PageState("admin subject requests", "admin.subject_requests", as_admin(lambda page: page.goto(REQUESTS))),
    PageState(
        "admin subject requests searched empty", "admin.subject_requests", as_admin(submit(REQUESTS)), shows_errors=True
    ),
    PageState(
        "admin subject requests with results",
        "admin.subject_requests",
        as_admin(lambda page: with_contact() and submit(REQUESTS, {"#identifier": "resident.pages@example.org"})(page)),
    ),
    PageState("admin subject request", "admin.subject_request", as_admin(subject_page)),
    PageState("admin subject request erase", "admin.erase_subject_request", as_admin(erase_page)),
    PageState(
        "admin subject request erase without a reason",
        "admin.erase_subject_request",
        as_admin(lambda page: erase_page(page) and submit(page.url)(page)),
        shows_errors=True,
    ),
]
