"""The sign-up end to end through the app: schemes, pages in order, the cadet's carer, waiting lists,
closed and signpost-only schemes, sending once, and the confirmation email only on request."""

import re

from portal.extensions import db as _db
from portal.models import EventType, OutboxMessage, ReferralKind, ReferralStatus, ReportDraft, SchemeStatus
from tests.conftest import submit_form
from tests.volunteering import (
    VOLUNTEER,
    aged,
    applications,
    referral_count,
    scheme_named,
    send_application,
    sign_up_answers,
    walk_sign_up,
)

ADULT_PAGES = ["name", "date-of-birth", "contact", "address", "availability", "about-you", "access-needs"]
ADULT_PAGES += ["how-heard", "consent"]


def outbox_count() -> int:
    return _db.session.execute(_db.select(_db.func.count(OutboxMessage.id))).scalar_one()


def test_schemes_page_lists_every_scheme_with_its_state(client, demo_config):
    scheme = scheme_named("good-neighbour-scheme")
    scheme.status = SchemeStatus.CLOSED
    _db.session.commit()
    page = client.get(f"{VOLUNTEER}/").get_data(as_text=True)
    for name in ("Neighbourhood Watch", "Police Support Volunteers", "Volunteer Police Cadets", "Do-It"):
        assert name in page
    assert "Not taking volunteers at the moment" in page and "Waiting list" in page
    assert f'href="{VOLUNTEER}/volunteer-police-cadets/"' in page


def test_home_and_navigation_link_to_the_schemes(client, demo_config):
    page = client.get("/").get_data(as_text=True)
    assert f'href="{VOLUNTEER}/"' in page


def test_scheme_page_explains_it_and_offers_the_sign_up(client, demo_config):
    page = client.get(f"{VOLUNTEER}/police-support-volunteers/").get_data(as_text=True)
    assert "house-to-house enquiries" in page and "vetted by the police" in page
    assert "People aged 18 or over" in page and "Police Support Volunteers co-ordinator" in page
    assert f'href="{VOLUNTEER}/police-support-volunteers/start"' in page
    assert client.get(f"{VOLUNTEER}/no-such-scheme/").status_code == 404


def test_adult_signs_up_and_the_application_waits_in_the_queue(client, demo_config):
    visited, _where = walk_sign_up(client, "police-support-volunteers")
    assert visited == ADULT_PAGES  # no parent or carer page for an adult
    page = client.get(f"{VOLUNTEER}/police-support-volunteers/check-answers").get_data(as_text=True)
    assert "Amara Okafor" in page and "14 June 1990" in page and "PE1 1HF" in page
    assert "Tuesday<br>Saturday" in page
    assert f'href="{VOLUNTEER}/police-support-volunteers/contact?change=1#email"' in page
    response = submit_form(client, f"{VOLUNTEER}/police-support-volunteers/check-answers", {})
    assert response.headers["Location"].endswith(f"{VOLUNTEER}/police-support-volunteers/confirmation")

    [application] = applications()
    referral = application.referral
    assert referral.kind == ReferralKind.VOLUNTEER and re.fullmatch(r"VOL-[2-9A-HJ-NP-Z]{6}", referral.reference)
    assert referral.status == ReferralStatus.NEW and not referral.routes  # this scheme is checked by an officer
    assert (application.full_name, application.postcode, application.age_at_application) == (
        "Amara Okafor",
        "PE1 1HF",
        application.age_at_application,
    )
    assert application.available_days == ["tuesday", "saturday"] and application.consent_share
    assert application.carer_name is None and application.outcome is None
    assert [event.type for event in referral.events] == [EventType.CREATED]
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    assert referral.reference in confirmation and "Application sent" in confirmation
    assert outbox_count() == 0  # nothing is emailed to the applicant unless they ask


def test_cadet_under_18_gives_a_carer_and_their_consent(client, demo_config):
    answers = sign_up_answers(date_of_birth=aged(15))
    visited, _where = walk_sign_up(client, "volunteer-police-cadets", answers)
    assert "parent-carer" in visited
    submit_form(client, f"{VOLUNTEER}/volunteer-police-cadets/check-answers", {})
    [application] = applications()
    assert (application.carer_name, application.carer_relationship, application.carer_phone) == (
        "Grace Okafor",
        "Mother",
        "01632 960 123",
    )
    assert application.carer_consent


def test_carer_page_needs_name_relationship_contact_and_consent(client, demo_config):
    answers = sign_up_answers(date_of_birth=aged(15))
    del answers["parent-carer"]  # stop there
    _visited, where = walk_sign_up(client, "volunteer-police-cadets", answers)
    assert where.endswith("/parent-carer")
    page = submit_form(client, where, {}).get_data(as_text=True)
    for message in (
        "Enter your parent or carer’s full name",
        "Enter how your parent or carer is related to you",
        "Confirm that your parent or carer agrees to you applying",
    ):
        assert message in page
    page = submit_form(
        client, where, {"carer_name": "Grace", "carer_relationship": "Aunt", "carer_consent": "y"}
    ).get_data(as_text=True)
    assert "Enter your parent or carer’s email address or phone number" in page


def test_no_carer_page_where_the_scheme_does_not_need_one(client, demo_config):
    scheme = scheme_named("neighbourhood-watch")  # from 16, no carer's consent
    visited, _where = walk_sign_up(client, scheme.slug, sign_up_answers(date_of_birth=aged(17)))
    assert "parent-carer" not in visited


def test_auto_routed_scheme_routes_in_the_same_commit(client, demo_config):
    send_application(client, "neighbourhood-watch")
    [application] = applications()
    referral = application.referral
    [route] = referral.routes
    assert route.partner.slug == "neighbourhood-watch" and route.routed_by is None
    assert referral.status == ReferralStatus.ROUTED
    routed = [event for event in referral.events if event.type == EventType.ROUTED]
    assert routed[0].actor_label == "Automatic (scheme rule)"
    [message] = _db.session.execute(_db.select(OutboxMessage)).scalars()
    assert message.route_id == route.id and message.recipient == "neighbourhood-watch@example.org"
    assert referral.reference in message.subject
    assert "Amara" not in message.body_text and "Neighbourhood Watch" in message.body_text  # not a secure partner


def test_auto_routing_skips_a_partner_not_taking_referrals(client, demo_config):
    scheme_named("neighbourhood-watch").partner.active = False
    _db.session.commit()
    send_application(client, "neighbourhood-watch")
    [application] = applications()
    assert application.referral.routes == [] and application.referral.status == ReferralStatus.NEW


def test_waiting_list_scheme_takes_the_application_onto_its_waiting_list(client, demo_config):
    scheme = scheme_named("victim-witness-hub-volunteers")
    page = client.get(f"{VOLUNTEER}/{scheme.slug}/").get_data(as_text=True)
    assert "Join the waiting list" in page
    send_application(client, scheme.slug)
    [application] = applications()
    assert application.outcome == "waiting_list"
    assert EventType.OUTCOME_SET in [event.type for event in application.referral.events]
    confirmation = client.get(f"{VOLUNTEER}/{scheme.slug}/confirmation").get_data(as_text=True)
    assert "waiting list" in confirmation


def test_closed_scheme_takes_no_sign_up(client, demo_config):
    scheme = scheme_named("good-neighbour-scheme")
    scheme.status = SchemeStatus.CLOSED
    _db.session.commit()
    page = client.get(f"{VOLUNTEER}/good-neighbour-scheme/").get_data(as_text=True)
    assert "not taking new volunteers at the moment" in page
    assert "/good-neighbour-scheme/start" not in page
    for path in ("start", "name", "check-answers"):
        response = client.get(f"{VOLUNTEER}/good-neighbour-scheme/{path}")
        assert response.headers["Location"].endswith(f"{VOLUNTEER}/good-neighbour-scheme/"), path


def test_scheme_closed_while_someone_signs_up_makes_no_referral(client, demo_config):
    walk_sign_up(client, "good-neighbour-scheme")
    page = client.get(f"{VOLUNTEER}/good-neighbour-scheme/check-answers").get_data(as_text=True)
    scheme_named("good-neighbour-scheme").status = SchemeStatus.CLOSED
    _db.session.commit()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(f"{VOLUNTEER}/good-neighbour-scheme/check-answers", data={"csrf_token": token})
    assert response.headers["Location"].endswith(f"{VOLUNTEER}/good-neighbour-scheme/")
    assert referral_count() == 0


def test_signpost_only_scheme_links_out_and_takes_no_sign_up(client, demo_config):
    page = client.get(f"{VOLUNTEER}/do-it/").get_data(as_text=True)
    assert '<a class="govuk-link" href="https://do-it.org" rel="noopener">https://do-it.org</a>' in page
    main = page.split('id="main-content"')[1].split("</main>")[0]
    assert "/do-it/start" not in main and "<script" not in main
    assert client.get(f"{VOLUNTEER}/do-it/name").headers["Location"].endswith(f"{VOLUNTEER}/do-it/")
    assert client.get(f"{VOLUNTEER}/do-it/start").headers["Location"].endswith(f"{VOLUNTEER}/do-it/")


def test_a_signpost_address_that_is_not_a_web_address_is_shown_as_text(client, demo_config):
    scheme_named("do-it").external_url = "javascript:alert(1)"
    _db.session.commit()
    page = client.get(f"{VOLUNTEER}/do-it/").get_data(as_text=True)
    assert "javascript:alert(1)" in page and 'href="javascript' not in page


def test_sending_twice_makes_one_referral(client, demo_config):
    walk_sign_up(client, "good-neighbour-scheme")
    page = client.get(f"{VOLUNTEER}/good-neighbour-scheme/check-answers").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    first = client.post(f"{VOLUNTEER}/good-neighbour-scheme/check-answers", data={"csrf_token": token})
    second = client.post(f"{VOLUNTEER}/good-neighbour-scheme/check-answers", data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    assert referral_count() == 1 and outbox_count() == 1  # one route email, not two
    draft = _db.session.execute(_db.select(ReportDraft)).scalar_one()
    assert draft.referral_id is not None and draft.answers == {}


def test_honeypot_filled_in_sends_nothing(client, demo_config):
    walk_sign_up(client, "good-neighbour-scheme")
    response = submit_form(client, f"{VOLUNTEER}/good-neighbour-scheme/check-answers", {"website": "http://x"})
    assert response.status_code == 400 and referral_count() == 0


def test_a_sign_up_to_one_scheme_is_not_carried_to_another(client, demo_config):
    walk_sign_up(client, "good-neighbour-scheme")
    response = client.get(f"{VOLUNTEER}/neighbourhood-watch/contact")
    assert response.headers["Location"].endswith(f"{VOLUNTEER}/neighbourhood-watch/")


def test_start_carries_on_an_unfinished_sign_up(client, demo_config):
    submit_form(client, f"{VOLUNTEER}/neighbourhood-watch/name", {"full_name": "Amara Okafor"})
    response = client.get(f"{VOLUNTEER}/neighbourhood-watch/start")
    assert response.headers["Location"].endswith("/check-answers")
    assert client.get(response.headers["Location"]).headers["Location"].endswith("/date-of-birth")
    page = client.get(f"{VOLUNTEER}/neighbourhood-watch/name").get_data(as_text=True)
    assert "Amara Okafor" in page


def test_confirmation_email_only_on_request_with_the_reference_and_scheme_only(client, demo_config):
    send_application(client, "police-support-volunteers")
    assert outbox_count() == 0
    confirmation = f"{VOLUNTEER}/police-support-volunteers/confirmation"
    response = submit_form(client, confirmation, {"email": "amara.home@example.org"})
    assert response.status_code == 302
    [message] = _db.session.execute(_db.select(OutboxMessage)).scalars()
    [application] = applications()
    assert message.recipient == "amara.home@example.org" and message.route_id is None
    assert application.referral.reference in message.body_text and "Police Support Volunteers" in message.body_text
    for personal in ("Amara", "Okafor", "1990", "PE1", "amara@example.org"):
        assert personal not in message.body_text and personal not in message.subject
    page = submit_form(client, confirmation, {"email": "not an email"}).get_data(as_text=True)
    assert "Enter an email address in the correct format" in page


def test_confirmation_is_for_the_scheme_applied_to_only(client, demo_config):
    send_application(client, "police-support-volunteers")
    assert client.get(f"{VOLUNTEER}/neighbourhood-watch/confirmation").status_code == 302
    assert client.get(f"{VOLUNTEER}/police-support-volunteers/name").headers["Location"].endswith("/confirmation")
