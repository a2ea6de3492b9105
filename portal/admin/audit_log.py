"""The audit log: audit events (sign-ins, exports, admin changes, purges, erasures) and referral events (views,
routes, consent overrides, closures…) as one list, newest first, merged in SQL and paged by keyset.

Read only: nothing here, or anywhere in the app, updates or deletes an audit event (on PostgreSQL a trigger
refuses to); referral events change only when retention removes the words in them.
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, literal, null, or_, select, union_all

from portal.extensions import db
from portal.helpers import format_datetime
from portal.models import AuditEvent, EventType, Referral, ReferralEvent, StaffUser
from portal.retention.service import KEPT_EVENT_DETAIL
from portal.triage.export import safe_cell

PAGE_SIZE = 50
CSV_COLUMNS = ["Time", "Source", "Action", "Actor", "Client", "Reference", "Detail"]
AUDIT, REFERRAL = "audit", "referral"


@dataclass(frozen=True)
class AuditFilters:
    """What the admin narrowed the list to; every field already checked by the form."""

    date_from: date | None = None
    date_to: date | None = None
    actor_id: int | None = None
    action: str | None = None
    reference: str | None = None
    client: str | None = None

    def as_args(self) -> dict:
        args = {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "actor": self.actor_id,
            "action": self.action,
            "reference": self.reference,
            "client": self.client,
        }
        return {name: value for name, value in args.items() if value}


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last row's time, source and id (the list's sort order)."""

    created_at: datetime
    source: str
    id: int

    def token(self) -> str:
        return f"{self.created_at.astimezone(UTC).isoformat()}~{self.source}~{self.id}"

    @classmethod
    def parse(cls, token: str | None) -> "Cursor | None":
        """A cursor from the URL, or None for anything that is not one (a hand-edited URL starts again)."""
        try:
            moment, source, row_id = (token or "").split("~")
            created_at = datetime.fromisoformat(moment)
            if created_at.tzinfo is None or source not in (AUDIT, REFERRAL):
                return None
            return cls(created_at, source, int(row_id))
        except ValueError:
            return None


@dataclass
class AuditRow:
    created_at: datetime
    source: str
    id: int
    action: str
    actor: str
    client: str | None
    reference: str | None
    detail: dict = field(default_factory=dict)

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.created_at, self.source, self.id)


def _bounds(filters: AuditFilters) -> tuple[datetime | None, datetime | None]:
    """The date range as UTC instants: from the start of the first day to the end of the last, in the
    partnership's time zone."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/London"))
    start = datetime.combine(filters.date_from, time(), zone) if filters.date_from else None
    end = datetime.combine(filters.date_to + timedelta(days=1), time(), zone) if filters.date_to else None
    return start, end


def _after(column_time, column_id, source: str, cursor: Cursor | None):
    """Rows of one source that come after the cursor in (time desc, source desc, id desc) order."""
    if cursor is None:
        return None
    same_time = column_time == cursor.created_at
    if source < cursor.source:
        return or_(column_time < cursor.created_at, same_time)
    if source == cursor.source:
        return or_(column_time < cursor.created_at, and_(same_time, column_id < cursor.id))
    return column_time < cursor.created_at


def _audit_select(filters: AuditFilters, cursor: Cursor | None, limit: int | None):
    start, end = _bounds(filters)
    conditions = [
        condition
        for condition in (
            AuditEvent.created_at >= start if start else None,
            AuditEvent.created_at < end if end else None,
            AuditEvent.actor_id == filters.actor_id if filters.actor_id else None,
            AuditEvent.action == filters.action if filters.action else None,
            AuditEvent.detail["reference"].as_string() == filters.reference if filters.reference else None,
            AuditEvent.client == filters.client if filters.client else None,
            _after(AuditEvent.created_at, AuditEvent.id, AUDIT, cursor),
        )
        if condition is not None
    ]
    query = select(
        AuditEvent.created_at.label("created_at"),
        literal(AUDIT).label("source"),
        AuditEvent.id.label("id"),
        AuditEvent.action.label("action"),
        AuditEvent.actor_id.label("actor_id"),
        AuditEvent.actor_label.label("actor_label"),
        AuditEvent.client.label("client"),
        null().label("reference"),
        AuditEvent.detail.label("detail"),
    ).where(*conditions)
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit) if limit else query


def _referral_select(filters: AuditFilters, cursor: Cursor | None, limit: int | None):
    start, end = _bounds(filters)
    conditions = [
        condition
        for condition in (
            ReferralEvent.created_at >= start if start else None,
            ReferralEvent.created_at < end if end else None,
            ReferralEvent.actor_id == filters.actor_id if filters.actor_id else None,
            ReferralEvent.type == filters.action if filters.action else None,
            Referral.reference == filters.reference if filters.reference else None,
            ReferralEvent.client == filters.client if filters.client else None,
            _after(ReferralEvent.created_at, ReferralEvent.id, REFERRAL, cursor),
        )
        if condition is not None
    ]
    query = (
        select(
            ReferralEvent.created_at.label("created_at"),
            literal(REFERRAL).label("source"),
            ReferralEvent.id.label("id"),
            ReferralEvent.type.label("action"),
            ReferralEvent.actor_id.label("actor_id"),
            ReferralEvent.actor_label.label("actor_label"),
            ReferralEvent.client.label("client"),
            Referral.reference.label("reference"),
            ReferralEvent.detail.label("detail"),
        )
        .join(Referral, Referral.id == ReferralEvent.referral_id)
        .where(*conditions)
    )
    return query.order_by(ReferralEvent.created_at.desc(), ReferralEvent.id.desc()).limit(limit) if limit else query


def _merged(filters: AuditFilters, cursor: Cursor | None, limit: int | None):
    """Both sources in one statement. Each branch is limited on its own first (so each can walk its own
    created_at order), then the union is ordered and limited again."""
    branches = [_audit_select(filters, cursor, limit), _referral_select(filters, cursor, limit)]
    if limit:
        branches = [select(branch.subquery()) for branch in branches]  # ORDER BY/LIMIT inside a UNION branch
    merged = union_all(*branches).subquery()
    query = select(merged).order_by(merged.c.created_at.desc(), merged.c.source.desc(), merged.c.id.desc())
    return query.limit(limit) if limit else query


def list_audit_log(filters: AuditFilters, cursor: Cursor | None = None) -> tuple[list[AuditRow], Cursor | None]:
    """One page of the log after `cursor`, and the cursor of the next page (None on the last)."""
    rows = _rows(db.session.execute(_merged(filters, cursor, PAGE_SIZE + 1)).all())
    if len(rows) > PAGE_SIZE:
        return rows[:PAGE_SIZE], rows[PAGE_SIZE - 1].cursor
    return rows, None


def _rows(results) -> list[AuditRow]:
    names = _staff_names({row.actor_id for row in results if row.actor_id})
    return [
        AuditRow(
            created_at=_aware(row.created_at),
            source=row.source,
            id=row.id,
            action=row.action,
            actor=row.actor_label or names.get(row.actor_id, ""),
            client=row.client,
            reference=row.reference or _reference_in(row.detail),
            detail=shown_detail(row.source, _json(row.detail)),
        )
        for row in results
    ]


def _aware(value) -> datetime:
    """Union columns lose the model's type on some databases: put the time zone back."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _json(value) -> dict:
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def _reference_in(detail) -> str | None:
    reference = _json(detail).get("reference")
    return reference if isinstance(reference, str) else None


def shown_detail(source: str, detail: dict) -> dict:
    """What the log shows of an event's detail: for a referral event, only names and codes, never the words
    of a note, a reason or an update to a reporter (those belong on the referral, for those who may see it)."""
    if source == REFERRAL:
        return {key: value for key, value in detail.items() if key in KEPT_EVENT_DETAIL}
    return {key: value for key, value in detail.items() if key != "reference"}


def _staff_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(StaffUser.id, StaffUser.name).where(StaffUser.id.in_(ids))).all())


def action_choices() -> list[str]:
    """Every action the log can hold: the referral event types and the audit actions recorded so far."""
    recorded = db.session.execute(select(AuditEvent.action).distinct()).scalars()
    return sorted({*(event.value for event in EventType), *recorded})


def staff_choices() -> list[tuple[int, str]]:
    return list(db.session.execute(select(StaffUser.id, StaffUser.name).order_by(StaffUser.name)).all())


def export_audit_log(filters: AuditFilters) -> Iterator[str]:
    """The filtered log as CSV, line by line, newest first (the caller records the export first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield _drain(buffer)
    cursor = None
    while True:
        rows, cursor = list_audit_log(filters, cursor)
        for row in rows:
            writer.writerow(
                [
                    safe_cell(value)
                    for value in (
                        format_datetime(row.created_at),
                        row.source,
                        row.action,
                        row.actor,
                        row.client,
                        row.reference,
                        json.dumps(row.detail, ensure_ascii=False, sort_keys=True) if row.detail else "",
                    )
                ]
            )
        yield _drain(buffer)
        if cursor is None:
            return


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
