"""The reporting journey end to end through the app: order, conditions, drafts, sending once."""

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser

from portal.extensions import db as _db
from portal.models import Area, EqualityMonitoring, EventType, HateIncidentReport, Referral, ReferralStatus, ReportDraft
from portal.models._types import utcnow
from tests.conftest import JOURNEY, journey_answers, send_report, submit_form, walk_journey


def referral_count() -> int:
    return _db.session.execute(_db.select(_db.func.count(Referral.id))).scalar_one()


def only_report() -> HateIncidentReport:
    return _db.session.execute(_db.select(HateIncidentReport)).scalar_one()


def test_emergency_gate_sends_someone_in_danger_to_999_and_no_further(client):
    response = submit_form(client, f"{JOURNEY}/", {"in_danger": "yes"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Call 999 now" in page and "18001 999" in page
    assert "<form" not in page.split('id="main-content"')[1]  # nothing to continue with


def test_emergency_gate_must_be_answered(client):
    page = submit_form(client, f"{JOURNEY}/", {}).get_data(as_text=True)
    assert "Select whether anyone is in danger now" in page


def test_start_page_says_when_reports_are_read_and_offers_exit(client):
    page = client.get(f"{JOURNEY}/start").get_data(as_text=True)
    assert "Monday to Friday, 9am to 5pm" in page
    assert "govuk-exit-this-page" in page and f'href="{JOURNEY}/exit"' in page


def test_victim_journey_skips_questions_for_others_and_commits_the_report(client, demo_config):
    visited = walk_journey(client)
    assert visited == [
        "who",
        "hostility",
        "what-happened",
        "when",
        "where",
        "address",
        "harm",
        "people",
        "witnesses",
        "police",
        "what-next",
        "contact",
        "equality",
    ]
    response = submit_form(client, f"{JOURNEY}/check-answers", {})
    assert response.headers["Location"].endswith(f"{JOURNEY}/confirmation")
    referral = _db.session.execute(_db.select(Referral)).scalar_one()
    assert referral.reference in client.get(f"{JOURNEY}/confirmation").get_data(as_text=True)
    assert referral.status == ReferralStatus.NEW
    assert [event.type for event in referral.events] == [EventType.CREATED]
    report = only_report()
    assert (report.reporter_role, report.strands, report.incident_types) == ("victim", ["religion"], ["verbal"])
    assert (report.place_type, report.location, report.online_platform) == (
        "public_transport",
        "Bus stop on Lincoln Road",
        None,
    )
    assert report.consent_victim_support and not report.consent_police and report.anonymous
    assert referral.equality is None  # nothing answered, nothing stored


def test_online_incident_asks_for_the_platform_not_the_address(client, demo_config):
    answers = journey_answers(
        where={"place_type": "online"},
        online={"online_platform": "A gaming forum", "online_link": "javascript:alert(1)"},
    )
    visited = walk_journey(client, answers)
    assert "online" in visited and "address" not in visited
    page = client.get(f"{JOURNEY}/check-answers").get_data(as_text=True)
    assert "javascript:alert(1)" in page and 'href="javascript' not in page  # shown, never a link
    submit_form(client, f"{JOURNEY}/check-answers", {})
    report = only_report()
    assert (report.online_platform, report.location) == ("A gaming forum", None)


def test_witness_journey_asks_about_the_person_it_happened_to(client, demo_config):
    answers = journey_answers(
        who={"reporter_role": "witness"}, about_them={"victim_age_group": "65_and_over", "victim_aware": "no"}
    )
    assert "about-them" in walk_journey(client, answers)
    submit_form(client, f"{JOURNEY}/check-answers", {})
    report = only_report()
    assert (report.reporter_role, report.victim_age_group, report.victim_aware) == ("witness", "65_and_over", "no")


def test_third_party_centre_names_its_organisation(client, demo_config):
    answers = journey_answers(who={"reporter_role": "organisation", "organisation_name": "Peterborough Mosque"})
    send_report(client, answers)
    referral = _db.session.execute(_db.select(Referral)).scalar_one()
    assert referral.hate_incident.organisation_name == "Peterborough Mosque"
    assert referral.events[0].actor_label.startswith("Third-party reporting centre")


def test_contact_details_and_equality_answers_are_kept_apart(client, demo_config):
    answers = journey_answers(
        contact={
            "wants_contact": "yes",
            "contact_name": "Zofia Nowak-O'Brien",
            "contact_email": "zofia@example.org",
            "preferred_contact": "email",
            "voicemail_ok": "no",
            "interpreter_language": "Polski",
        },
        equality={"religion": "muslim", "age_group": "prefer_not"},
    )
    send_report(client, answers)
    report = only_report()
    assert (report.contact_name, report.contact_email, report.interpreter_language) == (
        "Zofia Nowak-O'Brien",
        "zofia@example.org",
        "Polski",
    )
    assert not report.anonymous
    equality = _db.session.execute(_db.select(EqualityMonitoring)).scalar_one()
    assert (equality.religion, equality.age_group) == ("muslim", "prefer_not")


def test_hidden_questions_are_not_kept_when_the_answer_changes(client, demo_config):
    walk_journey(client, journey_answers(contact={"wants_contact": "yes", "contact_email": "a@example.org"}))
    submit_form(
        client, f"{JOURNEY}/contact?change=1", {"wants_contact": "no", "contact_email": "a@example.org"}
    )  # still in the form, now hidden
    page = client.get(f"{JOURNEY}/check-answers").get_data(as_text=True)
    assert "a@example.org" not in page
    submit_form(client, f"{JOURNEY}/check-answers", {})
    assert only_report().contact_email is None


def test_answers_survive_going_back(client, demo_config):
    walk_journey(client)
    page = client.get(f"{JOURNEY}/what-happened").get_data(as_text=True)
    assert "Two men shouted abuse about my religion" in page
    assert re.search(r'value="verbal"\s+checked', page)
    when = client.get(f"{JOURNEY}/when").get_data(as_text=True)
    assert re.search(r'id="incident_date-year"[^>]*value="2026"', when)


def test_change_link_returns_to_check_answers_unless_a_new_question_applies(client, demo_config):
    walk_journey(client)
    response = submit_form(
        client, f"{JOURNEY}/police?change=1", {"reported_to_police": "yes", "crime_reference": "CC-12345-26"}
    )
    assert response.headers["Location"].endswith("/check-answers")
    response = submit_form(client, f"{JOURNEY}/where?change=1", {"place_type": "online"})
    assert response.headers["Location"].endswith("/online?change=1")  # a question that now applies


def test_check_answers_shows_only_what_applies_with_change_links(client, demo_config):
    walk_journey(client)
    page = client.get(f"{JOURNEY}/check-answers").get_data(as_text=True)
    assert "Bus stop on Lincoln Road" in page
    assert "Which website, app or platform" not in page  # the online page did not apply
    assert "Name of the organisation" not in page
    assert f'href="{JOURNEY}/address?change=1#location"' in page


def test_check_answers_sends_back_to_a_missing_page(client, demo_config):
    submit_form(client, f"{JOURNEY}/who", {"reporter_role": "victim"})
    response = client.get(f"{JOURNEY}/check-answers")
    assert response.headers["Location"].endswith(f"{JOURNEY}/hostility")


def test_check_answers_and_sending_check_each_page_once(client, demo_config, monkeypatch):
    """Checking the draft, showing the summary and building the referral read the same forms: each page's saved
    answers are checked once per request, not three times."""
    from portal.reporting.journey import Step

    walk_journey(client)
    page = client.get(f"{JOURNEY}/check-answers").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    built = []
    make_form = Step.make_form
    monkeypatch.setattr(
        Step, "make_form", lambda step, *args, **kwargs: built.append(step.slug) or make_form(step, *args, **kwargs)
    )
    assert client.get(f"{JOURNEY}/check-answers").status_code == 200
    assert built and len(built) == len(set(built))
    built.clear()
    assert client.post(f"{JOURNEY}/check-answers", data={"csrf_token": token}).status_code == 302
    assert referral_count() == 1 and built and len(built) == len(set(built))


def test_sending_twice_makes_one_referral(client, demo_config):
    walk_journey(client)
    page = client.get(f"{JOURNEY}/check-answers").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    first = client.post(f"{JOURNEY}/check-answers", data={"csrf_token": token})
    second = client.post(f"{JOURNEY}/check-answers", data={"csrf_token": token})  # double click / back + send
    assert first.status_code == second.status_code == 302
    assert referral_count() == 1
    draft = _db.session.execute(_db.select(ReportDraft)).scalar_one()
    assert draft.referral_id is not None and draft.answers == {}  # the answers live only in the referral now


def test_after_sending_the_journey_pages_lead_to_the_confirmation(client, demo_config):
    send_report(client)
    response = client.get(f"{JOURNEY}/what-happened")
    assert response.headers["Location"].endswith("/confirmation")


def test_report_another_incident_starts_afresh(client, demo_config):
    send_report(client)
    client.get(f"{JOURNEY}/new")
    assert client.get(f"{JOURNEY}/what-happened").headers["Location"].endswith("/start")


def test_honeypot_filled_in_sends_nothing(client, demo_config):
    walk_journey(client)
    response = submit_form(client, f"{JOURNEY}/check-answers", {"website": "http://spam.example"})
    assert response.status_code == 400
    assert referral_count() == 0


def test_exit_this_page_deletes_the_draft_and_the_session(app, client, demo_config):
    walk_journey(client)
    assert _db.session.execute(_db.select(_db.func.count(ReportDraft.id))).scalar_one() == 1
    response = client.get(f"{JOURNEY}/exit")
    assert response.status_code == 302 and response.headers["Location"] == app.config["EXIT_PAGE_URL"]
    assert _db.session.execute(_db.select(_db.func.count(ReportDraft.id))).scalar_one() == 0
    with client.session_transaction() as session:
        assert dict(session) == {}


def test_an_expired_draft_means_starting_again(client, demo_config):
    walk_journey(client)
    draft = _db.session.execute(_db.select(ReportDraft)).scalar_one()
    draft.expires_at = utcnow() - timedelta(minutes=1)
    _db.session.commit()
    response = client.get(f"{JOURNEY}/police")
    assert response.headers["Location"].endswith("/start")
    assert "unfinished reports are deleted" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_csrf_failure_keeps_what_was_typed(client, demo_config):
    walk_journey(client)
    response = client.post(
        f"{JOURNEY}/what-happened", data={"incident_types": ["verbal"], "description": "My new, longer account of it."}
    )
    page = response.get_data(as_text=True)
    assert "We could not check that this form came from you" in page
    assert "My new, longer account of it." in page


def test_confirmation_offers_tailored_support_and_an_email_only_on_request(client, demo_config):
    from portal.models import OutboxMessage

    send_report(
        client,
        journey_answers(
            where={"place_type": "home"}, address={"location": "My flat"}, people={"perpetrator_known": "yes"}
        ),
    )
    page = client.get(f"{JOURNEY}/confirmation").get_data(as_text=True)
    assert "Victim and Witness Hub" in page
    assert "Specialist Abuse Services Peterborough" in page  # at home, by someone known: domestic abuse support
    assert _db.session.execute(_db.select(_db.func.count(OutboxMessage.id))).scalar_one() == 0

    response = submit_form(client, f"{JOURNEY}/confirmation", {"email": "resident@example.org"})
    assert response.status_code == 302
    message = _db.session.execute(_db.select(OutboxMessage)).scalar_one()
    reference = _db.session.execute(_db.select(Referral.reference)).scalar_one()
    assert message.recipient == "resident@example.org" and reference in message.subject
    assert "My flat" not in message.body_text and "religion" not in message.body_text


def test_confirmation_is_shown_for_a_short_while_only(client, demo_config):
    send_report(client)
    with client.session_transaction() as session:
        an_hour_ago = (datetime.now().astimezone() - timedelta(hours=1)).isoformat()
        session["report_confirmation"] = {**session["report_confirmation"], "at": an_hour_ago}
    assert client.get(f"{JOURNEY}/confirmation").status_code == 302


def test_journey_pages_are_not_cached(client):
    assert client.get(f"{JOURNEY}/who").headers["Cache-Control"] == "no-store"


def test_unknown_step_is_404(client):
    assert client.get(f"{JOURNEY}/no-such-question").status_code == 404


class _SummaryList(HTMLParser):
    """(section heading, key, value) for every row of every summary list on a page."""

    def __init__(self):
        super().__init__()
        self.rows, self._section, self._capture, self._text = [], None, None, []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "h2" and "govuk-heading-m" in classes:
            self._capture, self._text = "section", []
        elif "govuk-summary-list__key" in classes:
            self._capture, self._text = "key", []
        elif "govuk-summary-list__value" in classes:
            self._capture, self._text = "value", []
        elif tag == "br" and self._capture == "value":
            self._text.append("\n")

    def handle_endtag(self, tag):
        if self._capture and tag in {"h2", "dt", "dd"}:
            text = " ".join("".join(self._text).split(" ")).strip()
            if self._capture == "section":
                self._section = text
            elif self._capture == "key":
                self._key = text
            else:
                self.rows.append((self._section, self._key, text))
            self._capture = None

    def handle_data(self, data):
        if self._capture:
            self._text.append(data)


def summary(html: str) -> list[tuple[str, str, str]]:
    parser = _SummaryList()
    parser.feed(html)
    return parser.rows


def test_the_committed_referral_holds_exactly_what_check_answers_showed(app, client, demo_config, officer):
    from tests.conftest import sign_in

    area = _db.session.execute(_db.select(Area).filter_by(name="Fletton")).scalar_one()
    answers = journey_answers(
        who={"reporter_role": "on_behalf"},
        hostility={"strands": ["race", "other"], "strand_other": "Being Polish"},
        what_happened={
            "incident_types": ["verbal", "property_damage"],
            "description": "They wrote slurs on my neighbour's door.\r\nThen they threw eggs – twice.",
        },
        when={
            "incident_date": ["14", "10", "2026"],
            "date_is_approximate": "y",
            "time_of_day": "night",
            "still_happening": "yes",
        },
        where={"place_type": "home"},
        address={"location": "12 Example Road", "postcode": "PE1 1AA", "area_choice": str(area.id)},
        harm={"anyone_hurt": "no", "property_damaged": "yes", "damage_details": "Front door paint"},
        people={"perpetrator_known": "not_sure", "perpetrator_description": "Two teenagers", "vehicle": ""},
        witnesses={"witnesses": "yes", "witness_details": "The man at number 14"},
        police={"reported_to_police": "yes", "crime_reference": "CC-26-0001"},
        what_next={"consents": ["police", "council_housing"]},
        about_them={"victim_name": "Mrs Kowalska", "victim_age_group": "65_and_over", "victim_aware": "yes"},
        contact={
            "wants_contact": "yes",
            "contact_name": "Ana Example",
            "contact_phone": "01632 960 001",
            "preferred_contact": "phone",
            "safe_times": "After 6pm",
            "voicemail_ok": "no",
            "interpreter_language": "Polish",
            "access_needs": "",
        },
        equality={"religion": "christian", "disability": "prefer_not"},
    )
    walk_journey(client, answers)
    shown = summary(client.get(f"{JOURNEY}/check-answers").get_data(as_text=True))
    assert ("About the person", "Their name", "Mrs Kowalska") in shown
    assert ("When and where", "Which area of the city was it in?", "Fletton") in shown
    submit_form(client, f"{JOURNEY}/check-answers", {})

    reference = _db.session.execute(_db.select(Referral.reference)).scalar_one()
    staff = app.test_client()
    sign_in(staff)
    held = summary(staff.get(f"/staff/referrals/{reference}").get_data(as_text=True))
    held = [row for row in held if row[0] is not None]  # the case summary above the answers has no heading
    assert held == shown
