"""Business rules for the schemes admins keep: adding one and changing it (opening, closing, who it goes to)."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from portal.content import english_changed, english_of
from portal.extensions import db
from portal.models import Partner, VolunteerScheme
from portal.signposting.service import slugify


class SchemeError(Exception):
    """A change to a scheme that cannot be made; the message is for the admin."""


@dataclass
class SchemeAnswers:
    """What an admin entered for a scheme, already checked for presence and format."""

    name: str
    summary: str
    what_volunteers_do: str | None
    time_commitment: str | None
    min_age: int | None
    max_age: int | None
    carer_consent_under_18: bool
    vetting_notes: str | None
    partner_id: int | None
    auto_route: bool
    status: str
    signpost_only: bool
    external_url: str | None
    position: int


def all_partners() -> list[Partner]:
    """Every partner a scheme could send its applications to, taking referrals now or not."""
    return list(db.session.execute(db.select(Partner).order_by(Partner.name)).scalars())


def find_scheme_by_id(scheme_id: int) -> VolunteerScheme | None:
    return db.session.get(VolunteerScheme, scheme_id)


def next_scheme_position() -> int:
    highest = db.session.execute(db.select(db.func.max(VolunteerScheme.position))).scalar_one_or_none()
    return (highest or 0) + 10


def _free_slug(name: str) -> str:
    base = slugify(name)
    taken = set(
        db.session.execute(
            db.select(VolunteerScheme.slug).where(
                (VolunteerScheme.slug == base) | VolunteerScheme.slug.startswith(f"{base}-")
            )
        ).scalars()
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check(answers: SchemeAnswers, scheme: VolunteerScheme | None) -> None:
    query = db.select(VolunteerScheme.id).where(db.func.lower(VolunteerScheme.name) == answers.name.lower())
    if scheme is not None:
        query = query.where(VolunteerScheme.id != scheme.id)
    if db.session.execute(query).first():
        raise SchemeError(_("There is already a scheme called %(name)s", name=answers.name))
    if answers.partner_id is not None and db.session.get(Partner, answers.partner_id) is None:
        raise SchemeError(_("Select a partner from the list"))


def _apply(scheme: VolunteerScheme, answers: SchemeAnswers) -> None:
    for name, value in vars(answers).items():
        setattr(scheme, name, value)
    if scheme.signpost_only:  # nothing to route: a signpost takes no applications
        scheme.auto_route = False


def _flush_or_refuse(name: str) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # another admin saved a scheme with the same name a moment ago
        raise SchemeError(_("There is already a scheme called %(name)s", name=name)) from None


def create_scheme(answers: SchemeAnswers) -> VolunteerScheme:
    """Add a scheme. Its slug (its web address) comes from its name and never changes afterwards."""
    _check(answers, None)
    scheme = VolunteerScheme(slug=_free_slug(answers.name))
    _apply(scheme, answers)
    db.session.add(scheme)
    _flush_or_refuse(answers.name)
    return scheme


def update_scheme(scheme: VolunteerScheme, answers: SchemeAnswers) -> VolunteerScheme:
    """Change a scheme: what residents read, who can join, open or close it, where applications go."""
    _check(answers, scheme)
    before = english_of(scheme)
    _apply(scheme, answers)
    english_changed(scheme, before)
    _flush_or_refuse(answers.name)
    return scheme
