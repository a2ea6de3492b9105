"""The walking skeleton: a resident's report reaches a partner's inbox, through the real stack."""

from email import message_from_bytes, policy

from portal.extensions import db as _db
from portal.models import Partner, Referral
from tests.conftest import send_report, sign_in, submit_form


def test_report_to_partner_inbox(app, client, demo_config, officer, smtp_server):
    # A resident reports.
    response = send_report(client)
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    reference = _db.session.execute(_db.select(Referral.reference)).scalar_one()
    assert reference in confirmation

    # An officer signs in, finds it in the queue and routes it.
    staff = app.test_client()
    assert sign_in(staff).status_code == 302
    assert reference in staff.get("/staff/queue").get_data(as_text=True)
    hub = _db.session.execute(_db.select(Partner).filter_by(slug="victim-witness-hub")).scalar_one()
    page = f"/staff/referrals/{reference}"
    routed = submit_form(staff, page, {"route-partners": str(hub.id)}, action=f"{page}/route")
    assert routed.status_code == 302
    assert "Victim and Witness Hub" in staff.get(page).get_data(as_text=True)

    # The worker sends it.
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 failed" in result.output

    [envelope] = smtp_server.handler.messages
    assert envelope.rcpt_tos == ["victim-hub@example.org"]
    email = message_from_bytes(envelope.content, policy=policy.default)
    assert reference in email["Subject"]
    assert reference in email.get_body(("plain",)).get_content()
