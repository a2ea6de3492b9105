"""A partner's part, in a real browser: the referral arrives by email (through the outbox and a real SMTP
server), the partner opens the link in it, acknowledges, and the triage officer sees it acknowledged."""

from portal.extensions import db
from portal.models import EventType, Referral, ReferralStatus, RouteStatus
from tests.browser.conftest import sign_in_in_browser
from tests.conftest import make_referral
from tests.partner import HUB, caught_emails, link_in, partner_named


def test_a_partner_acknowledges_from_the_link_in_the_email(page, demo_config, officer, smtp_server):
    from portal.routing.service import route_referral

    referral = make_referral()
    route_referral(referral, partner_named(HUB), officer)
    db.session.commit()

    [email] = caught_emails(smtp_server)
    assert smtp_server.handler.messages[0].rcpt_tos == ["victim-hub@example.org"]
    assert "Two men shouted" not in email.get_body(("plain",)).get_content()  # not a secure-email partner
    link = link_in(email)

    page.goto(link)
    main = page.inner_text("main")
    assert f"Referral {referral.reference} for Victim and Witness Hub" in main
    assert "Two men shouted abuse about my religion" in main and "Not acknowledged yet" in main
    with page.expect_navigation():
        page.click("button:has-text('Acknowledge referral')")
    main = page.inner_text("main")
    assert f"You have acknowledged referral {referral.reference}" in main
    assert "Acknowledge referral" not in main

    sign_in_in_browser(page)
    page.goto(f"/staff/referrals/{referral.reference}")
    row = page.locator("main table tr", has_text="Victim and Witness Hub")
    assert "Acknowledged" in row.inner_text()
    assert "Acknowledged: Victim and Witness Hub" in page.inner_text("main")

    db.session.expire_all()
    done = db.session.get(Referral, referral.id)
    assert done.status == ReferralStatus.ACKNOWLEDGED and done.routes[0].status == RouteStatus.ACKNOWLEDGED
    assert [event.actor_label for event in done.events if event.type == EventType.VIEWED][0] == "Victim and Witness Hub"
