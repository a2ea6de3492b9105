"""Page states of volunteering (the schemes, the sign-up, and the admin scheme pages), for the browser
checks. Merged into PAGE_STATES by pages.py: import this at the bottom of pages.py, after PageState,
visit, submit and _post are defined (as pages_admin is)."""

from collections.abc import Callable

from portal.extensions import db
from portal.models import VolunteerScheme
from tests.browser.pages import PageState, _post, submit, visit
from tests.browser.pages_admin import as_admin, as_triage_officer
from tests.volunteering import SIGN_UP, VOLUNTEER, aged, born, sign_up_answers

CADETS = "volunteer-police-cadets"
ADULTS = "police-support-volunteers"
CADET = sign_up_answers(date_of_birth=aged(15))
SCHEMES = "/staff/admin/schemes"


def sign_up_until(page, scheme: str, slug: str, answers: dict | None = None) -> str:
    """Answer the sign-up, as the site leads, up to the page `slug`; returns that page's path."""
    answers = answers or CADET
    page.request.get(f"{VOLUNTEER}/{scheme}/start")
    location = f"{VOLUNTEER}/{scheme}/name"
    while not location.split("?")[0].endswith(f"/{slug}"):
        response = _post(page, location, answers.get(location.rsplit("/", 1)[1], {}))
        assert response.status == 302, f"{location} answered {response.status}"
        location = response.headers["location"]
    return location


def sign_up_page(slug: str, scheme: str = CADETS, answers: dict | None = None) -> Callable:
    return lambda page: page.goto(sign_up_until(page, scheme, slug, answers))


def sign_up_submit(slug: str, fields=None, checks=(), scheme: str = CADETS, answers: dict | None = None) -> Callable:
    return lambda page: submit(sign_up_until(page, scheme, slug, answers), fields, checks)(page)


def applied_twice(page):
    sign_up_until(page, ADULTS, "check-answers", SIGN_UP)
    _post(page, f"{VOLUNTEER}/{ADULTS}/check-answers", {})
    return sign_up_submit("check-answers", scheme=ADULTS, answers=SIGN_UP)(page)


def confirmation_email_wrong(page):
    sign_up_submit("check-answers", scheme=ADULTS, answers=SIGN_UP)(page)
    page.click("text=Get the reference by email")
    page.fill("#email", "not an email")
    with page.expect_navigation() as navigation:
        page.click("main form button[type=submit]")
    return navigation.value


def closed_scheme(page):
    db.session.execute(db.update(VolunteerScheme).filter_by(slug="good-neighbour-scheme").values(status="closed"))
    db.session.commit()
    return page.goto(f"{VOLUNTEER}/good-neighbour-scheme/")


def a_scheme_page() -> str:
    scheme_id = db.session.execute(db.select(VolunteerScheme.id).filter_by(slug=CADETS)).scalar_one()
    return f"{SCHEMES}/{scheme_id}"


QUESTION_PAGES = ["name", "date-of-birth", "contact", "address", "parent-carer", "availability", "consent"]
OPTIONAL_PAGES = ["about-you", "access-needs", "how-heard"]
TOO_YOUNG = sign_up_answers(date_of_birth=aged(6))
TOO_OLD = sign_up_answers(date_of_birth=born(1, 1, 1990))

VOLUNTEER_STATES = [
    PageState("volunteer: schemes", "volunteering.schemes", visit(f"{VOLUNTEER}/")),
    PageState("volunteer: cadets scheme", "volunteering.scheme", visit(f"{VOLUNTEER}/{CADETS}/")),
    PageState(
        "volunteer: waiting list scheme", "volunteering.scheme", visit(f"{VOLUNTEER}/victim-witness-hub-volunteers/")
    ),
    PageState("volunteer: closed scheme", "volunteering.scheme", closed_scheme),
    PageState("volunteer: signpost-only scheme", "volunteering.scheme", visit(f"{VOLUNTEER}/do-it/")),
    PageState("volunteer: start", "volunteering.start_sign_up", visit(f"{VOLUNTEER}/{CADETS}/start")),
    *[PageState(f"volunteer: {slug}", "volunteering.step", sign_up_page(slug)) for slug in QUESTION_PAGES],
    *[PageState(f"volunteer: {slug}", "volunteering.step", sign_up_page(slug)) for slug in OPTIONAL_PAGES],
    *[
        PageState(f"volunteer: {slug} unanswered", "volunteering.step", sign_up_submit(slug), shows_errors=True)
        for slug in QUESTION_PAGES
    ],
    PageState(
        "volunteer: name too long",
        "volunteering.step",
        sign_up_submit("name", {"#full_name": "<b>x</b>" * 40}),
        shows_errors=True,
    ),
    PageState(
        "volunteer: impossible date of birth",
        "volunteering.step",
        sign_up_submit(
            "date-of-birth",
            {"#date_of_birth-day": "31", "#date_of_birth-month": "2", "#date_of_birth-year": "2011"},
        ),
        shows_errors=True,
    ),
    PageState(
        "volunteer: contact details wrong",
        "volunteering.step",
        sign_up_submit("contact", {"#email": "not-an-email", "#phone": "call me"}),
        shows_errors=True,
    ),
    PageState(
        "volunteer: postcode wrong",
        "volunteering.step",
        sign_up_submit("address", {"#postcode": "PE1"}),
        shows_errors=True,
    ),
    PageState(
        "volunteer: carer without contact details",
        "volunteering.step",
        sign_up_submit(
            "parent-carer", {"#carer_name": "Ana", "#carer_relationship": "Mum"}, checks=("#carer_consent",)
        ),
        shows_errors=True,
    ),
    PageState(
        "volunteer: interests too long",
        "volunteering.step",
        sign_up_submit("about-you", {"#interests": "x" * 2001}),
        shows_errors=True,
    ),
    PageState(
        "volunteer: how heard somewhere else",
        "volunteering.step",
        sign_up_submit("how-heard", {"#how_heard_other": "y" * 201}, checks=("input[name=how_heard][value=other]",)),
        shows_errors=True,
    ),
    PageState("volunteer: too young", "volunteering.not_eligible", sign_up_page("not-eligible", answers=TOO_YOUNG)),
    PageState("volunteer: too old", "volunteering.not_eligible", sign_up_page("not-eligible", answers=TOO_OLD)),
    PageState("volunteer: check answers", "volunteering.check_answers", sign_up_page("check-answers")),
    PageState("volunteer: confirmation", "volunteering.confirmation", sign_up_submit("check-answers")),
    PageState(
        "volunteer: confirmation email wrong",
        "volunteering.confirmation",
        confirmation_email_wrong,
        shows_errors=True,
    ),
    PageState("volunteer: already applied", "volunteering.already_applied", applied_twice),
    PageState("admin volunteer schemes", "admin.volunteer_schemes", as_admin(lambda page: page.goto(SCHEMES))),
    PageState(
        "admin volunteer schemes as a triage officer",
        "admin.volunteer_schemes",
        as_triage_officer(SCHEMES),
        status=403,
    ),
    PageState("admin new scheme", "admin.new_volunteer_scheme", as_admin(lambda page: page.goto(f"{SCHEMES}/new"))),
    PageState(
        "admin new scheme submitted empty",
        "admin.new_volunteer_scheme",
        as_admin(submit(f"{SCHEMES}/new")),
        shows_errors=True,
    ),
    PageState("admin edit scheme", "admin.edit_volunteer_scheme", as_admin(lambda page: page.goto(a_scheme_page()))),
    PageState(
        "admin edit scheme with invalid answers",
        "admin.edit_volunteer_scheme",
        as_admin(submit(a_scheme_page, {"#name": "", "#min_age": "old", "#max_age": "-3", "#external_url": "x"})),
        shows_errors=True,
    ),
    PageState("admin scheme saved", "admin.volunteer_schemes", as_admin(submit(a_scheme_page))),
]

# Every volunteering page has a state here (tests/test_page_registry.py checks the whole site).
assert {state.endpoint for state in VOLUNTEER_STATES} >= {
    "volunteering.schemes",
    "volunteering.scheme",
    "volunteering.start_sign_up",
    "volunteering.step",
    "volunteering.check_answers",
    "volunteering.confirmation",
    "volunteering.not_eligible",
    "volunteering.already_applied",
}
