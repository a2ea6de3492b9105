"""Page states of the admin pages for response templates, for the browser checks (merged into PAGE_STATES in
pages.py). Like the other admin states, each signs in as an admin itself and leaves `staff` False."""

from portal.extensions import db
from portal.models import ResponseTemplate
from tests.browser.pages import PageState, submit
from tests.browser.pages_admin import as_admin

RESPONSE_TEMPLATES = "/staff/admin/response-templates"
NEW_RESPONSE_TEMPLATE = "/staff/admin/response-templates/new"


def a_response_template_page() -> str:
    """The edit page of a seeded template (the browser checks load the demo configuration)."""
    template_id = db.session.execute(db.select(ResponseTemplate.id).order_by(ResponseTemplate.id)).scalars().first()
    return f"{RESPONSE_TEMPLATES}/{template_id}"


RESPONSE_TEMPLATE_STATES = [
    PageState(
        "admin response templates",
        "admin.response_templates",
        as_admin(lambda page: page.goto(RESPONSE_TEMPLATES)),
    ),
    PageState(
        "admin new response template",
        "admin.new_response_template",
        as_admin(lambda page: page.goto(NEW_RESPONSE_TEMPLATE)),
    ),
    PageState(
        "admin new response template submitted empty",
        "admin.new_response_template",
        as_admin(submit(NEW_RESPONSE_TEMPLATE)),
        shows_errors=True,
    ),
    PageState(
        "admin edit response template",
        "admin.edit_response_template",
        as_admin(lambda page: page.goto(a_response_template_page())),
    ),
]
