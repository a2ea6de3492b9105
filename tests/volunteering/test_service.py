"""What staff and partners get: the answers for the referral page, the outcome, and an automatically
routed application that reaches the partner's real SMTP inbox through `outbox run --once`."""

from datetime import date
from email import message_from_bytes, policy

import pytest

from portal.extensions import db as _db
from portal.helpers import format_date
from portal.models import EventType, OutboxMessage, Partner
from portal.volunteering.service import VolunteeringError, application_summary, set_volunteer_outcome
from tests.conftest import make_referral
from tests.volunteering import aged, applications, send_application, sign_up_answers


def test_auto_routed_application_reaches_the_partners_inbox(app, client, demo_config, smtp_server):
    send_application(client, "good-neighbour-scheme")
    [application] = applications()
    reference = application.referral.reference
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    assert "1 sent, 0 failed" in result.output
    [envelope] = smtp_server.handler.messages
    assert envelope.rcpt_tos == ["good-neighbours@example.org"]
    email = message_from_bytes(envelope.content, policy=policy.default)
    assert reference in email["Subject"]
    body = email.get_body(("plain",)).get_content()
    assert "Good Neighbour Scheme" in body and "Amara" not in body and "1990" not in body
    _db.session.expire_all()
    assert EventType.SENT in [event.type for event in application.referral.events]


def test_a_secure_email_partner_gets_the_applicants_answers(app, client, demo_config, smtp_server):
    partner = _db.session.execute(_db.select(Partner).filter_by(slug="good-neighbour-scheme")).scalar_one()
    partner.secure_email = True
    _db.session.commit()
    send_application(client, "good-neighbour-scheme")
    message = _db.session.execute(_db.select(OutboxMessage)).scalar_one()
    assert "Amara Okafor" in message.body_text and "amara@example.org" in message.body_text
    assert "Tuesday; Saturday" in message.body_text


def test_application_summary_groups_the_answers_for_staff(client, demo_config):
    dob = aged(15)
    answers = sign_up_answers(date_of_birth=dob)
    send_application(client, "volunteer-police-cadets", answers)
    [application] = applications()
    sections = dict(application_summary(application.referral))
    assert list(sections) == [
        "Scheme",
        "About you",
        "Your parent or carer",
        "Availability and interests",
        "Sharing your application",
    ]
    rows = {row.key: str(row.value) for rows in sections.values() for row in rows}
    assert rows["Scheme"] == "Volunteer Police Cadets"
    assert (rows["What is your full name?"], rows["What is your date of birth?"]) == (
        "Amara Okafor",
        format_date(date(*reversed([int(part) for part in dob["date_of_birth"]]))),
    )
    assert rows["Their full name"] == "Grace Okafor" and rows["Postcode"] == "PE1 1HF"
    assert rows["Which days could you volunteer?"] == "Tuesday<br>Saturday"


def test_application_summary_of_a_hate_incident_is_empty(demo_config):
    assert application_summary(make_referral()) == []


def test_set_volunteer_outcome_records_who_and_what(client, demo_config, officer):
    send_application(client, "police-support-volunteers")
    [application] = applications()
    referral = application.referral
    set_volunteer_outcome(referral, "accepted", actor=officer)
    _db.session.commit()
    set_volunteer_outcome(referral, "accepted", actor=officer)  # the same again: nothing new
    set_volunteer_outcome(referral, "withdrawn", actor_label="Police Support Volunteers co-ordinator (partner link)")
    _db.session.commit()
    _db.session.expire_all()
    assert applications()[0].outcome == "withdrawn"
    events = [event for event in referral.events if event.type == EventType.OUTCOME_SET]
    assert [(event.actor_label, event.detail["outcome"], event.detail["previous"]) for event in events] == [
        ("Olu Officer", "accepted", None),
        ("Police Support Volunteers co-ordinator (partner link)", "withdrawn", "accepted"),
    ]


def test_set_volunteer_outcome_refuses_what_it_cannot_record(client, demo_config):
    send_application(client, "police-support-volunteers")
    [application] = applications()
    with pytest.raises(VolunteeringError):
        set_volunteer_outcome(application.referral, "promoted")
    with pytest.raises(VolunteeringError):
        set_volunteer_outcome(make_referral(), "accepted")


def test_staff_still_see_what_was_stored_after_the_scheme_or_areas_change(client, demo_config):
    from portal.models import Area

    area = _db.session.execute(_db.select(Area).filter_by(name="Walton")).scalar_one()
    answers = sign_up_answers(date_of_birth=aged(15), address={"postcode": "PE4 6AA", "area_choice": str(area.id)})
    send_application(client, "volunteer-police-cadets", answers)
    [application] = applications()
    application.scheme.carer_consent_under_18 = False  # an admin changes the scheme afterwards
    area.active = False  # and retires the area
    _db.session.commit()
    rows = {
        row.key: str(row.value) for rows in dict(application_summary(application.referral)).values() for row in rows
    }
    assert rows["Their full name"] == "Grace Okafor"
    assert "Walton" in rows.values()
