"""Subject rights requests: find a person by email, phone or reference; show and download everything held;
erase it with a reason; every step in the audit trail; hostile input gets a GOV.UK error."""

import json

import pytest
from sqlalchemy import select

from portal.admin.subject_service import normalise_phone, parse_identifier
from portal.extensions import db as _db
from portal.models import AuditEvent, EventType, Referral
from portal.triage.service import add_note, update_reporter
from tests.conftest import csrf_token, make_referral, submit_form
from tests.retention import make_application

REQUESTS = "/staff/admin/subject-requests"


@pytest.fixture
def person(demo_config, officer):
    """Zofia reported an incident and applied to volunteer, as her daughter's carer too."""
    report = make_referral(
        what_happened={"incident_types": ["verbal"], "description": "Shouted at near the Queensgate entrance"},
        contact={
            "wants_contact": "yes",
            "contact_name": "Zofia Nowak",
            "contact_email": "Zofia.Nowak@example.org",
            "contact_phone": "07700 900123",
            "preferred_contact": "email",
        },
    )
    add_note(report, officer, "Called Zofia back")
    update_reporter(report, officer, "We have passed your report on")
    application = make_application(email="zofia.nowak@example.org", phone="+44 7700 900 123")
    carer = make_application(email="someone.else@example.org", carer_email="zofia.nowak@example.org")
    other = make_referral()
    _db.session.commit()
    return {"report": report, "application": application, "carer": carer, "other": other}


def search(client, identifier):
    return submit_form(client, REQUESTS, {"identifier": identifier})


def audits(action):
    return _db.session.execute(select(AuditEvent).filter_by(action=action)).scalars().all()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07700 900123", "07700900123"),
        ("+44 (0)7700-900123", "07700900123"),
        ("+447700900123", "07700900123"),
        ("0044 7700 900123", "07700900123"),
        ("+1 202 555 0100", "+12025550100"),
        ("12", None),
        ("phone", None),
    ],
)
def test_phone_numbers_are_normalised(typed, expected):
    assert normalise_phone(typed) == expected


@pytest.mark.parametrize(
    "typed", ["zofia.nowak@example.org", "ZOFIA.NOWAK@EXAMPLE.ORG", "07700900123", "+44 7700 900123"]
)
def test_finds_the_person_by_email_or_phone(admin_client, person, typed):
    page = search(admin_client, typed).get_data(as_text=True)
    assert person["report"].reference in page
    assert person["application"].reference in page
    assert person["other"].reference not in page
    if "@" in typed:
        assert person["carer"].reference in page
        assert "Parent or carer’s email address" in page
        assert "An update on your report" in page  # the email sent to her


def test_finds_by_reference(admin_client, person):
    page = search(admin_client, person["report"].reference.lower()).get_data(as_text=True)
    assert person["report"].reference in page and person["application"].reference not in page


def test_searches_are_audited_without_the_identifier(admin_client, admin, person):
    search(admin_client, "zofia.nowak@example.org")
    [audit] = audits("subject_searched")
    assert audit.actor_id == admin.id
    assert audit.detail["by"] == "email" and audit.detail["searched_for"] == "z***@example.org"
    assert set(audit.detail["matches"]) == {person[k].reference for k in ("report", "application", "carer")}
    assert "zofia.nowak" not in json.dumps(audit.detail)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter an email address, a phone number or a reference"),
        ("x" * 300, "characters or fewer"),
        ("not an email@", "Enter an email address in the correct format"),
        ("<script>alert(1)</script>", "Enter an email address, a phone number like"),
        ("' OR 1=1 --", "Enter an email address, a phone number like"),
        ("\u202e07700900123", "Enter an email address, a phone number like"),
    ],
)
def test_hostile_or_malformed_input_gets_an_error_summary(admin_client, person, typed, message):
    response = search(admin_client, typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert "<script>alert" not in page
    assert audits("subject_searched") == []


def test_the_readable_page_and_the_json_have_everything(admin_client, person):
    reference = person["report"].reference
    page = admin_client.get(f"{REQUESTS}/{reference}").get_data(as_text=True)
    for text in ("Shouted at near the Queensgate entrance", "Zofia Nowak", "Called Zofia back", "We have passed"):
        assert text in page
    token = csrf_token(page)
    response = admin_client.post(f"{REQUESTS}/{reference}/export", data={"csrf_token": token})
    assert response.mimetype == "application/json"
    assert reference in response.headers["Content-Disposition"]
    record = response.get_json()["referral"]
    assert record["report"]["description"] == "Shouted at near the Queensgate entrance"
    assert record["report"]["contact_phone"] == "07700 900123"
    assert [event["what"] for event in record["history"]] == ["created", "note", "reporter_updated"]
    assert record["history"][1]["detail"]["text"] == "Called Zofia back"
    assert any("We have passed your report on" in email["body_text"] for email in record["emails"])
    assert [a.detail["reference"] for a in audits("subject_viewed")] == [reference]
    assert [a.detail["reference"] for a in audits("subject_exported")] == [reference]


def test_volunteer_record_names_the_scheme(admin_client, person):
    token = csrf_token(admin_client.get(f"{REQUESTS}/{person['carer'].reference}").get_data(as_text=True))
    record = admin_client.post(f"{REQUESTS}/{person['carer'].reference}/export", data={"csrf_token": token}).get_json()
    assert record["referral"]["volunteer_application"]["carer_email"] == "zofia.nowak@example.org"
    assert record["referral"]["volunteer_application"]["scheme"]


def test_erasure_needs_a_reason_then_erases_and_is_recorded(admin_client, admin, person):
    reference = person["report"].reference
    erase = f"{REQUESTS}/{reference}/erase"
    empty = submit_form(admin_client, erase, {"reason": ""})
    assert "Enter why you are erasing this data" in empty.get_data(as_text=True)
    assert "Error:" in empty.get_data(as_text=True)
    response = submit_form(admin_client, erase, {"reason": "Erasure request by email, 2 March"})
    assert response.status_code == 302
    _db.session.expire_all()
    referral = _db.session.execute(select(Referral).filter_by(reference=reference)).scalar_one()
    assert referral.purged_at is not None and referral.hate_incident is None
    purged = referral.events[-1]
    assert purged.type == EventType.PURGED and purged.actor_id == admin.id
    assert purged.detail["reason"] == "Erasure request by email, 2 March"
    [audit] = audits("referral_erased")
    assert audit.detail["reference"] == reference and audit.actor_id == admin.id
    page = admin_client.get(f"{REQUESTS}/{reference}").get_data(as_text=True)
    assert "was erased on" in page and "Queensgate" not in page
    # The email search no longer finds the report; the other records are untouched.
    found = search(admin_client, "zofia.nowak@example.org").get_data(as_text=True)
    assert reference not in found and person["application"].reference in found
    again = admin_client.get(erase)
    assert again.status_code == 302


def test_erasure_is_a_post_with_a_token(admin_client, person):
    reference = person["report"].reference
    response = admin_client.post(f"{REQUESTS}/{reference}/erase", data={"reason": "no token"})
    assert response.status_code == 400  # refused before the page runs (CSRF protection is global)
    assert _db.session.execute(select(Referral).filter_by(reference=reference)).scalar_one().purged_at is None


def test_unknown_or_malformed_references_are_404(admin_client, person):
    for reference in ("HC-AAAAAA", "not-a-reference", "HC-" + "A" * 200):
        assert admin_client.get(f"{REQUESTS}/{reference}").status_code == 404


def test_triage_officers_are_refused(signed_in, person):
    assert signed_in.get(REQUESTS).status_code == 403
    assert signed_in.get(f"{REQUESTS}/{person['report'].reference}").status_code == 403


def test_parse_identifier_kinds():
    assert parse_identifier(" hc-7k3qx9 ").kind == "reference"
    assert parse_identifier("A@Example.org").value == "a@example.org"
    assert parse_identifier("07700 900123").masked == "********123"
