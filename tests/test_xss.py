"""Cross-site scripting: a report and a volunteer application sent with attack payloads in every free-text
field, then every place staff and partners see them: the referral page, the queue, the partner's page, the
partner's email and the CSV export. Everything is shown as text: escaped, never a tag, a link or a template."""

import csv
import io
import re

import pytest

from portal.extensions import db as _db
from portal.models import Referral, ReferralKind
from portal.routing.emails import Purpose, route_email
from portal.routing.links import route_token
from portal.routing.service import route_referral
from tests.conftest import journey_answers, send_report
from tests.partner import HUB, partner_named
from tests.volunteering import send_application, sign_up_answers

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
LINK = "javascript:alert(1)"
TEMPLATE = "{{7*7}}"
PAYLOADS = [SCRIPT, ATTRIBUTE, LINK, TEMPLATE]
ALL = " ".join(PAYLOADS)  # for the longer fields: every payload at once


def cycle(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]


REPORT = journey_answers(
    who={"reporter_role": "organisation", "organisation_name": cycle(0)},
    hostility={"strands": ["religion", "other"], "strand_other": cycle(1)},
    what_happened={"incident_types": ["verbal"], "description": ALL},
    address={"location": ALL, "area_choice": ""},
    online={"online_platform": cycle(2)},
    harm={"anyone_hurt": "yes", "hurt_details": ALL, "property_damaged": "yes", "damage_details": ALL},
    people={"perpetrator_description": ALL, "vehicle": cycle(3)},
    witnesses={"witnesses": "yes", "witness_details": ALL},
    police={"reported_to_police": "yes", "crime_reference": cycle(1)},
    about_them={"victim_name": cycle(0)},
    contact={
        "wants_contact": "yes",
        "contact_name": cycle(1),
        "contact_email": "resident@example.org",
        "contact_phone": "01632 960 001",
        "safe_times": cycle(2),
        "interpreter_language": cycle(3),
        "access_needs": ALL,
    },
)

APPLICATION = sign_up_answers(
    name={"full_name": cycle(1)},
    about_you={"languages_spoken": ALL},
)


def assert_inert(text: str, where: str) -> None:
    """No payload survives as markup: no script element, no injected attribute, no javascript: URL, and the
    template expression is shown as typed, not evaluated."""
    assert SCRIPT not in text, f"{where}: a <script> element from an answer"
    assert not re.search(r"<img[^>]*onerror", text), f"{where}: an injected <img onerror>"
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", text, re.I), f"{where}: a javascript: URL"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text or "&lt;script&gt;" in text, f"{where}: payload not shown"
    assert TEMPLATE in text, f"{where}: the template expression was not shown as typed"


@pytest.fixture
def report(client, demo_config) -> Referral:
    response = send_report(client, REPORT)
    assert response.status_code == 302
    return _db.session.execute(_db.select(Referral).filter_by(kind=ReferralKind.HATE_INCIDENT)).scalar_one()


@pytest.fixture
def application(demo_config, app) -> Referral:
    client = app.test_client()
    assert send_application(client, "good-neighbour-scheme", APPLICATION).status_code == 302
    return _db.session.execute(_db.select(Referral).filter_by(kind=ReferralKind.VOLUNTEER)).scalar_one()


def test_staff_pages_show_the_answers_as_text(report, application, admin_client):
    for referral in (report, application):
        page = admin_client.get(f"/staff/referrals/{referral.reference}")
        assert page.status_code == 200
        assert_inert(page.get_data(as_text=True), f"referral page {referral.kind}")
    queue = admin_client.get("/staff/queue?tab=all").get_data(as_text=True)
    assert SCRIPT not in queue and not re.search(r"<img[^>]*onerror", queue)


@pytest.mark.parametrize("secure_email", [True, False])
def test_the_partners_page_and_email_show_the_answers_as_text(report, officer, client, secure_email):
    hub = partner_named(HUB)
    hub.secure_email = secure_email
    route = route_referral(report, hub, officer)
    _db.session.commit()
    page = client.get(f"/partner/r/{route_token(route)}")
    assert page.status_code == 200
    assert_inert(page.get_data(as_text=True), "partner page")
    email = route_email(route, Purpose.NEW)
    if secure_email:  # the answers go in the email itself
        assert_inert(email["body_html"], "partner email")
    else:
        assert SCRIPT not in email["body_html"] and TEMPLATE not in email["body_html"]
    assert TEMPLATE not in email["subject"] or "49" not in email["subject"]


def test_the_csv_export_holds_the_answers_as_plain_cells(report, application, admin_client):
    page = admin_client.get("/staff/queue").get_data(as_text=True)
    token = re.search(r'action="/staff/queue/export".*?name="csrf_token"[^>]*value="([^"]+)"', page, re.S).group(1)
    response = admin_client.post("/staff/queue/export", data={"csrf_token": token, "tab": "all"})
    assert response.mimetype == "text/csv"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    cells = [cell for row in rows[1:] for cell in row]
    # A spreadsheet runs a cell that starts with one of these as a formula.
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "-", "@"}], "a cell a spreadsheet would run"
    assert not any("49" == cell for cell in cells)
