"""Subject rights: find everything held about a person (by email address, phone number or reference), and
put it together as one record, for a readable page and a JSON download. Erasure is retention's
`erase_referral`."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, inspect, select

from portal.extensions import db
from portal.models import HateIncidentReport, OutboxMessage, Referral, VolunteerApplication
from portal.models.referral import looks_like_reference
from portal.retention.service import messages_about

MAX_MATCHES = 200
IDENTIFIER_LIMIT = 254
_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")


class SubjectSearchError(ValueError):
    """What the admin typed is not an email address, a phone number or a reference."""


@dataclass(frozen=True)
class SubjectQuery:
    kind: str  # email, phone or reference
    value: str  # normalised: lower-case email, national phone number, upper-case reference

    @property
    def masked(self) -> str:
        """How the audit trail records what was searched for: enough to tell searches apart, not the
        identifier itself (the audit trail is kept for longer than the person's data may be)."""
        if self.kind == "reference":
            return self.value
        if self.kind == "email":
            local, _, domain = self.value.partition("@")
            return f"{local[:1]}***@{domain}"
        return "*" * (len(self.value) - 3) + self.value[-3:]


@dataclass
class SubjectMatch:
    referral: Referral
    found_by: list[str] = field(default_factory=list)


@dataclass
class SubjectMatches:
    referrals: list[SubjectMatch]
    emails: list[OutboxMessage]
    truncated: bool = False


def normalise_phone(text: str) -> str | None:
    """A UK number in its national form (07700 900123, +44 7700 900123 and 0044… are the same number), or
    an international one as its digits with a +; None when it is not a phone number."""
    number = _PHONE_PUNCTUATION.sub("", text)
    for prefix in ("+44", "0044"):
        if number.startswith(prefix):
            national = number[len(prefix) :]
            number = national if national.startswith("0") else "0" + national  # +44 (0)7700… as written
            break
    if number.startswith("+"):
        return number if number[1:].isdigit() and 8 <= len(number) <= 16 else None
    return number if number.isascii() and number.isdigit() and 10 <= len(number) <= 11 else None


def parse_identifier(text: str) -> SubjectQuery:
    """Which kind of identifier was typed, normalised; a GOV.UK error message when it is none of them."""
    text = (text or "").strip()
    if not text:
        raise SubjectSearchError(_l("Enter an email address, a phone number or a reference"))
    if len(text) > IDENTIFIER_LIMIT:
        raise SubjectSearchError(
            _l("What you search for must be %(limit)s characters or fewer", limit=IDENTIFIER_LIMIT)
        )
    if looks_like_reference(text.upper()):
        return SubjectQuery("reference", text.upper())
    if "@" in text:
        try:
            validate_email(text, check_deliverability=False)
        except EmailNotValidError:
            raise SubjectSearchError(
                _l("Enter an email address in the correct format, like name@example.com")
            ) from None
        return SubjectQuery("email", text.lower())
    phone = normalise_phone(text)
    if phone is None:
        raise SubjectSearchError(
            _l("Enter an email address, a phone number like 07700 900123, or a reference like HC-7K3QX9")
        )
    return SubjectQuery("phone", phone)


def _phone_forms(number: str) -> list[str]:
    """The ways a number may have been stored, once spaces and dashes are gone."""
    if number.startswith("0"):
        return [number, "+44" + number[1:], "0044" + number[1:]]
    return [number]


def _stripped(column):
    for character in (" ", "-", "(", ")", "."):
        column = func.replace(column, character, "")
    return column


# Where a person can appear: (model, column, what it is, in words).
EMAIL_COLUMNS = [
    (HateIncidentReport, HateIncidentReport.contact_email, _l("Reporter’s email address")),
    (VolunteerApplication, VolunteerApplication.email, _l("Applicant’s email address")),
    (VolunteerApplication, VolunteerApplication.carer_email, _l("Parent or carer’s email address")),
]
PHONE_COLUMNS = [
    (HateIncidentReport, HateIncidentReport.contact_phone, _l("Reporter’s phone number")),
    (VolunteerApplication, VolunteerApplication.phone, _l("Applicant’s phone number")),
    (VolunteerApplication, VolunteerApplication.carer_phone, _l("Parent or carer’s phone number")),
]


def find_subject(query: SubjectQuery) -> SubjectMatches:
    """Every referral where the person appears, and the emails sent to them (or about the reference)."""
    found: dict[int, SubjectMatch] = {}
    if query.kind == "reference":
        referral = db.session.execute(select(Referral).filter_by(reference=query.value)).scalar_one_or_none()
        if referral is not None:
            found[referral.id] = SubjectMatch(referral, [str(_l("Reference"))])
        emails = _emails(messages_about(referral)) if referral is not None else []
        return SubjectMatches(list(found.values()), emails)
    columns = EMAIL_COLUMNS if query.kind == "email" else PHONE_COLUMNS
    for model, column, words in columns:
        condition = (
            func.lower(column) == query.value
            if query.kind == "email"
            else _stripped(column).in_(_phone_forms(query.value))
        )
        referrals = db.session.execute(
            select(Referral)
            .join(model, model.referral_id == Referral.id)
            .where(condition)
            .order_by(Referral.created_at.desc())
            .limit(MAX_MATCHES + 1)
        ).scalars()
        for referral in referrals:
            found.setdefault(referral.id, SubjectMatch(referral)).found_by.append(str(words))
    emails = _emails(func.lower(OutboxMessage.recipient) == query.value) if query.kind == "email" else []
    matches = sorted(found.values(), key=lambda match: match.referral.created_at, reverse=True)
    return SubjectMatches(matches[:MAX_MATCHES], emails, truncated=len(matches) > MAX_MATCHES)


def _emails(condition) -> list[OutboxMessage]:
    return list(
        db.session.execute(
            select(OutboxMessage).where(condition).order_by(OutboxMessage.created_at.desc()).limit(MAX_MATCHES)
        ).scalars()
    )


def _columns(row, leave_out=("referral_id",)) -> dict:
    """Every column of a row that has a value, as JSON-ready values."""
    values = {}
    for attribute in inspect(row).mapper.column_attrs:
        value = getattr(row, attribute.key)
        if attribute.key in leave_out or value is None or value == [] or value == "":
            continue
        values[attribute.key] = _plain(value)
    return values


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def subject_record(referral: Referral) -> dict:
    """Everything held about one referral: its facts, the answers, equality monitoring, history, routes and
    the emails about it. Staff accounts are named, not described."""
    record = _columns(referral, leave_out=("id", "assigned_to_id", "duplicate_of_id", "version"))
    record["assigned_to"] = referral.assigned_to.name if referral.assigned_to else None
    report = referral.hate_incident
    if report is not None:
        answers = _columns(report, leave_out=("referral_id", "area_id"))
        answers["strands"] = report.strands
        answers["incident_types"] = report.incident_types
        answers["area"] = report.area.name if report.area else None
        record["report"] = answers
    if referral.equality is not None:
        record["equality_monitoring"] = _columns(referral.equality)
    application = getattr(referral, "volunteer_application", None)
    if application is not None:
        answers = _columns(application, leave_out=("referral_id", "scheme_id", "area_id"))
        answers["scheme"] = application.scheme.name
        answers["area"] = application.area.name if application.area else None
        record["volunteer_application"] = answers
    record["history"] = [
        {"at": _plain(event.created_at), "what": event.type, "who": event.actor_label, "detail": event.detail or {}}
        for event in referral.events
    ]
    record["routes"] = [
        {
            "partner": route.partner.name,
            **_columns(route, leave_out=("id", "referral_id", "partner_id", "routed_by_id")),
        }
        for route in referral.routes
    ]
    record["emails"] = [
        _columns(message, leave_out=("id", "route_id", "message_id", "next_attempt_at", "attempts"))
        for message in _emails(messages_about(referral))
    ]
    return {key: value for key, value in record.items() if value not in (None, [], {})}


def emails_record(messages: list[OutboxMessage]) -> list[dict]:
    return [_columns(message, leave_out=("id", "route_id", "message_id", "next_attempt_at")) for message in messages]


def find_referral_for_request(reference: str) -> Referral | None:
    if not looks_like_reference(reference):
        return None
    return db.session.execute(select(Referral).filter_by(reference=reference)).scalar_one_or_none()
