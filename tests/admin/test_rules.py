"""Admin pages for routing rules: who may use them, the list in order with each rule in words, adding,
changing and deleting a rule, the suggestions officers then see, and the checks on what admins type."""

import pytest

from portal.extensions import db as _db
from portal.models import Area, AuditEvent, Partner, RoutingRule, VolunteerScheme
from portal.routing.service import routing_suggestions
from tests.conftest import csrf_headers, make_referral, submit_form

LIST = "/staff/admin/routing-rules"
NEW = "/staff/admin/routing-rules/new"


def partner_id(slug: str) -> str:
    return str(_db.session.execute(_db.select(Partner.id).filter_by(slug=slug)).scalar_one())


def rule_named(name: str) -> RoutingRule:
    _db.session.expire_all()
    return _db.session.execute(_db.select(RoutingRule).filter_by(name=name)).scalar_one()


def count() -> int:
    return _db.session.execute(_db.select(_db.func.count(RoutingRule.id))).scalar_one()


def valid_rule(**changes) -> dict:
    return {
        "name": "Religious hate in Millfield goes to cohesion",
        "kind": "hate_incident",
        "strand": "religion",
        "classification": "",
        "consent": "council_housing",
        "scheme_id": "",
        "area_id": "",
        "partner_ids": [partner_id("council-cohesion"), partner_id("cross-keys-homes")],
        "position": "5",
        "active": "y",
        **changes,
    }


def test_triage_officers_get_403(signed_in, demo_config):
    rule = rule_named("Reporter asked for the police")
    for path in (LIST, NEW, f"{LIST}/{rule.id}"):
        assert signed_in.get(path).status_code == 403
    assert signed_in.post(f"{LIST}/{rule.id}/delete", headers=csrf_headers(signed_in)).status_code == 403
    assert count() == 7


def test_the_list_shows_each_rule_in_order_in_words(admin_client, demo_config):
    page = admin_client.get(LIST).get_data(as_text=True)
    first, last = page.index("Reporter asked for the police"), page.index("City centre incidents")
    assert first < last
    assert "Hostility about: Disability" in page and "Area: Central" in page
    assert "Classification: Hate crime" in page and "Cambridgeshire Constabulary hate crime team" in page
    # The reason an officer reads with the suggestion.
    assert "The reporter asked for the police to be told (rule “Reporter asked for the police”)" in page
    assert f'href="{LIST}"' in admin_client.get("/staff/admin/partners").get_data(as_text=True)


def test_admin_adds_a_rule_and_officers_see_its_suggestion(admin_client, demo_config, admin):
    response = submit_form(admin_client, NEW, valid_rule())
    assert response.status_code == 302 and response.headers["Location"] == LIST
    rule = rule_named("Religious hate in Millfield goes to cohesion")
    assert (rule.kind, rule.strand, rule.consent, rule.classification, rule.position) == (
        "hate_incident",
        "religion",
        "council_housing",
        None,
        5,
    )
    assert [partner.slug for partner in rule.partners] == ["cross-keys-homes", "council-cohesion"]
    page = admin_client.get(LIST).get_data(as_text=True)
    assert "has been added" in page and "The reporter asked: Get advice from the council" in page

    referral = make_referral(what_next={"consents": ["council_housing"]})
    suggestions = {suggestion.partner.name: suggestion for suggestion in routing_suggestions(referral)}
    homes = suggestions["Cross Keys Homes"]
    assert homes.reasons == [
        "The reporter asked for council or housing advice and the hostility was about religion or belief "
        "(rule “Religious hate in Millfield goes to cohesion”)"
    ]
    event = _db.session.execute(_db.select(AuditEvent).where(AuditEvent.action != "sign_in")).scalar_one()
    assert (event.action, event.actor_id, event.detail["strand"]) == ("rule_added", admin.id, "religion")


def test_admin_changes_a_rule_with_a_scheme_and_a_retired_area(admin_client, demo_config):
    area = _db.session.execute(_db.select(Area).filter_by(slug="central")).scalar_one()
    area.active = False
    _db.session.commit()
    rule = rule_named("City centre incidents: Prevention and Enforcement Service")
    edit = f"{LIST}/{rule.id}"
    page = admin_client.get(edit).get_data(as_text=True)
    assert "Central (retired)" in page and f'value="{area.id}" selected' in page
    scheme = _db.session.execute(_db.select(VolunteerScheme).filter_by(slug="neighbourhood-watch")).scalar_one()
    data = valid_rule(
        name="Watch applications",
        kind="volunteer",
        strand="",
        consent="",
        scheme_id=str(scheme.id),
        area_id="",
        partner_ids=[partner_id("neighbourhood-watch")],
        active="",
    )
    assert submit_form(admin_client, edit, data).headers["Location"] == LIST
    changed = rule_named("Watch applications")
    assert (changed.id, changed.kind, changed.scheme_id, changed.area_id, changed.active) == (
        rule.id,
        "volunteer",
        scheme.id,
        None,
        False,
    )
    page = admin_client.get(LIST).get_data(as_text=True)
    assert "Volunteering scheme: Neighbourhood Watch" in page and "The applicant applied to" in page


def test_admin_deletes_a_rule(admin_client, demo_config):
    rule = rule_named("Disability hate: victim support")
    edit = f"{LIST}/{rule.id}"
    assert admin_client.post(f"{edit}/delete").status_code == 400  # no token: nothing happens
    assert count() == 7
    response = submit_form(admin_client, edit, {}, action=f"{edit}/delete")
    assert response.headers["Location"] == LIST
    assert "has been deleted" in admin_client.get(LIST).get_data(as_text=True)
    assert count() == 6
    event = _db.session.execute(_db.select(AuditEvent).where(AuditEvent.action != "sign_in")).scalar_one()
    assert event.action == "rule_deleted" and event.detail["name"] == "Disability hate: victim support"
    assert admin_client.get(edit).status_code == 404


ERRORS = [
    ({"name": "", "partner_ids": [], "position": ""}, ["Enter the name of the rule", "Select at least one partner"]),
    ({"partner_ids": ["99999"]}, ["Select partners from the list"]),
    ({"kind": "parcel", "strand": "hats"}, ["Select kind of referral from the list, or Any"]),
    ({"consent": "just_record"}, ["Select what the reporter asked for from the list, or Any"]),
    ({"area_id": "99999", "scheme_id": "1e3"}, ["Select area from the list, or Any"]),
    ({"kind": "volunteer"}, ["A volunteer application has no strand, classification or consent"]),
    ({"position": "-1"}, ["Position must be a whole number from 0 to 9999"]),
    ({"position": "9" * 10_000}, ["Position must be a whole number from 0 to 9999"]),
    ({"name": "x" * 10_000}, ["Name must be 200 characters or fewer"]),
    ({"name": "<script>alert(1)</script>" * 20, "kind": "<script>"}, ["Name must be 200 characters or fewer"]),
    ({"name": "\x00\x00", "strand": "religion\x00"}, ["Enter the name of the rule"]),
]


@pytest.mark.parametrize(("changes", "messages"), ERRORS)
def test_invalid_answers_get_clear_errors_and_are_kept(admin_client, demo_config, changes, messages):
    response = submit_form(admin_client, NEW, valid_rule(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    for message in messages:
        assert message in page
    assert "<script>alert(1)</script>" not in page and "<script>" not in page.split("<main", 1)[1]
    if "partner_ids" not in changes:
        assert f'value="{partner_id("cross-keys-homes")}" checked' in page  # the answers are kept
    assert (
        count() == 7
        and _db.session.execute(_db.select(AuditEvent).where(AuditEvent.action != "sign_in")).first() is None
    )


def test_a_rule_that_does_not_exist_is_not_found(admin_client, demo_config):
    assert admin_client.get(f"{LIST}/99999").status_code == 404
