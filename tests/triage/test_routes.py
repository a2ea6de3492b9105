"""The referral page and officers' decisions on it, through the app and the real database."""

import pytest

from portal.extensions import db as _db
from portal.models import (
    EventType,
    OutboxMessage,
    Partner,
    Referral,
    ReferralStatus,
    ResponseTemplate,
    Route,
    TemplatePurpose,
)
from tests.conftest import journey_answers, make_referral, submit_form
from tests.reporting.test_widgets_drawn_once import kept

POLICE_CONSENT = {"what-next": {"consents": ["police", "victim_support"]}}


def partner(slug: str) -> Partner:
    return _db.session.execute(_db.select(Partner).filter_by(slug=slug)).scalar_one()


def fresh(referral: Referral) -> Referral:
    _db.session.expire_all()
    return _db.session.get(Referral, referral.id)


def decide(client, referral, action, data, *, follow=True):
    """Post one decision from the referral page, with the version the page showed."""
    page = f"/staff/referrals/{referral.reference}"
    return submit_form(
        client,
        page,
        {f"{action}-{name}": value for name, value in data.items()},
        action=f"{page}/{action}",
        prefix=f"{action}-",
        follow_redirects=follow,
    )


def version_field(referral) -> dict:
    return {"version": str(fresh(referral).version)}


def test_referral_page_shows_answers_escaped_and_records_the_view(signed_in, demo_config, officer):
    referral = make_referral(
        what_happened={"incident_types": ["verbal"], "description": "<script>alert('x')</script> shouted"}
    )
    page = signed_in.get(f"/staff/referrals/{referral.reference}").get_data(as_text=True)
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert "Bus stop on Lincoln Road" in page
    viewed = [event for event in fresh(referral).events if event.type == EventType.VIEWED]
    assert len(viewed) == 1 and viewed[0].actor_id == officer.id


def test_unknown_or_malformed_reference_is_404(signed_in):
    for reference in ("HC-ZZZZZZ", "HC-%00", "nonsense", "HC-" + "A" * 500):
        assert signed_in.get(f"/staff/referrals/{reference}").status_code == 404
    assert signed_in.post("/staff/referrals/HC-ZZZZZZ/no-such-action").status_code in (400, 404)


def test_claim_takes_it_into_triage_and_release_gives_it_back(signed_in, demo_config, officer):
    referral = make_referral()
    page = decide(signed_in, referral, "claim", {}).get_data(as_text=True)
    assert f"You have claimed {referral.reference}" in page
    claimed = fresh(referral)
    assert (claimed.assigned_to_id, claimed.status) == (officer.id, ReferralStatus.IN_TRIAGE)
    assert claimed.triaged_at is not None
    decide(signed_in, referral, "release", version_field(referral))
    assert fresh(referral).assigned_to_id is None


def test_a_second_claim_is_told_who_has_it(app, signed_in, demo_config, officer):
    from portal.auth.service import create_staff
    from portal.models import StaffRole
    from tests.conftest import STAFF_PASSWORD, sign_in

    create_staff("second@example.org", "Sam Second", STAFF_PASSWORD, StaffRole.TRIAGER)
    _db.session.commit()
    referral = make_referral()
    other = app.test_client()
    sign_in(other, email="second@example.org")
    other.get(f"/staff/referrals/{referral.reference}")  # both have the page open
    decide(signed_in, referral, "claim", {})
    page = decide(other, referral, "claim", {}).get_data(as_text=True)
    assert "Olu Officer has already claimed this referral" in page
    assert fresh(referral).assigned_to_id == officer.id


def test_a_decision_from_a_stale_page_is_refused(signed_in, demo_config):
    referral = make_referral()
    stale = version_field(referral)
    decide(signed_in, referral, "priority", {**stale, "priority": "high", "priority_reason": "Repeat victim"})
    page = decide(signed_in, referral, "priority", {**stale, "priority": "low", "priority_reason": "Looks minor"})
    assert "Someone else changed this referral while you were looking at it" in page.get_data(as_text=True)
    assert (fresh(referral).priority, fresh(referral).priority_reason) == ("high", "Repeat victim")


def test_priority_needs_a_reason_and_keeps_the_answer(signed_in, demo_config):
    referral = make_referral()
    page = decide(
        signed_in, referral, "priority", {**version_field(referral), "priority": "urgent"}, follow=False
    ).get_data(as_text=True)
    assert "Enter why you chose this priority" in page
    assert 'value="urgent" checked' in page


def test_classify_duplicate_and_close(signed_in, demo_config):
    original, referral = make_referral(), make_referral()
    decide(signed_in, referral, "classify", {**version_field(referral), "classification": "non_crime"})
    decide(signed_in, referral, "duplicate", {**version_field(referral), "original": original.reference.lower()})
    page = decide(
        signed_in,
        referral,
        "close",
        {**version_field(referral), "outcome": "duplicate", "close_reason": "Same incident reported by the neighbour"},
    )
    assert f"{referral.reference} is closed" in page.get_data(as_text=True)
    closed = fresh(referral)
    assert (closed.classification, closed.duplicate_of_id, closed.status) == ("non_crime", original.id, "closed")
    assert (closed.close_outcome, closed.close_reason) == ("duplicate", "Same incident reported by the neighbour")
    types = [event.type for event in closed.events]
    assert {EventType.CLASSIFIED, EventType.LINKED_DUPLICATE, EventType.CLOSED} <= set(types)


def test_a_referral_cannot_duplicate_itself_or_a_missing_one(signed_in, demo_config):
    referral = make_referral()
    for reference, message in (
        (referral.reference, "cannot be a duplicate of itself"),
        ("HC-ZZZZZZ", "There is no referral with that reference"),
    ):
        page = decide(signed_in, referral, "duplicate", {**version_field(referral), "original": reference})
        assert message in page.get_data(as_text=True)


def test_notes_from_text_or_a_template(signed_in, demo_config):
    _db.session.add(
        ResponseTemplate(
            name="Left voicemail", purpose=TemplatePurpose.NOTE, body="Called the reporter and left a voicemail."
        )
    )
    _db.session.commit()
    referral = make_referral()
    template = _db.session.execute(_db.select(ResponseTemplate).filter_by(name="Left voicemail")).scalar_one()
    decide(signed_in, referral, "note", {"text": "Spoke to the housing officer <b>today</b>."})
    decide(signed_in, referral, "note", {"template": str(template.id)})
    empty = decide(signed_in, referral, "note", {}, follow=False).get_data(as_text=True)
    assert "Enter the text, or choose a template" in empty
    notes = [e.detail["text"] for e in fresh(referral).events if e.type == EventType.NOTE]
    assert notes == ["Spoke to the housing officer <b>today</b>.", "Called the reporter and left a voicemail."]
    page = signed_in.get(f"/staff/referrals/{referral.reference}").get_data(as_text=True)
    assert "&lt;b&gt;today&lt;/b&gt;" in page


def test_an_update_to_a_reporter_goes_through_the_outbox(signed_in, demo_config):
    referral = make_referral(contact={"wants_contact": "yes", "contact_email": "reporter@example.org"})
    decide(signed_in, referral, "reporter", {"text": "The police have opened an investigation."})
    message = _db.session.execute(_db.select(OutboxMessage)).scalar_one()
    assert message.recipient == "reporter@example.org"
    assert referral.reference in message.subject and "investigation" in message.body_text
    assert EventType.REPORTER_UPDATED in [e.type for e in fresh(referral).events]


def test_no_update_form_for_an_anonymous_reporter(signed_in, demo_config):
    referral = make_referral()
    page = signed_in.get(f"/staff/referrals/{referral.reference}").get_data(as_text=True)
    assert "Send the reporter an update" not in page
    response = decide(signed_in, referral, "reporter", {"text": "Hello"})
    assert "did not give an email address" in response.get_data(as_text=True)
    assert _db.session.execute(_db.select(_db.func.count(OutboxMessage.id))).scalar_one() == 0


def test_routing_writes_route_and_email_in_one_commit(signed_in, demo_config):
    referral = make_referral()
    hub = partner("victim-witness-hub")
    decide(signed_in, referral, "route", {"partners": str(hub.id)})
    route = _db.session.execute(_db.select(Route)).scalar_one()
    message = _db.session.execute(_db.select(OutboxMessage)).scalar_one()
    assert (route.partner_id, message.route_id, message.recipient) == (hub.id, route.id, hub.confirmed_addresses[0])
    assert referral.reference in message.subject and "religion" not in message.subject.lower()
    assert "Two men shouted abuse" not in message.body_text  # not a secure-email partner: notice only
    assert fresh(referral).status == ReferralStatus.ROUTED


def test_secure_email_partner_gets_the_details(signed_in, demo_config):
    referral = make_referral(**POLICE_CONSENT)
    decide(signed_in, referral, "route", {"partners": str(partner("police-hate-crime").id)})
    message = _db.session.execute(_db.select(OutboxMessage)).scalar_one()
    assert "Two men shouted abuse" in message.body_text


@pytest.mark.parametrize("hostile", ["nonsense", "²", "9" * 40, "-1", ""])
def test_route_refuses_anything_but_an_offered_partner(signed_in, demo_config, hostile):
    referral = make_referral()
    page = decide(signed_in, referral, "route", {"partners": hostile}).get_data(as_text=True)
    assert "Select partners from the list" in page
    assert _db.session.execute(_db.select(_db.func.count(Route.id))).scalar_one() == 0


def test_an_inactive_or_already_routed_partner_is_not_offered(signed_in, demo_config):
    referral = make_referral()
    hub, homes = partner("victim-witness-hub"), partner("cross-keys-homes")
    homes.active = False
    _db.session.commit()
    decide(signed_in, referral, "route", {"partners": str(hub.id)})
    for chosen in (hub, homes):
        page = decide(signed_in, referral, "route", {"partners": str(chosen.id)}).get_data(as_text=True)
        assert "Select partners from the list" in page
    assert _db.session.execute(_db.select(_db.func.count(Route.id))).scalar_one() == 1


def test_routing_twice_to_the_same_partner_at_once_is_refused_not_a_crash(app, db, demo_config, officer):
    from portal.routing.service import RoutingError, route_referral

    referral = make_referral()
    hub = partner("victim-witness-hub")
    # Another officer's route to the same partner lands first, behind this session's back.
    with db.engine.begin() as connection:
        connection.execute(
            Route.__table__.insert().values(
                referral_id=referral.id, partner_id=hub.id, status="queued", created_at=referral.created_at
            )
        )
    with pytest.raises(RoutingError, match="already been sent"):
        route_referral(referral, hub, officer)
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count(Route.id))).scalar_one() == 1


def test_new_referrals_get_a_triage_deadline_in_working_hours(db, demo_config):
    referral = make_referral()
    assert referral.triage_due_at is not None and referral.triage_due_at > referral.created_at


def test_journey_answers_helper_is_used_as_a_resident_would(signed_in, demo_config):
    referral = make_referral(**{"where": {"place_type": "online"}}, online={"online_platform": "Forum"})
    page = signed_in.get(f"/staff/referrals/{referral.reference}").get_data(as_text=True)
    assert "Forum" in page and "Bus stop on Lincoln Road" not in page
    assert journey_answers()["where"] == {"place_type": "public_transport"}


def test_a_closed_referral_cannot_be_claimed_or_routed(signed_in, demo_config):
    referral = make_referral()
    decide(
        signed_in,
        referral,
        "close",
        {**version_field(referral), "outcome": "no_further_action", "close_reason": "Reporter asked us to stop"},
    )
    claim = decide(signed_in, referral, "claim", {}).get_data(as_text=True)
    assert "This referral is closed" in claim
    route = decide(signed_in, referral, "route", {"partners": str(partner("victim-witness-hub").id)})
    assert "This referral is closed, so it cannot be sent to a partner" in route.get_data(as_text=True)
    closed = fresh(referral)
    assert (closed.status, closed.assigned_to_id) == ("closed", None)
    assert _db.session.execute(_db.select(_db.func.count(Route.id))).scalar_one() == 0
    assert _db.session.execute(_db.select(_db.func.count(OutboxMessage.id))).scalar_one() == 0


def test_routing_counts_as_first_triage(signed_in, demo_config):
    referral = make_referral()
    decide(signed_in, referral, "route", {"partners": str(partner("victim-witness-hub").id)})
    assert fresh(referral).triaged_at is not None


def test_a_non_crime_incident_goes_without_the_details_of_the_people_involved(signed_in, demo_config):
    referral = make_referral(
        **POLICE_CONSENT,
        people={"perpetrator_known": "yes", "perpetrator_description": "My neighbour Dave"},
        witnesses={"witnesses": "yes", "witness_details": "Mrs Patel at number 4"},
    )
    decide(signed_in, referral, "classify", {**version_field(referral), "classification": "non_crime"})
    decide(signed_in, referral, "route", {"partners": str(partner("police-hate-crime").id)})
    message = _db.session.execute(_db.select(OutboxMessage)).scalar_one()
    assert "Two men shouted abuse" in message.body_text  # a secure-email partner still gets the report
    assert "My neighbour Dave" not in message.body_text and "Mrs Patel" not in message.body_text
    assert "My neighbour Dave" not in (message.body_html or "")


def route_page(client, referral) -> str:
    return client.get(f"/staff/referrals/{referral.reference}").get_data(as_text=True)


def test_nothing_ticked_is_a_clear_error(signed_in, demo_config):
    referral = make_referral()
    page = decide(signed_in, referral, "route", {}).get_data(as_text=True)
    assert "Select at least one partner" in page
    assert _db.session.execute(_db.select(_db.func.count(Route.id))).scalar_one() == 0


def test_the_rules_suggestions_come_ticked_with_their_reasons(signed_in, demo_config):
    referral = make_referral()  # asked for victim support only
    page = route_page(signed_in, referral)
    hub = partner("victim-witness-hub")
    assert f'value="{hub.id}" checked' in page
    assert "The reporter asked for victim support (rule “Reporter asked for victim support”)" in page
    police = partner("police-hate-crime")
    assert f'value="{police.id}" checked' not in page
    assert "The reporter did not agree to their report going to the police." in page


def test_police_without_consent_needs_a_reason_and_the_override_is_an_event(signed_in, demo_config, officer):
    referral = make_referral()
    police = partner("police-hate-crime")
    page = decide(signed_in, referral, "route", {"partners": str(police.id)}).get_data(as_text=True)
    assert "Give the reason for sending it to a partner the reporter did not agree to" in page
    assert f'value="{police.id}" checked' in page  # the officer's choice is kept
    assert _db.session.execute(_db.select(_db.func.count(Route.id))).scalar_one() == 0

    reason = "Child at risk: safeguarding referral agreed with the duty sergeant"
    decide(signed_in, referral, "route", {"partners": str(police.id), "override_reason": reason})
    route = _db.session.execute(_db.select(Route)).scalar_one()
    assert (route.partner_id, route.consent_override_reason) == (police.id, reason)
    [override] = [event for event in fresh(referral).events if event.type == EventType.CONSENT_OVERRIDE]
    assert override.actor_id == officer.id and override.detail["reason"] == reason
    assert "Sent without the reporter’s consent" in route_page(signed_in, referral)


def test_a_reason_is_not_recorded_as_an_override_for_a_partner_that_needed_none(signed_in, demo_config):
    referral = make_referral()
    hub = partner("victim-witness-hub")
    decide(signed_in, referral, "route", {"partners": str(hub.id), "override_reason": "Just in case"})
    route = _db.session.execute(_db.select(Route)).scalar_one()
    assert route.consent_override_reason is None
    assert EventType.CONSENT_OVERRIDE not in [event.type for event in fresh(referral).events]


def test_several_partners_at_once_each_get_a_route_and_an_email(signed_in, demo_config):
    referral = make_referral(**POLICE_CONSENT)
    chosen = [partner("victim-witness-hub"), partner("police-hate-crime")]
    response = decide(signed_in, referral, "route", {"partners": [str(p.id) for p in chosen]})
    assert "sent to" in response.get_data(as_text=True)
    routes = _db.session.execute(_db.select(Route).order_by(Route.partner_id)).scalars().all()
    assert sorted(r.partner_id for r in routes) == sorted(p.id for p in chosen)
    assert _db.session.execute(_db.select(_db.func.count(OutboxMessage.id))).scalar_one() == 2


def test_a_partner_without_a_confirmed_address_has_its_route_held(signed_in, demo_config):
    referral = make_referral()
    hub = partner("victim-witness-hub")
    for address in hub.addresses:
        address.confirmed_at = None
    _db.session.commit()
    assert "it will be held until one is confirmed" in route_page(signed_in, referral)
    decide(signed_in, referral, "route", {"partners": str(hub.id)})
    route = _db.session.execute(_db.select(Route)).scalar_one()
    assert route.status == "held"
    assert _db.session.execute(_db.select(_db.func.count(OutboxMessage.id))).scalar_one() == 0
    assert EventType.HELD in [event.type for event in fresh(referral).events]
    assert "Held: partner address not confirmed" in route_page(signed_in, referral)


def test_the_referral_page_is_one_template_and_loads_the_referral_once(app, signed_in, demo_config):
    """Its dozen form fields are drawn from the template environment, not through render_template (which ran
    every context processor again for each field), and the view is recorded without loading the referral again."""
    from flask import template_rendered
    from sqlalchemy import event

    reference = make_referral().reference
    rendered, statements = [], []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    template_rendered.connect(record, app)
    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        page = signed_in.get(f"/staff/referrals/{reference}")
    finally:
        template_rendered.disconnect(record, app)
        event.remove(_db.engine, "before_cursor_execute", count)
    assert page.status_code == 200 and 'name="note-text"' in page.get_data(as_text=True)
    assert rendered == ["triage/referral.html"]
    assert sum(statement.lstrip().startswith("SELECT referral.") for statement in statements) == 1


def statements_for(app, client, path: str) -> list[str]:
    from sqlalchemy import event

    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)
    return statements


def test_the_referral_pages_reads_do_not_grow_with_its_history_partners_or_rules(app, signed_in, demo_config):
    """A fixed number of queries, whatever the referral has been through: its partners, rules and officers come
    in one query each, and its answers, routes and history are loaded together, never one by one."""
    plain = make_referral()
    before = statements_for(app, signed_in, f"/staff/referrals/{plain.reference}")

    busy = make_referral(**POLICE_CONSENT)
    decide(signed_in, busy, "route", {"partners": [str(partner("victim-witness-hub").id)]})
    decide(signed_in, busy, "route", {"partners": [str(partner("police-hate-crime").id)]})
    for number in range(3):
        decide(signed_in, busy, "note", {"text": f"Note {number}"})
    decide(signed_in, busy, "claim", {})
    after = statements_for(app, signed_in, f"/staff/referrals/{busy.reference}")

    assert len(fresh(busy).routes) == 2 and len(fresh(busy).events) > len(fresh(plain).events) + 5
    assert len(after) == len(before)
    assert len(before) <= 13, len(before)


def test_the_decisions_fields_are_drawn_once_but_nothing_an_officer_typed_is_kept(app, signed_in, demo_config):
    referral = make_referral()
    page = decide(
        signed_in,
        referral,
        "close",
        {**version_field(referral), "close_reason": "Zebra crossing dispute"},
        follow=False,
    ).get_data(as_text=True)
    assert "Zebra crossing dispute" in page and "Select the outcome" in page
    assert "Zebra" not in kept(app)
    assert "close-outcome" in kept(app)  # the outcome's radios, with their error, were kept
    again = signed_in.get(f"/staff/referrals/{referral.reference}").get_data(as_text=True)
    assert "Select the outcome" not in again and "Zebra" not in again


def test_the_page_offers_the_decisions_that_apply(app, signed_in, demo_config, officer):
    """Claim while nobody has it, release once this officer has it; classify for a report, the outcome for an
    application; close and send to partners while it is open; an update for a reporter with an email. A decision
    sent with a mistake is shown again with its error even where the page would not offer it now."""
    import re

    from portal.auth.service import create_staff
    from portal.models import StaffRole
    from tests.retention import make_application

    def offered(referral):
        page = signed_in.get(f"/staff/referrals/{referral.reference}").get_data(as_text=True)
        return set(re.findall(rf'action="/staff/referrals/{referral.reference}/(\w+)"', page))

    report = make_referral(contact={"wants_contact": "yes", "contact_email": "reporter@example.org"})
    everyone = {"assign", "priority", "duplicate", "note"}
    assert offered(report) == everyone | {"claim", "classify", "close", "route", "reporter"}
    decide(signed_in, report, "claim", {})
    assert offered(report) == everyone | {"release", "classify", "close", "route", "reporter"}
    other = create_staff("other.officer@example.org", "Oti Other", "a-long-enough-password", StaffRole.TRIAGER)
    _db.session.execute(_db.update(Referral).where(Referral.id == report.id).values(assigned_to_id=other.id))
    _db.session.commit()
    assert offered(report) == everyone | {"classify", "close", "route", "reporter"}  # another's: no claim nor release

    application = make_application()
    assert offered(application) == everyone | {"claim", "outcome", "close", "route"}
    decide(
        signed_in,
        application,
        "close",
        {**version_field(fresh(application)), "outcome": "no_further_action", "close_reason": "Withdrew"},
    )
    assert offered(application) == everyone | {"claim", "outcome"}
    mistaken = decide(signed_in, application, "close", {**version_field(fresh(application))}).get_data(as_text=True)
    assert "There is a problem" in mistaken and f'/{application.reference}/close"' in mistaken
