"""Business rules for the signposting directory."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.content import english_changed, english_of
from portal.extensions import db
from portal.models import SignpostCategory, SignpostService
from portal.models.signposting import SignpostServiceCategory
from portal.signposting.labels import SERVICE_GROUPS, ServiceGroup

SLUG_LIMIT = 64
POSITION_STEP = 10


class SignpostingError(Exception):
    """A change to the directory that cannot be made; the message is for the admin."""


@dataclass
class ServiceAnswers:
    """What an admin entered for a service, already checked for presence and format."""

    name: str
    who_it_helps: str
    how_to_contact: str
    categories: list[str] = field(default_factory=list)
    position: int = 0
    active: bool = True


def _ordered(query):
    return query.options(selectinload(SignpostService.category_rows)).order_by(
        SignpostService.position, SignpostService.name, SignpostService.id
    )


def active_services(categories: Iterable[str] | None = None) -> list[SignpostService]:
    """The services residents see, in the order admins set.

    With `categories` (e.g. ["hate_crime", "victim_support"]), only the services that give at least one
    of those kinds of help: the report confirmation page uses this to suggest support that fits.
    """
    query = db.select(SignpostService).filter_by(active=True)
    if categories is not None:
        wanted = [str(category) for category in categories]
        if not wanted:
            return []
        query = query.where(
            SignpostService.id.in_(
                db.select(SignpostServiceCategory.service_id).where(SignpostServiceCategory.category.in_(wanted))
            )
        )
    return list(db.session.execute(_ordered(query)).scalars())


def group_services(services: Iterable[SignpostService]) -> list[tuple[ServiceGroup, list[SignpostService]]]:
    """The Get help page's sections, emergency first: each service once, under the first group that
    matches one of its kinds of help (or under 'Other help'). Groups with no services are left out."""
    grouped: dict[str, list[SignpostService]] = {group.key: [] for group in SERVICE_GROUPS}
    fallback = SERVICE_GROUPS[-1].key
    for service in services:
        kinds = set(service.categories)
        key = next((group.key for group in SERVICE_GROUPS if group.categories & kinds), fallback)
        grouped[key].append(service)
    return [(group, grouped[group.key]) for group in SERVICE_GROUPS if grouped[group.key]]


def all_services() -> list[SignpostService]:
    """Every service, shown or not, for the admin list."""
    return list(db.session.execute(_ordered(db.select(SignpostService))).scalars())


def find_service(service_id: int) -> SignpostService | None:
    return db.session.get(SignpostService, service_id)


def next_position() -> int:
    """A position after every existing service, leaving room to slot others in between."""
    highest = db.session.execute(db.select(db.func.max(SignpostService.position))).scalar_one_or_none()
    return (highest or 0) + POSITION_STEP


def slugify(name: str) -> str:
    """'Victim & Witness Hub' → 'victim-witness-hub'; accents are dropped, not the letters."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[: SLUG_LIMIT - 4].strip("-") or "service"


def _free_slug(name: str) -> str:
    base = slugify(name)
    taken = set(
        db.session.execute(
            db.select(SignpostService.slug).where(
                (SignpostService.slug == base) | SignpostService.slug.startswith(f"{base}-")
            )
        ).scalars()
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_name_is_free(name: str, service: SignpostService | None = None) -> None:
    query = db.select(SignpostService.id).where(db.func.lower(SignpostService.name) == name.lower())
    if service is not None:
        query = query.where(SignpostService.id != service.id)
    if db.session.execute(query).first():
        raise SignpostingError(_("There is already a service called %(name)s", name=name))


def _apply(service: SignpostService, answers: ServiceAnswers) -> None:
    service.name = answers.name
    service.who_it_helps = answers.who_it_helps
    service.how_to_contact = answers.how_to_contact
    service.categories = [SignpostCategory(category) for category in answers.categories]
    service.position = answers.position
    service.active = answers.active


def _flush_or_refuse(name: str) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # another admin saved a service with the same name a moment ago
        raise SignpostingError(_("There is already a service called %(name)s", name=name)) from None


def create_service(answers: ServiceAnswers) -> SignpostService:
    """Add a service to the directory. Its slug comes from its name and never changes afterwards."""
    _check_name_is_free(answers.name)
    service = SignpostService(slug=_free_slug(answers.name))
    _apply(service, answers)
    db.session.add(service)
    _flush_or_refuse(answers.name)
    return service


def update_service(service: SignpostService, answers: ServiceAnswers) -> SignpostService:
    """Change what the directory says about a service, or hide it from residents."""
    _check_name_is_free(answers.name, service)
    before = english_of(service)
    _apply(service, answers)
    english_changed(service, before)
    _flush_or_refuse(answers.name)
    return service
