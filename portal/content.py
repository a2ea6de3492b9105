"""What admins write for residents (scheme names and descriptions, Get help services, area and partner names), in
the resident's language.

Admins write these in English on the admin pages; a translation of each field can be added for each language (on
the Translations admin page, or from the demo's files in portal/seed_translations). Residents see a field in their
language when it has been translated and in English when it has not: an untranslated field never hides a scheme
or a service. Staff pages and partner emails are in English, so they read the English as written.

Views give templates `in_language(thing)` in place of the thing: the same attributes, with the translatable ones
in the page's language.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from portal.extensions import db
from portal.models import Area, ContentTranslation, Partner, SignpostService, VolunteerScheme
from portal.per_request import per_request

SEED_TRANSLATIONS = Path(__file__).resolve().parent / "seed_translations"


@dataclass(frozen=True)
class Subject:
    """A kind of thing admins write about, and which of its fields residents read."""

    key: str
    model: type
    label: object
    fields: dict[str, object]  # field name -> what admins call it
    long_fields: frozenset[str] = frozenset()  # several lines of text, edited in a text area

    def things(self) -> list:
        query = db.select(self.model)
        if hasattr(self.model, "position"):
            query = query.order_by(self.model.position, self.model.name)
        return list(db.session.execute(query.order_by(self.model.name, self.model.id)).scalars())


SUBJECTS = {
    subject.key: subject
    for subject in (
        Subject(
            "scheme",
            VolunteerScheme,
            _l("Volunteering schemes"),
            {
                "name": _l("Name"),
                "summary": _l("Summary"),
                "what_volunteers_do": _l("What volunteers do"),
                "time_commitment": _l("Time"),
                "vetting_notes": _l("Checks before you start"),
            },
            frozenset({"summary", "what_volunteers_do", "vetting_notes"}),
        ),
        Subject(
            "service",
            SignpostService,
            _l("Get help services"),
            {
                "name": _l("Name of the service"),
                "who_it_helps": _l("Who it helps"),
                "how_to_contact": _l("How to contact it"),
            },
            frozenset({"who_it_helps", "how_to_contact"}),
        ),
        Subject("area", Area, _l("Areas"), {"name": _l("Name")}),
        Subject("partner", Partner, _l("Partners"), {"name": _l("Name")}),
    )
}
SUBJECT_OF = {subject.model: subject for subject in SUBJECTS.values()}


def _default_language() -> str:
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _page_language() -> str:
    return str(get_locale() or _default_language())


def _translations(locale: str) -> dict[tuple[str, int, str], str]:
    """Every translation into a language, read once per request (a partnership has a few hundred at most)."""
    loaded = per_request("content_translations")
    if locale not in loaded:
        rows = db.session.execute(
            db.select(
                ContentTranslation.subject,
                ContentTranslation.subject_id,
                ContentTranslation.field,
                ContentTranslation.text,
            ).filter_by(locale=locale)
        )
        loaded[locale] = {(subject, subject_id, field): text for subject, subject_id, field, text in rows}
    return loaded[locale]


def localised(thing, field: str, locale: str | None = None) -> str | None:
    """One field of a thing in a language (the page's, unless given): its translation, else the English."""
    english = getattr(thing, field)
    locale = locale or _page_language()
    if not english or locale == _default_language():
        return english
    return _translations(locale).get((SUBJECT_OF[type(thing)].key, thing.id, field), english)


class InLanguage:
    """A scheme, service, area or partner as a resident reads it: translatable fields in their language, the
    rest (and anything it links to) as it is. For templates only: services and forms take the thing itself."""

    __slots__ = ("_thing", "_locale", "_subject")

    def __init__(self, thing, locale: str):
        self._thing, self._locale, self._subject = thing, locale, SUBJECT_OF[type(thing)]

    def __getattr__(self, name: str):
        if name in self._subject.fields:
            return localised(self._thing, name, self._locale)
        value = getattr(self._thing, name)
        return InLanguage(value, self._locale) if type(value) in SUBJECT_OF else value

    def __eq__(self, other) -> bool:
        return self._thing == (other._thing if isinstance(other, InLanguage) else other)

    def __hash__(self) -> int:
        return hash(self._thing)


def in_language(thing, locale: str | None = None):
    """A thing (or None) wrapped to read in the page's language, or the language given."""
    return None if thing is None else InLanguage(thing, locale or _page_language())


def all_in_language(things: Iterable, locale: str | None = None) -> list:
    locale = locale or _page_language()
    return [InLanguage(thing, locale) for thing in things]


# Admins' side: what has been translated, saving translations, and keeping them honest when the English changes.


def translations_of(thing, locale: str) -> dict[str, ContentTranslation]:
    """A thing's translations into one language, by field."""
    rows = db.session.execute(
        db.select(ContentTranslation).filter_by(subject=SUBJECT_OF[type(thing)].key, subject_id=thing.id, locale=locale)
    ).scalars()
    return {row.field: row for row in rows}


def save_translations(thing, locale: str, texts: dict[str, str], *, reviewed: bool, actor) -> None:
    """Keep the translations given (a blank one is removed, so residents see the English); `reviewed` says a
    native speaker has checked them all. Flushes; the caller commits."""
    subject = SUBJECT_OF[type(thing)]
    existing = translations_of(thing, locale)
    for field in subject.fields:
        text, row = (texts.get(field) or "").strip(), existing.get(field)
        if not text or not getattr(thing, field):
            if row is not None:
                db.session.delete(row)
            continue
        changed_by = actor.id if actor is not None else None
        if row is None:
            db.session.add(
                ContentTranslation(
                    subject=subject.key,
                    subject_id=thing.id,
                    field=field,
                    locale=locale,
                    text=text,
                    needs_review=not reviewed,
                    updated_by_id=changed_by,
                )
            )
        elif (row.text, row.needs_review) != (text, not reviewed):
            row.text, row.needs_review, row.updated_by_id = text, not reviewed, changed_by
    db.session.flush()
    per_request("content_translations").clear()


def english_of(thing) -> dict[str, str | None]:
    """The English of a thing's translatable fields, taken before an admin's change to compare with after it."""
    return {field: getattr(thing, field) for field in SUBJECT_OF[type(thing)].fields}


def english_changed(thing, before: dict[str, str | None]) -> None:
    """Mark for review the translations of every field whose English differs from `before`: a translation of the
    old words must not pass for a translation of the new ones."""
    subject = SUBJECT_OF[type(thing)]
    changed = [field for field, english in before.items() if getattr(thing, field) != english]
    if changed and thing.id is not None:
        db.session.execute(
            db.update(ContentTranslation)
            .where(
                ContentTranslation.subject == subject.key,
                ContentTranslation.subject_id == thing.id,
                ContentTranslation.field.in_(changed),
            )
            .values(needs_review=True)
        )
        per_request("content_translations").clear()


@dataclass(frozen=True)
class ThingStatus:
    """How far one thing's fields have been translated into a language."""

    subject: Subject
    thing: object
    fields: int  # fields with English text to translate
    translated: int
    needs_review: int


def translation_progress(locale: str) -> list[ThingStatus]:
    """Every scheme, service, area and partner, with how much of it is translated into a language."""
    rows = db.session.execute(
        db.select(
            ContentTranslation.subject,
            ContentTranslation.subject_id,
            ContentTranslation.field,
            ContentTranslation.needs_review,
        ).filter_by(locale=locale)
    )
    done = {(subject, subject_id, field): needs_review for subject, subject_id, field, needs_review in rows}
    progress = []
    for subject in SUBJECTS.values():
        for thing in subject.things():
            wanted = [field for field in subject.fields if getattr(thing, field)]
            found = [done[subject.key, thing.id, field] for field in wanted if (subject.key, thing.id, field) in done]
            progress.append(ThingStatus(subject, thing, len(wanted), len(found), sum(found)))
    return progress


def seed_translations() -> int:
    """The demo's translations (portal/seed_translations/<language>.json, marked for review) of the demo's schemes,
    services, areas and partners, where the English is still what the demo wrote and nothing is translated yet.
    Returns how many were added."""
    from portal.seed import seeded_english

    english = seeded_english()
    languages = [code for code in current_app.config["LANGUAGES"] if code != _default_language()]
    things = {subject.key: {thing.slug: thing for thing in subject.things()} for subject in SUBJECTS.values()}
    have = {
        tuple(row)
        for row in db.session.execute(
            db.select(
                ContentTranslation.subject,
                ContentTranslation.subject_id,
                ContentTranslation.field,
                ContentTranslation.locale,
            )
        )
    }
    added = 0
    for locale in languages:
        path = SEED_TRANSLATIONS / f"{locale}.json"
        if not path.exists():
            continue
        for subject_key, by_slug in json.loads(path.read_text(encoding="utf-8")).items():
            for slug, texts in by_slug.items():
                thing = things.get(subject_key, {}).get(slug)
                for field, text in texts.items() if thing is not None else ():
                    unchanged = getattr(thing, field) == english.get((subject_key, slug, field))
                    if unchanged and (subject_key, thing.id, field, locale) not in have:
                        db.session.add(
                            ContentTranslation(
                                subject=subject_key, subject_id=thing.id, field=field, locale=locale, text=text
                            )
                        )
                        added += 1
    db.session.flush()
    per_request("content_translations").clear()
    return added
