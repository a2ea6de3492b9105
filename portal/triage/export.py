"""CSV export of the filtered queue, for admins. Special category data (the strands of hostility and the
equality monitoring answers) only when asked for; every export is recorded in the audit trail."""

import csv
import io
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.helpers import format_datetime
from portal.models import AuditEvent, HateIncidentReport, Referral, StaffUser
from portal.triage.queue import QueueFilters, filter_values, queue_conditions

BASIC_COLUMNS = [
    "Reference",
    "Kind",
    "Received",
    "Status",
    "Priority",
    "Classification",
    "Area",
    "With",
    "Triage due",
    "Triaged",
    "Closed",
    "Outcome",
]
SPECIAL_COLUMNS = [
    "Hostility about",
    "Equality: age",
    "Equality: sex",
    "Equality: ethnic group",
    "Equality: religion",
    "Equality: sexual orientation",
    "Equality: disability",
]
BATCH = 500


def safe_cell(value) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection: = + - @ and control characters)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_queue(filters: QueueFilters, officer: StaffUser, *, special: bool) -> Iterator[str]:
    """The CSV, line by line. Records the export (who, when, which filters, special data or not) first."""
    query = (
        select(Referral)
        .where(*queue_conditions(filters))
        .options(
            selectinload(Referral.hate_incident).selectinload(HateIncidentReport.area),
            selectinload(Referral.hate_incident).selectinload(HateIncidentReport.strand_rows),
            selectinload(Referral.assigned_to),
            selectinload(Referral.equality),
        )
        .order_by(Referral.created_at.desc(), Referral.id.desc())
        .execution_options(yield_per=BATCH)
    )
    db.session.add(
        AuditEvent(
            action="export",
            actor=officer,
            detail={"what": "queue", "filters": filters.as_args(), "special_category": special},
        )
    )
    db.session.commit()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(BASIC_COLUMNS + (SPECIAL_COLUMNS if special else []))
    yield _drain(buffer)
    for referral in db.session.execute(query, filter_values(filters, officer)).scalars():
        writer.writerow([safe_cell(value) for value in _row(referral, special)])
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _row(referral: Referral, special: bool) -> list:
    report = referral.hate_incident
    row = [
        referral.reference,
        referral.kind,
        format_datetime(referral.created_at),
        referral.status,
        referral.priority,
        referral.classification,
        report.area.name if report and report.area else "",
        referral.assigned_to.name if referral.assigned_to else "",
        format_datetime(referral.triage_due_at),
        format_datetime(referral.triaged_at),
        format_datetime(referral.closed_at),
        referral.close_outcome,
    ]
    if special:
        equality = referral.equality
        row.append("; ".join(report.strands) if report else "")
        row += [
            getattr(equality, name, "") if equality else ""
            for name in ("age_group", "sex", "ethnicity", "religion", "sexual_orientation", "disability")
        ]
    return row
