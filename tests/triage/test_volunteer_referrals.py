"""Volunteer applications in the queue and on the referral page: scheme filter, search, outcome."""

import re

from portal.extensions import db as _db
from portal.models import EventType, Referral
from tests.conftest import make_referral, submit_form
from tests.triage.test_queue import count_in_tab
from tests.volunteering import scheme_named, send_application, sign_up_answers


def references(page: str) -> list[str]:
    return re.findall(r'href="/staff/referrals/((?:HC|VOL)-[A-Z0-9]{6})"', page)


def applied(app, scheme: str, answers: dict | None = None) -> Referral:
    resident = app.test_client()
    send_application(resident, scheme, answers)
    return _db.session.execute(_db.select(Referral).order_by(Referral.id.desc())).scalars().first()


def test_applications_are_in_the_queue_with_their_scheme(app, signed_in, demo_config):
    report = make_referral()
    application = applied(app, "police-support-volunteers")
    page = signed_in.get("/staff/queue").get_data(as_text=True)
    assert set(references(page)) == {report.reference, application.reference}
    assert "Police Support Volunteers" in page
    scheme = scheme_named("police-support-volunteers")
    by_scheme = signed_in.get(f"/staff/queue?scheme={scheme.id}").get_data(as_text=True)
    assert references(by_scheme) == [application.reference]
    assert references(signed_in.get("/staff/queue?kind=volunteer").get_data(as_text=True)) == [application.reference]
    assert references(signed_in.get("/staff/queue?q=okafor").get_data(as_text=True)) == [application.reference]


def test_officer_sees_the_application_and_records_its_outcome(app, signed_in, demo_config):
    application = applied(app, "police-support-volunteers")
    url = f"/staff/referrals/{application.reference}"
    page = signed_in.get(url).get_data(as_text=True)
    assert "Amara Okafor" in page and "Police Support Volunteers" in page
    response = submit_form(
        signed_in, url, {"outcome-outcome": "accepted"}, action=f"{url}/outcome", follow_redirects=True
    )
    assert "Outcome saved" in response.get_data(as_text=True)
    _db.session.expire_all()
    referral = _db.session.get(Referral, application.id)
    assert referral.volunteer_application.outcome == "accepted"
    assert EventType.OUTCOME_SET in [event.type for event in referral.events]
    bad = submit_form(signed_in, url, {"outcome-outcome": "promoted"}, action=f"{url}/outcome")
    assert "Select one of the options" in bad.get_data(as_text=True)


def test_the_area_filter_finds_reports_and_applications_from_the_area(app, signed_in, demo_config):
    """The area a resident chose is copied onto the referral when they send the report or sign-up, and the queue
    filters on that copy."""
    from portal.models import Area

    area, other = _db.session.execute(_db.select(Area).order_by(Area.name).limit(2)).scalars().all()
    report = make_referral(address={"location": "x", "area_choice": str(area.id)})
    elsewhere = make_referral(address={"location": "y", "area_choice": str(other.id)})
    address = {"postcode": "PE1 1HF", "area_choice": str(area.id)}
    application = applied(app, "police-support-volunteers", sign_up_answers(address=address))
    nowhere = make_referral()  # no area
    assert (report.area_id, elsewhere.area_id, application.area_id, nowhere.area_id) == (
        area.id,
        other.id,
        area.id,
        None,
    )
    page = signed_in.get(f"/staff/queue?area={area.id}").get_data(as_text=True)
    assert set(references(page)) == {report.reference, application.reference}
    assert count_in_tab(page, "New") == 2
