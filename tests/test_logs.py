"""Logs carry no personal data: every log record of a whole journey (a resident's report, an officer opening and
routing it, the outbox sending it, the partner opening and acknowledging it), at DEBUG for every logger, is
searched for the answers the resident gave."""

import logging

import pytest

from portal.extensions import db as _db
from portal.models import Referral
from portal.routing.outbox import deliver_due_messages
from portal.routing.service import route_referral
from tests.conftest import journey_answers, send_report, sign_in, submit_form
from tests.partner import HUB, caught_emails, link_in, partner_named

ANSWERS = {
    "description": "Zebediah Quarrington shouted at me outside the launderette on Tuesday.",
    "location": "Flat 7, 12 Marigold Crescent",
    "victim_name": "Philippa Drummond-Oyelaran",
    "contact_name": "Ottoline Vasquez-Brennan",
    "contact_email": "ottoline.vb@example.org",
    "contact_phone": "01632 960 457",
    "perpetrator_description": "Tall man in a mustard anorak called Crispin",
    "access_needs": "I use British Sign Language",
}
REPORT = journey_answers(
    who={"reporter_role": "on_behalf"},
    what_happened={"incident_types": ["verbal"], "description": ANSWERS["description"]},
    address={"location": ANSWERS["location"], "area_choice": ""},
    people={"perpetrator_description": ANSWERS["perpetrator_description"]},
    about_them={"victim_name": ANSWERS["victim_name"]},
    contact={
        "wants_contact": "yes",
        "contact_name": ANSWERS["contact_name"],
        "contact_email": ANSWERS["contact_email"],
        "contact_phone": ANSWERS["contact_phone"],
        "access_needs": ANSWERS["access_needs"],
    },
)
# The test's own SMTP server (aiosmtpd) stands in for the partner's mail server, which sees the email anyway.
NOT_OURS = ("mail.log",)


@pytest.fixture
def every_log_record(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("werkzeug", "sqlalchemy", "portal", "flask_limiter", "flask_login"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_a_whole_journey_logs_nothing_the_resident_told_us(
    app, client, demo_config, officer, smtp_server, every_log_record
):
    assert send_report(client, REPORT).status_code == 302
    referral = _db.session.execute(_db.select(Referral)).scalar_one()

    staff = app.test_client()
    assert sign_in(staff).status_code == 302
    assert staff.get(f"/staff/referrals/{referral.reference}").status_code == 200
    hub = partner_named(HUB)
    hub.secure_email = True  # the answers themselves go by email
    route_referral(referral, hub, officer)
    _db.session.commit()
    deliver_due_messages()
    [email] = caught_emails(smtp_server)
    link = link_in(email)
    partner = app.test_client()
    assert partner.get(link).status_code == 200
    assert submit_form(partner, link, {}, action=f"{link}/acknowledge").status_code == 302

    records = [record for record in every_log_record.records if not record.name.startswith(NOT_OURS)]
    assert records, "nothing was logged at all: the capture is not working"
    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.exc_text or ''} {record.stack_info or ''}" for record in records
    )
    found = [name for name, value in ANSWERS.items() if value.lower() in logged.lower()]
    assert found == [], f"personal data in the logs: {found}"
    # Nor the parts of an answer that identify someone on their own.
    for fragment in ("Quarrington", "Marigold", "Drummond", "Vasquez", "960 457", "ottoline"):
        assert fragment.lower() not in logged.lower(), fragment
