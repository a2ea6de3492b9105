"""Page states of the partner and routing-rule admin pages, and of the page a partner confirms an address on,
for the browser checks (merged into PAGE_STATES in pages.py). Admin states sign in as an admin themselves."""

import time

from itsdangerous import TimestampSigner

from portal.extensions import db
from portal.models import Partner, PartnerAddress, RoutingRule
from portal.routing.addresses import add_partner_address
from portal.routing.links import ADDRESS_SALT, DAY, _serializer, address_token
from tests.browser.pages import PageState, submit
from tests.browser.pages_admin import as_admin, as_triage_officer

PARTNERS = "/staff/admin/partners"
NEW_PARTNER = "/staff/admin/partners/new"
RULES = "/staff/admin/routing-rules"
NEW_RULE = "/staff/admin/routing-rules/new"


def the_hub() -> Partner:
    return db.session.execute(db.select(Partner).filter_by(slug="victim-witness-hub")).scalar_one()


def waiting_address() -> PartnerAddress:
    """An address of the Victim and Witness Hub that has been sent its link and not confirmed."""
    address = add_partner_address(the_hub(), "new-team@example.org", None)
    db.session.commit()
    return address


def hub_page() -> str:
    """The Hub's page, with one confirmed address and one waiting for confirmation."""
    waiting_address()
    return f"{PARTNERS}/{the_hub().id}"


def press(path, button: str, fields: dict | None = None):
    """Open a page, fill some fields, and press the button with this text (pages here have several forms)."""

    def reach(page):
        page.goto(path() if callable(path) else path)
        for selector, value in (fields or {}).items():
            page.fill(selector, value)
        with page.expect_navigation() as navigation:
            page.click(f"main button:has-text('{button}')")
        return navigation.value

    return reach


def a_rule_page() -> str:
    rule_id = db.session.execute(db.select(RoutingRule.id).order_by(RoutingRule.position)).scalars().first()
    return f"{RULES}/{rule_id}"


def confirm_link(page):
    return page.goto(f"/partner/confirm/{address_token(waiting_address())}")


def confirmed(page):
    confirm_link(page)
    with page.expect_navigation() as navigation:
        page.click("main button[type=submit]")
    return navigation.value


class SignedLongAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 30 * DAY


def expired_link(page):
    address = waiting_address()
    serializer = _serializer(ADDRESS_SALT)
    serializer.signer = SignedLongAgo
    return page.goto(f"/partner/confirm/{serializer.dumps({'address': address.id, 'email': address.email})}")


PARTNER_ADMIN_STATES = [
    PageState("admin partners", "admin.partners", as_admin(lambda page: (waiting_address(), page.goto(PARTNERS))[1])),
    PageState("admin partners as a triage officer", "admin.partners", as_triage_officer(PARTNERS), status=403),
    PageState("admin new partner", "admin.new_partner", as_admin(lambda page: page.goto(NEW_PARTNER))),
    PageState(
        "admin new partner submitted empty",
        "admin.new_partner",
        as_admin(submit(NEW_PARTNER)),
        shows_errors=True,
    ),
    PageState(
        "admin new partner added",
        "admin.new_partner",
        as_admin(submit(NEW_PARTNER, {"#name": "Mediation"}, ("#partner_type",))),
    ),
    PageState("admin partner", "admin.edit_partner", as_admin(lambda page: page.goto(hub_page()))),
    PageState(
        "admin partner with invalid answers",
        "admin.edit_partner",
        as_admin(press(hub_page, "Save partner", {"#name": "", "#ack_sla_hours": "a week"})),
        shows_errors=True,
    ),
    PageState(
        "admin add partner address",
        "admin.add_address",
        as_admin(lambda page: page.goto(f"{PARTNERS}/{the_hub().id}/addresses/new")),
    ),
    PageState(
        "admin add partner address malformed",
        "admin.add_address",
        as_admin(lambda page: submit(f"{PARTNERS}/{the_hub().id}/addresses/new", {"#email": "not an address"})(page)),
        shows_errors=True,
    ),
    PageState(
        "admin partner address added",
        "admin.add_address",
        as_admin(lambda page: submit(f"{PARTNERS}/{the_hub().id}/addresses/new", {"#email": "team@example.org"})(page)),
    ),
    PageState(
        "admin partner address link sent again",
        "admin.resend_address_link",
        as_admin(press(hub_page, "Send the confirmation email again")),
    ),
    PageState("admin partner address removed", "admin.remove_address", as_admin(press(hub_page, "Remove"))),
    PageState("admin routing rules", "admin.routing_rules", as_admin(lambda page: page.goto(RULES))),
    PageState("admin new routing rule", "admin.new_routing_rule", as_admin(lambda page: page.goto(NEW_RULE))),
    PageState(
        "admin new routing rule submitted empty",
        "admin.new_routing_rule",
        as_admin(submit(NEW_RULE, {"#position": "first"})),
        shows_errors=True,
    ),
    PageState("admin edit routing rule", "admin.edit_routing_rule", as_admin(lambda page: page.goto(a_rule_page()))),
    PageState(
        "admin edit routing rule with invalid answers",
        "admin.edit_routing_rule",
        as_admin(press(a_rule_page, "Save rule", {"#name": ""})),
        shows_errors=True,
    ),
    PageState("admin routing rule deleted", "admin.delete_routing_rule", as_admin(press(a_rule_page, "Delete rule"))),
    PageState("partner confirm address", "partner.confirm_address", confirm_link),
    PageState("partner address confirmed", "partner.confirm_address", confirmed),
    PageState("partner confirm address link expired", "partner.confirm_address", expired_link, status=410),
    PageState(
        "partner confirm address link tampered",
        "partner.confirm_address",
        lambda page: page.goto("/partner/confirm/not-a-real-token"),
        status=404,
    ),
]
