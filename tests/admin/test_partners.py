"""Admin pages for partners: who may use them, adding and changing a partner, its addresses (added, sent a
link, sent it again, removed), the audit trail, and the checks on what admins type."""

import re
from email import message_from_bytes

import pytest

from portal.extensions import db as _db
from portal.models import AuditEvent, OutboxMessage, Partner, PartnerAddress
from portal.routing.outbox import deliver_due_messages
from tests.conftest import csrf_headers, submit_form

LIST = "/staff/admin/partners"
NEW = "/staff/admin/partners/new"


def partner(slug: str) -> Partner:
    _db.session.expire_all()
    return _db.session.execute(_db.select(Partner).filter_by(slug=slug)).scalar_one()


def valid_partner(**changes) -> dict:
    return {
        "name": "Peterborough Mediation",
        "description": "Neighbour disputes and community mediation.",
        "partner_type": "council_housing",
        "active": "y",
        "ack_sla_hours": "24",
        **changes,
    }


def count(model) -> int:
    return _db.session.execute(_db.select(_db.func.count(model.id))).scalar_one()


def audit_actions() -> list[str]:
    return list(
        _db.session.execute(
            _db.select(AuditEvent.action).where(AuditEvent.action != "sign_in").order_by(AuditEvent.id)
        ).scalars()
    )


def test_triage_officers_get_403(signed_in, demo_config):
    hub = partner("victim-witness-hub")
    for path in (LIST, NEW, f"{LIST}/{hub.id}", f"{LIST}/{hub.id}/addresses/new"):
        assert signed_in.get(path).status_code == 403
    address = hub.addresses[0]
    for action in ("send-again", "remove"):
        url = f"{LIST}/{hub.id}/addresses/{address.id}/{action}"
        assert signed_in.post(url, headers=csrf_headers(signed_in)).status_code == 403
    assert len(partner("victim-witness-hub").addresses) == 1


def test_admin_sees_every_partner_and_whether_it_can_receive(admin_client, demo_config):
    hub = partner("victim-witness-hub")
    hub.addresses[0].confirmed_at = None
    _db.session.commit()
    page = admin_client.get(LIST).get_data(as_text=True)
    for text in ("Cambridgeshire Constabulary hate crime team", "Police", "Victim support", "Confirmed"):
        assert text in page
    assert page.count("No confirmed address – items are held") == 1
    assert f'href="{LIST}"' in admin_client.get("/staff/admin/schemes").get_data(as_text=True)


def test_admin_adds_a_partner_with_a_slug_from_its_name(admin_client, demo_config):
    response = submit_form(admin_client, NEW, valid_partner())
    added = partner("peterborough-mediation")
    assert response.status_code == 302 and response.headers["Location"] == f"{LIST}/{added.id}"
    assert (added.partner_type, added.secure_email, added.active, added.ack_sla_hours) == (
        "council_housing",
        False,
        True,
        24,
    )
    assert not added.is_confirmed
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Peterborough Mediation has been added" in page and "There are no addresses yet" in page
    # Another partner whose name makes the same slug gets its own.
    submit_form(admin_client, NEW, valid_partner(name="Peterborough  mediation!", ack_sla_hours=""))
    second = partner("peterborough-mediation-2")
    assert second.ack_sla_hours is None
    assert audit_actions() == ["partner_added", "partner_added"]


def test_the_kind_of_partner_says_which_consent_it_needs(admin_client, demo_config):
    page = admin_client.get(NEW).get_data(as_text=True)
    assert "only if the reporter agreed to tell the police" in page
    assert "only if the reporter asked for victim support" in page
    assert "police .pnn or a CJSM address" in page


def test_admin_changes_a_partner_and_it_is_audited(admin_client, demo_config, admin):
    hub = partner("victim-witness-hub")
    edit = f"{LIST}/{hub.id}"
    page = admin_client.get(edit).get_data(as_text=True)
    assert 'value="Victim and Witness Hub"' in page and "victim-hub@example.org" in page
    data = valid_partner(name="Victim and Witness Hub", partner_type="victim_support", secure_email="y", active="")
    assert submit_form(admin_client, edit, data).headers["Location"] == LIST
    changed = partner("victim-witness-hub")
    assert (changed.secure_email, changed.active, changed.ack_sla_hours) == (True, False, 24)
    event = _db.session.execute(_db.select(AuditEvent).where(AuditEvent.action != "sign_in")).scalar_one()
    assert event.action == "partner_changed" and event.actor_id == admin.id
    assert event.detail["changes"]["active"] == [True, False]
    assert "Victim and Witness Hub" in admin_client.get(LIST).get_data(as_text=True)


ERRORS = [
    ({"name": "", "partner_type": ""}, ["Enter the name of the partner", "Select what kind of partner it is"]),
    ({"partner_type": "bank"}, ["Select what kind of partner it is"]),
    ({"ack_sla_hours": "0"}, ["Time to acknowledge must be a whole number from 1 to 720"]),
    ({"ack_sla_hours": "721"}, ["Time to acknowledge must be a whole number from 1 to 720"]),
    ({"ack_sla_hours": "two days"}, ["Time to acknowledge must be a whole number from 1 to 720"]),
    ({"ack_sla_hours": "1" * 10_000}, ["Time to acknowledge must be a whole number from 1 to 720"]),
    ({"ack_sla_hours": "١٦"}, ["Time to acknowledge must be a whole number from 1 to 720"]),
    ({"name": "x" * 10_000, "description": "y" * 10_000}, ["Name must be 200", "What it does must be 500"]),
    ({"name": "Victim and Witness Hub"}, ["There is already a partner called Victim and Witness Hub"]),
    ({"name": "<script>alert(1)</script>" * 20}, ["Name must be 200 characters or fewer"]),
    ({"name": "\x00", "description": "<script>alert(1)</script>\x00", "partner_type": ""}, ["Enter the name"]),
]


@pytest.mark.parametrize(("changes", "messages"), ERRORS)
def test_invalid_answers_get_clear_errors_and_are_kept(admin_client, demo_config, changes, messages):
    before = count(Partner)
    response = submit_form(admin_client, NEW, valid_partner(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    for message in messages:
        assert message in page
    assert "<script>alert(1)</script>" not in page
    if "description" not in changes:
        assert "Neighbour disputes and community mediation." in page  # the answers are kept
    assert count(Partner) == before and audit_actions() == []


def test_a_partner_that_does_not_exist_is_not_found(admin_client, demo_config):
    for path in (f"{LIST}/99999", f"{LIST}/99999/addresses/new"):
        assert admin_client.get(path).status_code == 404


# --- Addresses ---


def add_address(client, partner_id: int, email: str):
    return submit_form(client, f"{LIST}/{partner_id}/addresses/new", {"email": email})


def test_adding_an_address_emails_a_confirmation_link(admin_client, demo_config, smtp_server):
    hub = partner("victim-witness-hub")
    response = add_address(admin_client, hub.id, "support.team@example.org")
    assert response.status_code == 302 and response.headers["Location"] == f"{LIST}/{hub.id}"
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We have emailed a link to support.team@example.org" in page
    assert "Waiting for confirmation" in page and "Send the confirmation email again" in page
    added = _db.session.execute(_db.select(PartnerAddress).filter_by(email="support.team@example.org")).scalar_one()
    assert added.confirmed_at is None and added.confirmation_sent_at is not None
    assert partner("victim-witness-hub").confirmed_addresses == ["victim-hub@example.org"]  # not used yet

    assert deliver_due_messages() == (1, 0)
    [envelope] = smtp_server.handler.messages
    assert envelope.rcpt_tos == ["support.team@example.org"]
    email = message_from_bytes(envelope.content)
    text = next(part for part in email.walk() if part.get_content_type() == "text/plain").get_payload(decode=True)
    text = text.decode()
    assert "Victim and Witness Hub" in text and "Safer Peterborough Partnership" in text
    assert "special category data" in text and "7 days" in text
    assert re.search(r"http://\S+/partner/confirm/\S+", text)
    assert audit_actions() == ["address_added"]


def test_a_duplicate_or_malformed_address_is_refused_and_kept(admin_client, demo_config):
    hub = partner("victim-witness-hub")
    cases = [
        ("VICTIM-HUB@example.org", "already has the address VICTIM-HUB@example.org"),
        ("", "Enter the email address"),
        ("not an address", "Enter an email address in the correct format"),
        ("a@b", "Enter an email address in the correct format"),
        ("x" * 10_000 + "@example.org", "Email address must be 254 characters or fewer"),
        ("<script>alert(1)</script>@example.org", "Enter an email address in the correct format"),
        ("nul\x00@example.org\x00", None),
    ]
    for email, message in cases:
        response = add_address(admin_client, hub.id, email)
        page = response.get_data(as_text=True)
        if message is None:  # the NUL is dropped, and what is left is a good address
            assert response.status_code == 302
            continue
        assert response.status_code == 200 and "There is a problem" in page and message in page, email
        assert "<script>alert(1)</script>" not in page
        if email and len(email) < 100 and "<" not in email:
            assert f'value="{email}"' in page
    emails = [address.email for address in partner("victim-witness-hub").addresses]
    assert emails == ["victim-hub@example.org", "nul@example.org"]
    assert count(OutboxMessage) == 1


def test_send_again_and_remove(admin_client, demo_config, admin):
    hub = partner("victim-witness-hub")
    add_address(admin_client, hub.id, "support.team@example.org")
    added = partner("victim-witness-hub").addresses[1]
    page_url = f"{LIST}/{hub.id}"
    response = submit_form(admin_client, page_url, {}, action=f"{page_url}/addresses/{added.id}/send-again")
    assert response.headers["Location"] == page_url
    assert "We have emailed a new link" in admin_client.get(page_url).get_data(as_text=True)
    assert count(OutboxMessage) == 2

    # Without the page's CSRF token nothing happens.
    assert admin_client.post(f"{page_url}/addresses/{added.id}/remove").status_code == 400
    assert len(partner("victim-witness-hub").addresses) == 2

    response = submit_form(admin_client, page_url, {}, action=f"{page_url}/addresses/{added.id}/remove")
    assert response.headers["Location"] == page_url
    assert "support.team@example.org has been removed." in admin_client.get(page_url).get_data(as_text=True)
    original = partner("victim-witness-hub").addresses[0]
    response = submit_form(admin_client, page_url, {}, action=f"{page_url}/addresses/{original.id}/remove")
    page = admin_client.get(page_url).get_data(as_text=True)
    assert "has no confirmed address now" in page and "No address is confirmed yet" in page
    assert not partner("victim-witness-hub").addresses
    assert audit_actions() == ["address_added", "address_confirmation_sent", "address_removed", "address_removed"]
    assert {
        event.actor_id
        for event in _db.session.execute(_db.select(AuditEvent).where(AuditEvent.action != "sign_in")).scalars()
    } == {admin.id}


def test_a_confirmed_address_is_not_sent_the_link_again(admin_client, demo_config):
    hub = partner("victim-witness-hub")
    address = hub.addresses[0]
    page_url = f"{LIST}/{hub.id}"
    assert "Send the confirmation email again" not in admin_client.get(page_url).get_data(as_text=True)
    submit_form(admin_client, page_url, {}, action=f"{page_url}/addresses/{address.id}/send-again")
    assert "is already confirmed" in admin_client.get(page_url).get_data(as_text=True)
    assert count(OutboxMessage) == 0


def test_an_address_of_another_partner_is_not_found(admin_client, demo_config):
    hub, police = partner("victim-witness-hub"), partner("police-hate-crime")
    url = f"{LIST}/{hub.id}/addresses/{police.addresses[0].id}/remove"
    assert submit_form(admin_client, f"{LIST}/{hub.id}", {}, action=url).status_code == 404
    assert len(partner("police-hate-crime").addresses) == 1
