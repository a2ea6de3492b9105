"""Business rules for the partners admins keep: adding one and changing it. Addresses are in
portal/routing/addresses.py, because confirming one is also what releases referrals held for the partner."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.content import english_changed, english_of
from portal.extensions import db
from portal.models import Partner, StaffUser
from portal.routing.addresses import record_partner_change
from portal.routing.outbox import cancel_pending_messages
from portal.signposting.service import slugify


class PartnerError(Exception):
    """A change to a partner that cannot be made; the message is for the admin."""


@dataclass
class PartnerAnswers:
    """What an admin entered for a partner, already checked for presence and format."""

    name: str
    description: str | None
    partner_type: str
    secure_email: bool
    active: bool
    ack_sla_hours: int | None


def listed_partners() -> list[Partner]:
    """Every partner, taking referrals or not, by name, with its addresses (for the confirmed state)."""
    query = (
        db.select(Partner).options(selectinload(Partner.addresses)).order_by(db.func.lower(Partner.name), Partner.id)
    )
    return list(db.session.execute(query).scalars())


def find_partner(partner_id: int) -> Partner | None:
    return db.session.get(Partner, partner_id)


def _free_slug(name: str) -> str:
    base = slugify(name)
    if base == "service" and "service" not in name.lower():  # a name with no letters slugify keeps
        base = "partner"
    taken = set(
        db.session.execute(
            db.select(Partner.slug).where((Partner.slug == base) | Partner.slug.startswith(f"{base}-"))
        ).scalars()
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _duplicate_name(name: str) -> PartnerError:
    return PartnerError(_("There is already a partner called %(name)s", name=name))


def _check_name_is_free(name: str, partner: Partner | None = None) -> None:
    query = db.select(Partner.id).where(db.func.lower(Partner.name) == name.lower())
    if partner is not None:
        query = query.where(Partner.id != partner.id)
    if db.session.execute(query).first():
        raise _duplicate_name(name)


def _changes(partner: Partner, answers: PartnerAnswers) -> dict:
    """What an edit changes, as {field: [before, after]}, for the audit trail."""
    return {
        name: [getattr(partner, name), value]
        for name, value in vars(answers).items()
        if getattr(partner, name) != value
    }


def _flush_or_refuse(name: str) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # another admin added a partner with the same slug a moment ago
        raise _duplicate_name(name) from None


def create_partner(answers: PartnerAnswers, actor: StaffUser) -> Partner:
    """Add a partner. Its slug comes from its name and never changes. It receives nothing until one of its
    addresses is confirmed."""
    _check_name_is_free(answers.name)
    partner = Partner(slug=_free_slug(answers.name), **vars(answers))
    db.session.add(partner)
    _flush_or_refuse(answers.name)
    record_partner_change("partner_added", actor, partner, **{k: v for k, v in vars(answers).items() if k != "name"})
    db.session.flush()
    return partner


def update_partner(partner: Partner, answers: PartnerAnswers, actor: StaffUser) -> Partner:
    """Change a partner: its name, what kind of agency it is (which decides the consent a report needs to
    go there), whether it gets full details by email, whether it takes referrals, and its time to acknowledge."""
    _check_name_is_free(answers.name, partner)
    changes = _changes(partner, answers)
    before = english_of(partner)
    for name, value in vars(answers).items():
        setattr(partner, name, value)
    english_changed(partner, before)
    _flush_or_refuse(answers.name)
    if changes:
        record_partner_change("partner_changed", actor, partner, changes=changes)
        db.session.flush()
    if "active" in changes and not partner.active:
        cancel_pending_messages(partner)
    return partner
