"""The audit log page: audit and referral events merged newest first, filters, keyset pages, CSV export."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from portal.admin.audit_log import PAGE_SIZE, AuditFilters, Cursor, list_audit_log
from portal.audit import record_audit
from portal.extensions import db as _db
from portal.models import AuditEvent, EventType, ReferralEvent
from tests.conftest import csrf_token, make_referral

AUDIT = "/staff/admin/audit"
BASE = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def audit_at(moment, action="sign_in", **detail) -> AuditEvent:
    event = record_audit(action, actor_label="Someone", **detail)
    event.created_at = moment
    return event


@pytest.fixture
def history(db, officer):
    """Three audit events and a referral's events, interleaved in time."""
    referral = make_referral()
    referral.events[0].created_at = BASE + timedelta(minutes=1)
    referral.record(EventType.NOTE, actor=officer, text="Private words about the victim").created_at = BASE + timedelta(
        minutes=3
    )
    audit_at(BASE, "sign_in").actor = officer
    audit_at(BASE + timedelta(minutes=2), "export", what="queue")
    event = audit_at(BASE + timedelta(minutes=4), "sign_in_failed")
    event.client = "192.0.2.44"
    _db.session.commit()
    return referral


def test_merges_both_sources_newest_first(history):
    rows, cursor = list_audit_log(AuditFilters())
    assert [row.action for row in rows] == ["sign_in_failed", "note", "export", "created", "sign_in"]
    assert cursor is None
    note = rows[1]
    assert note.reference == history.reference and note.actor == "Olu Officer"
    assert "text" not in note.detail  # the words of a note stay on the referral


def test_filters(history, officer):
    def actions(**filters):
        return [row.action for row in list_audit_log(AuditFilters(**filters))[0]]

    assert actions(actor_id=officer.id) == ["note", "sign_in"]
    assert actions(action="export") == ["export"]
    assert actions(reference=history.reference) == ["note", "created"]
    assert actions(client="192.0.2.44") == ["sign_in_failed"]
    assert actions(date_from=BASE.date(), date_to=BASE.date()) == actions()
    assert actions(date_from=(BASE + timedelta(days=1)).date()) == []


def test_keyset_pages_have_every_row_once(db):
    for minute in range(PAGE_SIZE * 2 + 5):
        audit_at(BASE + timedelta(minutes=minute // 3), f"action_{minute % 2}", n=minute)
    referral = make_referral()
    for index in range(20):
        referral.record(EventType.VIEWED, actor_label="x").created_at = BASE + timedelta(minutes=index // 2)
    _db.session.commit()
    seen, cursor, pages = [], None, 0
    while True:
        rows, cursor = list_audit_log(AuditFilters(), cursor)
        seen += [(row.source, row.id) for row in rows]
        pages += 1
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == PAGE_SIZE * 2 + 5 + 21
    assert Cursor.parse(Cursor(BASE, "audit", 3).token()) == Cursor(BASE, "audit", 3)
    assert Cursor.parse("nonsense") is None and Cursor.parse("2026-01-01T00:00:00~x~1") is None


def test_the_page_filters_and_pages(admin_client, history):
    page = admin_client.get(AUDIT).get_data(as_text=True)
    assert "192.0.2.44" in page and history.reference in page
    assert "Private words" not in page
    filtered = admin_client.get(f"{AUDIT}?action=export").get_data(as_text=True)
    assert "192.0.2.44" not in filtered and "what: queue" in filtered


@pytest.mark.parametrize(
    "query",
    [
        "reference=<script>",
        "client=1.2.3.4;drop",
        "actor=999",
        "action=nope",
        "date_from=31&date_from=2&date_from=2026",
    ],
)
def test_hostile_filters_get_an_error_summary(admin_client, history, query):
    response = admin_client.get(f"{AUDIT}?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "<script>" not in page


def test_older_link_follows_the_cursor(admin_client, db):
    for minute in range(PAGE_SIZE + 3):
        audit_at(BASE + timedelta(minutes=minute), "sign_in")
    _db.session.commit()
    page = admin_client.get(AUDIT).get_data(as_text=True)
    assert "Older events" in page
    older = page.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = admin_client.get(older).get_data(as_text=True)
    assert "Older events" not in second and "Newest events" in second


def test_csv_export_is_safe_and_recorded(admin_client, admin, history):
    audit_at(BASE + timedelta(minutes=5), "export", what='=HYPERLINK("http://x")')
    _db.session.commit()
    token = csrf_token(admin_client.get(AUDIT).get_data(as_text=True))
    response = admin_client.post(f"{AUDIT}/export", data={"csrf_token": token, "action": "export"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["Time", "Source", "Action"]
    assert {row[2] for row in rows[1:]} == {"export"}
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    recorded = _db.session.execute(select(AuditEvent).filter_by(action="audit_exported")).scalar_one()
    assert recorded.actor_id == admin.id and recorded.detail["filters"] == {"action": "export"}


def test_export_needs_the_csrf_token(admin_client, history):
    assert admin_client.post(f"{AUDIT}/export", data={}).status_code == 400


def test_triage_officers_are_refused(signed_in, history):
    assert signed_in.get(AUDIT).status_code == 403
    assert signed_in.post(f"{AUDIT}/export", data={}).status_code in (400, 403)


def test_no_page_changes_audit_rows(admin_client, history):
    before = _db.session.execute(select(AuditEvent.id, AuditEvent.action)).all()
    admin_client.get(AUDIT)
    after = _db.session.execute(select(AuditEvent.id, AuditEvent.action)).all()
    assert set(before) <= set(after)


def test_postgresql_refuses_to_change_or_delete_an_audit_event(app, history):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    for statement in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"), _db.engine.begin() as connection:
            connection.execute(text(statement))
    assert _db.session.execute(select(_db.func.count(AuditEvent.id))).scalar_one() == 3
    assert _db.session.execute(select(_db.func.count(ReferralEvent.id))).scalar_one() == 2
