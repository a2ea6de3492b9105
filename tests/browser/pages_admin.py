"""Page states of the admin pages, for the browser checks (merged into PAGE_STATES in pages.py).

Admin pages need an admin, and PageState(staff=True) signs in a triage officer, so each state here
signs in as an admin itself and leaves `staff` False.
"""

from portal.extensions import db
from portal.models import SignpostService, StaffRole, StaffUser
from tests.browser.conftest import sign_in_in_browser
from tests.browser.pages import PageState, submit
from tests.conftest import STAFF_PASSWORD

ADMIN_EMAIL = "admin.pages@example.org"
SIGNPOSTING = "/staff/admin/signposting"
NEW_SERVICE = "/staff/admin/signposting/new"


def sign_in_as_admin(page) -> None:
    """Sign in as an admin, creating the account the first time."""
    from portal.auth.service import create_staff

    if db.session.execute(db.select(StaffUser.id).filter_by(email=ADMIN_EMAIL)).first() is None:
        create_staff(ADMIN_EMAIL, "Ada Admin", STAFF_PASSWORD, StaffRole.ADMIN)
        db.session.commit()
    sign_in_in_browser(page, ADMIN_EMAIL, STAFF_PASSWORD)


def as_admin(reach):
    def reach_as_admin(page):
        sign_in_as_admin(page)
        return reach(page)

    return reach_as_admin


def a_service_page() -> str:
    """The edit page of a seeded service (the browser checks load the demo configuration)."""
    service_id = db.session.execute(db.select(SignpostService.id).order_by(SignpostService.position)).scalars().first()
    return f"{SIGNPOSTING}/{service_id}"


def as_triage_officer(path: str):
    def reach(page):
        sign_in_in_browser(page)
        return page.goto(path)

    return reach


ADMIN_STATES = [
    PageState("admin signposting services", "admin.signpost_services", as_admin(lambda page: page.goto(SIGNPOSTING))),
    PageState(
        "admin signposting services as a triage officer",
        "admin.signpost_services",
        as_triage_officer(SIGNPOSTING),
        status=403,
    ),
    PageState("admin new service", "admin.new_signpost_service", as_admin(lambda page: page.goto(NEW_SERVICE))),
    PageState(
        "admin new service submitted empty",
        "admin.new_signpost_service",
        as_admin(submit(NEW_SERVICE)),
        shows_errors=True,
    ),
    PageState("admin edit service", "admin.edit_signpost_service", as_admin(lambda page: page.goto(a_service_page()))),
    PageState(
        "admin edit service with invalid answers",
        "admin.edit_signpost_service",
        as_admin(submit(a_service_page, {"#name": "", "#who_it_helps": "x" * 1001, "#position": "ten"})),
        shows_errors=True,
    ),
    PageState("admin service saved", "admin.signpost_services", as_admin(submit(a_service_page))),
]
