"""Page states of the partner's secure link (/partner/r/<token>), for the browser checks. Merged into
PAGE_STATES by pages.py (imported at its bottom, as pages_admin is). The partner is never signed in."""

from portal.extensions import db
from portal.models import Partner, Route
from portal.routing.service import route_referral
from portal.triage.service import close_referral
from tests.browser.pages import PageState, _post
from tests.conftest import make_referral
from tests.partner import expired_link, live_link
from tests.volunteering import SIGN_UP, VOLUNTEER

HUB = "victim-witness-hub"


def a_route(slug: str = HUB) -> Route:
    """A hate-incident report routed to the Victim and Witness Hub (the reporter asked for support)."""
    partner = db.session.execute(db.select(Partner).filter_by(slug=slug)).scalar_one()
    route = route_referral(make_referral(), partner, None)
    db.session.commit()
    return route


def an_application_route(page) -> Route:
    """A volunteer application sent through the sign-up; the Good Neighbour Scheme routes it itself."""
    scheme = f"{VOLUNTEER}/good-neighbour-scheme"
    page.request.get(f"{scheme}/start")
    location = f"{scheme}/name"
    while not location.endswith("/confirmation"):
        response = _post(page, location, SIGN_UP.get(location.rsplit("/", 1)[1], {}))
        assert response.status == 302, f"{location} answered {response.status}"
        location = response.headers["location"]
    db.session.expire_all()
    return db.session.execute(db.select(Route).order_by(Route.id.desc())).scalars().first()


def click(page, selector: str):
    with page.expect_navigation() as navigation:
        page.click(selector)
    return navigation.value


def on_the_link(action: str, fields: dict | None = None, route=None):
    """Open a partner link, fill in some fields, and press the button of one of its forms."""

    def reach(page):
        link = live_link(route(page) if route else a_route())
        page.goto(link)
        for selector, value in (fields or {}).items():
            if selector.startswith("radio:"):
                page.check(selector.removeprefix("radio:"))
            else:
                page.fill(selector, value)
        return click(page, f"form[action$='/{action}'] button[type=submit]")

    return reach


def referral_link(page):
    return page.goto(live_link(a_route()))


def application_link(page):
    return page.goto(live_link(an_application_route(page)))


def tampered_link(page):
    return page.goto(live_link(a_route())[:-3] + "abc")


def expired(page):
    return page.goto(expired_link(a_route()))


def new_link_sent(page):
    page.goto(expired_link(a_route()))
    return click(page, "form[action$='/new-link'] button[type=submit]")


def no_longer_a_partner(page):
    route = a_route()
    route.partner.active = False
    db.session.commit()
    try:
        return page.goto(live_link(route))
    finally:
        route.partner.active = True
        db.session.commit()


def closed_referral(page):
    route = a_route()
    referral = route.referral
    close_referral(referral, referral.version, None, "no_further_action", "The reporter asked us to stop")
    db.session.commit()
    return page.goto(live_link(route))


PARTNER_STATES = [
    PageState("partner: referral", "partner.referral", referral_link),
    PageState("partner: volunteer application", "partner.referral", application_link),
    PageState("partner: link not found", "partner.referral", tampered_link, status=404),
    PageState("partner: link expired", "partner.referral", expired),
    PageState("partner: no longer a partner", "partner.referral", no_longer_a_partner),
    PageState("partner: referral closed", "partner.referral", closed_referral),
    PageState("partner: new link sent", "partner.new_link", new_link_sent),
    PageState("partner: acknowledged", "partner.acknowledge", on_the_link("acknowledge")),
    PageState("partner: hand back without a reason", "partner.hand_back", on_the_link("hand-back"), shows_errors=True),
    PageState(
        "partner: handed back", "partner.hand_back", on_the_link("hand-back", {"#reason": "Outside the area we cover"})
    ),
    PageState(
        "partner: outcome not chosen",
        "partner.outcome",
        on_the_link("outcome", route=an_application_route),
        shows_errors=True,
    ),
    PageState(
        "partner: outcome saved",
        "partner.outcome",
        on_the_link("outcome", {"radio:#outcome": ""}, route=an_application_route),
    ),
]
