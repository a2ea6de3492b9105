"""Page states of the insights pages (merged into PAGE_STATES in pages.py): the staff dashboard, its board
report, and the public figures. Each makes a few reports first, so the charts and tables have something in them."""

from portal.extensions import db
from portal.models import Area
from tests.browser.pages import PageState
from tests.browser.pages_admin import as_triage_officer
from tests.conftest import make_referral

DASHBOARD = "/staff/insights"


def with_reports(reach):
    def reach_with_reports(page):
        areas = db.session.execute(db.select(Area.id).order_by(Area.position).limit(2)).scalars().all()
        for strand, area_id in (("race", areas[0]), ("religion", areas[0]), ("race", areas[1])):
            make_referral(
                hostility={"strands": [strand]}, address={"location": "Made-up street", "area_choice": str(area_id)}
            )
        return reach(page)

    return reach_with_reports


INSIGHTS_STATES = [
    PageState("staff insights dashboard", "insights.dashboard", with_reports(as_triage_officer(DASHBOARD))),
    PageState(
        "staff insights dashboard with impossible dates",
        "insights.dashboard",
        as_triage_officer(f"{DASHBOARD}?date_from=31&date_from=2&date_from=2026&date_to=1&date_to=1&date_to=2020"),
        shows_errors=True,
    ),
    PageState(
        "staff insights board report",
        "insights.board_report",
        with_reports(as_triage_officer(f"{DASHBOARD}/board-report")),
    ),
    PageState("public hate incident figures", "insights.figures", with_reports(lambda page: page.goto("/figures"))),
]
