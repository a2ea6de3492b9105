"""The queue officers work from: tabs and counts, filters, search, keyset pages, overdue, CSV export."""

import csv
import io
import re
from dataclasses import replace
from datetime import timedelta

from portal.extensions import db as _db
from portal.models import Area, AuditEvent, Priority, Referral, ReferralKind, ReferralStatus
from portal.models._types import utcnow
from tests.conftest import csrf_headers, make_referral


def references(page: str) -> list[str]:
    return re.findall(r'href="/staff/referrals/((?:HC|VOL)-[A-Z0-9]{6})"', page)


def count_in_tab(page: str, label: str) -> int:
    match = re.search(rf"{label}\s*<span class=\"portal-queue-tabs__count[^\"]*\">(\d+)</span>", page)
    return int(match.group(1))


def set_fields(referral, **values):
    _db.session.execute(_db.update(Referral).where(Referral.id == referral.id).values(**values))
    _db.session.commit()


def test_tabs_show_counts_and_the_new_tab_lists_newest_first(signed_in, demo_config):
    first, second, closed = make_referral(), make_referral(), make_referral()
    set_fields(closed, status=ReferralStatus.CLOSED)
    page = signed_in.get("/staff/queue").get_data(as_text=True)
    assert references(page) == [second.reference, first.reference]
    assert count_in_tab(page, "New") == 2
    # Closed is not counted: counting it would read every referral the partnership has ever closed.
    assert re.search(r">\s*Closed\s*</a>", page)
    assert references(signed_in.get("/staff/queue?tab=closed").get_data(as_text=True)) == [closed.reference]
    oldest = signed_in.get("/staff/queue?sort=oldest").get_data(as_text=True)
    assert references(oldest) == [first.reference, second.reference]


def test_filters_by_strand_area_priority_and_who_has_it(signed_in, demo_config, officer):
    fletton = _db.session.execute(_db.select(Area).filter_by(name="Fletton")).scalar_one()
    race = make_referral(hostility={"strands": ["race"]}, address={"location": "x", "area_choice": str(fletton.id)})
    religion = make_referral()
    set_fields(religion, priority="urgent", assigned_to_id=officer.id)
    assert references(signed_in.get("/staff/queue?strand=race").get_data(as_text=True)) == [race.reference]
    assert references(signed_in.get(f"/staff/queue?area={fletton.id}").get_data(as_text=True)) == [race.reference]
    assert references(signed_in.get("/staff/queue?priority=urgent").get_data(as_text=True)) == [religion.reference]
    assert references(signed_in.get("/staff/queue?assigned=me").get_data(as_text=True)) == [religion.reference]
    assert references(signed_in.get("/staff/queue?assigned=unassigned").get_data(as_text=True)) == [race.reference]
    counted = signed_in.get("/staff/queue?strand=race").get_data(as_text=True)
    assert count_in_tab(counted, "New") == 1  # counts follow the filters


def test_date_range_is_in_local_days(signed_in, demo_config):
    old, recent = make_referral(), make_referral()
    set_fields(old, created_at=utcnow() - timedelta(days=10))
    today = utcnow().date().isoformat()
    assert references(signed_in.get(f"/staff/queue?from={today}").get_data(as_text=True)) == [recent.reference]
    ten_days_ago = (utcnow() - timedelta(days=10)).date().isoformat()
    page = signed_in.get(f"/staff/queue?from={ten_days_ago}&to={ten_days_ago}").get_data(as_text=True)
    assert references(page) == [old.reference]


def test_search_by_reference_or_name(signed_in, demo_config):
    named = make_referral(
        contact={"wants_contact": "yes", "contact_name": "Małgorzata Kowalska", "contact_email": "mk@example.org"}
    )
    other = make_referral()
    assert references(signed_in.get(f"/staff/queue?q={other.reference.lower()}").get_data(as_text=True)) == [
        other.reference
    ]
    assert references(signed_in.get("/staff/queue?q=kowalska").get_data(as_text=True)) == [named.reference]
    assert references(signed_in.get("/staff/queue?q=nobody-like-this").get_data(as_text=True)) == []


def test_overdue_tab_uses_the_working_hours_deadline(signed_in, demo_config):
    late, on_time = make_referral(), make_referral()
    set_fields(late, triage_due_at=utcnow() - timedelta(minutes=5))
    page = signed_in.get("/staff/queue?tab=overdue").get_data(as_text=True)
    assert references(page) == [late.reference]
    assert on_time.reference not in page
    assert "Overdue" in signed_in.get("/staff/queue").get_data(as_text=True)


def test_keyset_pages_of_fifty_cover_everything_once(signed_in, demo_config):
    made = [make_referral().reference for _ in range(53)]
    first = signed_in.get("/staff/queue").get_data(as_text=True)
    next_link = re.search(r'href="(/staff/queue\?[^"]*after=[^"]+)"', first).group(1).replace("&amp;", "&")
    second = signed_in.get(next_link).get_data(as_text=True)
    seen = references(first) + references(second)
    assert len(references(first)) == 50 and len(seen) == 53
    assert sorted(seen) == sorted(made)


def test_malformed_filters_are_ignored_not_errors(signed_in, demo_config):
    make_referral()
    for query in (
        "tab=nope",
        "area=abc",
        "from=2026-13-45",
        "after=garbage",
        "after=2026-01-01~x",
        "priority=<script>",
        "q=" + "x" * 500,
        "sort=sideways",
        "after=2026-01-01T00:00:00~5",
        "after=2026-01-01T00:00:00%2B00:00~999999999999999999999999",
        "to=9999-12-31",
        "from=0001-01-01",
        "q=%00",
    ):
        assert signed_in.get(f"/staff/queue?{query}").status_code == 200, query


def _export(client, data):
    page = client.get("/staff/queue").get_data(as_text=True)
    token = re.search(r'action="/staff/queue/export".*?name="csrf_token"[^>]*value="([^"]+)"', page, re.S).group(1)
    return client.post("/staff/queue/export", data={"csrf_token": token, **data})


def test_admins_export_csv_and_special_category_data_only_when_asked(app, admin_client, demo_config):
    make_referral(hostility={"strands": ["race"]}, equality={"religion": "muslim"})
    plain = _export(admin_client, {"tab": "new"})
    assert plain.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(plain.get_data(as_text=True))))
    assert len(rows) == 2 and "Hostility about" not in rows[0]
    special = list(
        csv.reader(io.StringIO(_export(admin_client, {"tab": "new", "special_category": "y"}).get_data(as_text=True)))
    )
    assert special[1][special[0].index("Hostility about")] == "race"
    assert special[1][special[0].index("Equality: religion")] == "muslim"
    audits = (
        _db.session.execute(_db.select(AuditEvent).where(AuditEvent.action != "sign_in").order_by(AuditEvent.id))
        .scalars()
        .all()
    )
    assert [a.detail["special_category"] for a in audits] == [False, True]


def test_exported_cells_cannot_run_as_formulas(admin_client, demo_config):
    from portal.triage.export import safe_cell

    assert [safe_cell(v) for v in ("=HYPERLINK(1)", "+1", "-1", "@SUM", "fine", None)] == [
        "'=HYPERLINK(1)",
        "'+1",
        "'-1",
        "'@SUM",
        "fine",
        "",
    ]


def test_triage_officers_cannot_export(signed_in, demo_config):
    page = signed_in.get("/staff/queue").get_data(as_text=True)
    assert "/staff/queue/export" not in page
    assert signed_in.post("/staff/queue/export", data={}, headers=csrf_headers(signed_in)).status_code == 403


def test_a_strand_filter_is_special_category_data_in_an_export(admin_client, demo_config):
    make_referral(hostility={"strands": ["religion"]})
    response = _export(admin_client, {"tab": "new", "strand": "religion"})
    assert response.status_code == 302 and response.mimetype != "text/csv"
    assert (
        _db.session.execute(
            _db.select(_db.func.count(AuditEvent.id)).where(AuditEvent.action != "sign_in")
        ).scalar_one()
        == 0
    )
    allowed = _export(admin_client, {"tab": "new", "strand": "religion", "special_category": "y"})
    assert allowed.mimetype == "text/csv"


def test_the_attention_tab_holds_failed_held_and_escalated_routes(signed_in, demo_config, officer):
    from portal.models import Partner, Route, RouteStatus
    from portal.routing.service import route_referral

    hub = _db.session.execute(_db.select(Partner).filter_by(slug="victim-witness-hub")).scalar_one()
    failed, held, escalated, sent, closed = (make_referral() for _ in range(5))
    for referral in (failed, held, escalated, sent, closed):
        route_referral(referral, hub, officer)
    _db.session.commit()
    routes = {route.referral_id: route for route in _db.session.execute(_db.select(Route)).scalars()}
    routes[failed.id].status = RouteStatus.FAILED
    routes[held.id].status = RouteStatus.HELD
    routes[escalated.id].status = RouteStatus.SENT
    routes[escalated.id].escalated_at = utcnow()
    routes[sent.id].status = RouteStatus.SENT
    routes[closed.id].status = RouteStatus.FAILED
    set_fields(closed, status=ReferralStatus.CLOSED)
    page = signed_in.get("/staff/queue?tab=attention").get_data(as_text=True)
    assert sorted(references(page)) == sorted(r.reference for r in (failed, held, escalated))
    assert count_in_tab(page, "Needs attention") == 3


def test_an_acknowledged_referral_counts_only_while_another_of_its_routes_waits(signed_in, demo_config, officer):
    """The counts read acknowledged referrals only through their waiting routes (a region has years of them):
    one partner acknowledged and another not yet is still awaiting acknowledgement, and overdue once late."""
    from portal.models import Partner, Route, RouteStatus
    from portal.routing.service import route_referral

    hub, other = (
        _db.session.execute(_db.select(Partner).filter_by(slug=slug)).scalar_one()
        for slug in ("victim-witness-hub", "council-cohesion")
    )
    waiting, done = make_referral(), make_referral()
    for referral in (waiting, done):
        route_referral(referral, hub, officer)
    route_referral(waiting, other, officer, override_reason="A safeguarding concern.")
    _db.session.commit()
    for route in _db.session.execute(_db.select(Route)).scalars():
        acknowledged = route.referral_id == done.id or route.partner_id == hub.id
        route.status = RouteStatus.ACKNOWLEDGED if acknowledged else RouteStatus.SENT
        route.ack_due_at = utcnow() - timedelta(hours=1)
    _db.session.commit()
    set_fields(waiting, status=ReferralStatus.ACKNOWLEDGED)
    set_fields(done, status=ReferralStatus.ACKNOWLEDGED)
    page = signed_in.get("/staff/queue?tab=awaiting_acknowledgement").get_data(as_text=True)
    assert references(page) == [waiting.reference]
    assert count_in_tab(page, "Awaiting acknowledgement") == 1
    assert count_in_tab(page, "Overdue") == 1
    assert count_in_tab(page, "New") == 0
    assert references(signed_in.get("/staff/queue?tab=overdue").get_data(as_text=True)) == [waiting.reference]


def test_every_tab_counts_what_it_lists(app, demo_config, officer):
    """The counts add up two disjoint sums (by status; through the route state kept on the referral); the lists
    read each tab's conditions on their own. Over a mix of states (several routes each, some late, some
    escalated, some acknowledged, some late for triage too) they agree."""
    from portal.models import Partner, Route, RouteStatus, StaffUser
    from portal.routing.service import route_referral
    from portal.triage.counts import tab_counts
    from portal.triage.queue import TABS, QueueFilters, list_queue

    partners = _db.session.execute(_db.select(Partner).order_by(Partner.id).limit(3)).scalars().all()
    referrals = [make_referral() for _ in range(12)]
    for index, referral in enumerate(referrals[:9]):
        for partner in partners[: 1 + index % 3]:
            route_referral(referral, partner, officer, override_reason="A safeguarding concern.")
    _db.session.commit()
    states = [RouteStatus.SENT, RouteStatus.FAILED, RouteStatus.HELD, RouteStatus.ACKNOWLEDGED]
    for index, route in enumerate(_db.session.execute(_db.select(Route).order_by(Route.id)).scalars()):
        route.status = states[index % len(states)]
        route.ack_due_at = utcnow() + timedelta(hours=-1 if index % 3 else 5)
        route.escalated_at = utcnow() if index % 5 == 0 else None
    _db.session.commit()
    set_fields(referrals[0], status=ReferralStatus.ACKNOWLEDGED)
    set_fields(referrals[1], status=ReferralStatus.ACKNOWLEDGED)
    set_fields(referrals[2], status=ReferralStatus.CLOSED)
    set_fields(referrals[10], triage_due_at=utcnow() - timedelta(hours=2))
    for referral in referrals[3:9]:  # late for triage and late to be acknowledged: counted once in "overdue"
        set_fields(referral, triaged_at=None, triage_due_at=utcnow() - timedelta(hours=2))
    user = _db.session.execute(_db.select(StaffUser).filter_by(email="officer@example.org")).scalar_one()
    for index, referral in enumerate(referrals):
        set_fields(
            referral,
            kind=ReferralKind.VOLUNTEER if index % 4 == 3 else ReferralKind.HATE_INCIDENT,
            priority=Priority.HIGH if index % 3 == 1 else Priority.NORMAL,
            assigned_to_id=user.id if index % 2 else None,
        )

    def counted_and_listed(filters):
        with app.test_request_context("/staff/queue"):
            counts = tab_counts(filters, user)
            listed = {tab: list_queue(replace(filters, tab=tab), user, limit=1000).referrals for tab in TABS}
        assert counts == {tab: len(listed[tab]) for tab in TABS if tab != "closed"}, filters
        return counts, listed

    everything, _ = counted_and_listed(QueueFilters())
    assert everything["attention"] and everything["awaiting_acknowledgement"] and everything["overdue"]
    # The filters (which the counts apply in a form no index answers) still filter, in the counts and the lists.
    reports, listed = counted_and_listed(QueueFilters(kind=ReferralKind.HATE_INCIDENT))
    applications, _ = counted_and_listed(QueueFilters(kind=ReferralKind.VOLUNTEER))
    assert {tab: reports[tab] + applications[tab] for tab in everything} == everything
    assert all(referral.kind == ReferralKind.HATE_INCIDENT for tab in TABS for referral in listed[tab])
    assert 0 < sum(applications.values()) < sum(everything.values())
    mine, listed = counted_and_listed(QueueFilters(priority=Priority.HIGH, assigned="me"))
    assert 0 < sum(mine.values()) < sum(everything.values())
    assert all(r.priority == Priority.HIGH and r.assignee == user.name for tab in TABS for r in listed[tab])
