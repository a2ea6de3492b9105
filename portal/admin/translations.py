"""Admin page: how far each language's translation of the public pages has got, and how much of it still needs
a native speaker's review. Read only: the catalogues are files in the repository (see README, Languages)."""

from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po
from flask import current_app, render_template

from portal.admin import bp
from portal.content import translation_progress
from portal.languages import autonym, language_in_english

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


@dataclass(frozen=True)
class TranslationStatus:
    code: str
    name: str
    english_name: str
    strings: int
    translated: int
    needs_review: int

    @property
    def missing(self) -> int:
        return self.strings - self.translated

    @property
    def coverage(self) -> int:
        return self.translated * 100 // self.strings if self.strings else 0


def translation_status(code: str, wanted: set[str]) -> TranslationStatus:
    """One language's catalogue against the strings residents can see (the template, messages.pot)."""
    path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
    translated = needs_review = 0
    if path.exists():
        with open(path, "rb") as handle:
            for message in read_po(handle, locale=code):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id in wanted and all(strings):
                    translated += 1
                    needs_review += message.fuzzy
    return TranslationStatus(code, autonym(code), language_in_english(code), len(wanted), translated, needs_review)


def content_status(code: str) -> TranslationStatus:
    """One language's translations of what admins write (schemes, Get help services, areas, partners), by field."""
    progress = translation_progress(code)
    return TranslationStatus(
        code,
        autonym(code),
        language_in_english(code),
        sum(item.fields for item in progress),
        sum(item.translated for item in progress),
        sum(item.needs_review for item in progress),
    )


@bp.route("/translations")
def translations():
    """Per language: the page text's strings, and the fields admins write, translated, still to translate, and marked
    for review by a native speaker."""
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    languages = [code for code in current_app.config["LANGUAGES"] if code != current_app.config["BABEL_DEFAULT_LOCALE"]]
    return render_template(
        "admin/translations.html",
        statuses=[translation_status(code, wanted) for code in languages],
        content_statuses=[content_status(code) for code in languages],
    )
