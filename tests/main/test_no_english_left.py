"""No English left on a resident's page in another language. Every public page, and every question page's
error state, is rendered in Polish and read as a resident would (text, and the aria-label, title, alt and
placeholder a screen reader speaks); any piece that is still English fails. This catches what the template
check (test_translations_wrapped.py) cannot: strings from Python left unwrapped, and English defaults inside
the GOV.UK macros (the hidden "Error:" before a field's error, the character count's messages).

What a resident typed is allowed to come back as it was written, and so are the things admins enter that are
not for translating (web and email addresses). Scheme, service, area and partner names and descriptions are read
like the rest: the demo's are translated (portal/seed_translations), so English there fails too."""

import re
from html.parser import HTMLParser

import pytest
from flask import current_app
from sqlalchemy import String

from portal.content import SUBJECTS
from portal.extensions import db
from tests.conftest import JOURNEY, JOURNEY_ANSWERS, submit_form
from tests.volunteering import SIGN_UP, VOLUNTEER

# Words that only English uses among the portal's languages: a piece of text in which nearly a third of the
# words are among them is English.
ENGLISH = set(
    """the and you your of is are for this that with what when where who how we our it not or if can will be
    have has at from enter select error back skip main content continue change page help report characters
    character remaining too many more than exit cookies privacy day month year must send submit there their
    they about which been should please any all""".split()
)
WORD = re.compile(r"[^\W\d_]+")
# Email and web addresses, references and postcodes are the same in every language.
SAME_IN_EVERY_LANGUAGE = re.compile(
    r"\S+@\S+|https?://\S+|www\.\S+|\b[A-Z]{2,4}-[A-Z0-9]{4,}\b|\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b"
)
LATIN_SCRIPT = {"pl", "lt", "ro", "pt"}
SPOKEN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
NOT_READ = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class SpokenText(HTMLParser):
    """The pieces of text a resident reads or hears on a page in `language`. Parts marked with another
    language (lang="en" on the switcher's "English") are meant to be in that language and are skipped."""

    def __init__(self, language: str):
        super().__init__()
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, in another language or not read)
        self.pieces: list[str] = []

    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        skip = self.skipping() or tag in NOT_READ or (lang is not None and tag != "html" and lang != self.language)
        if not skip:
            self.pieces += [attrs[name] for name in SPOKEN_ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.pieces.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.skipping() and data.strip():
            self.pieces.append(" ".join(data.split()))


def english_pieces(html: str, allowed: list[str], language: str = "pl") -> list[str]:
    parser = SpokenText(language)
    parser.feed(html)
    return [piece for piece in parser.pieces if is_english(piece, allowed, language)]


def is_english(piece: str, allowed: list[str], language: str) -> bool:
    piece = SAME_IN_EVERY_LANGUAGE.sub(" ", piece)  # before names, which may be part of an address
    for name in allowed:
        piece = piece.replace(name, " ")
    words = WORD.findall(piece)
    if not words:
        return False
    if language in LATIN_SCRIPT:
        # A name in English inside a translated sentence ("Victim and Witness Hub") is not English left.
        return sum(word.lower() in ENGLISH for word in words) / len(words) >= 0.3
    # Urdu and Punjabi: English is a piece with nothing in the language's own script.
    return all(word.isascii() for word in words)


def as_written() -> list[str]:
    """What residents typed in these tests and what admins entered: allowed back as written."""
    typed = {
        value
        for answers in (JOURNEY_ANSWERS, SIGN_UP)
        for page in answers.values()
        for values in page.values()
        for value in (values if isinstance(values, list) else [values])
        if len(value) > 3
    }
    entered = set()  # what admins enter that is not for translating: slugs, web addresses, email addresses
    for subject in SUBJECTS.values():
        columns = [
            column.key
            for column in subject.model.__table__.columns
            if isinstance(column.type, String) and column.key not in subject.fields
        ]
        for row in db.session.execute(db.select(subject.model)).scalars():
            for value in (getattr(row, column) for column in columns):
                entered |= set(value.splitlines()) if isinstance(value, str) else set()  # shown line by line
    configured = {current_app.config[name] for name in ("PARTNERSHIP_NAME", "DATA_CONTROLLER_NAME")}
    # Longest first, so a name is taken out of a sentence before a shorter name inside it.
    return sorted(
        {" ".join(text.split()) for text in typed | entered | configured if len(text) > 3}, key=len, reverse=True
    )


class Reader:
    """A resident's browser in `language` that reads every page it is shown."""

    def __init__(self, client, language: str):
        self.client, self.language = client, language
        self.client.get(f"/language?to={language}&next=/")
        self.allowed = as_written()
        self.problems: dict[str, list[str]] = {}

    def read(self, label: str, response) -> None:
        assert response.status_code == 200, f"{label}: {response.status_code}"
        found = english_pieces(response.get_data(as_text=True), self.allowed, self.language)
        if found:
            self.problems[label] = found

    def page(self, path: str) -> None:
        self.read(path, self.client.get(path))

    def question(self, path: str, answers: dict) -> str:
        """Read the question, then its error state when sent empty, then answer it; returns where it leads."""
        self.page(path)
        empty = submit_form(self.client, path, {})
        if empty.status_code == 200:
            self.read(f"{path} (sent empty)", empty)
        response = submit_form(self.client, path, answers)
        assert response.status_code == 302, f"{path}: {response.status_code}"
        return response.headers["Location"]


@pytest.mark.parametrize("language", ["pl", "ur"])
def test_no_english_is_left_on_the_public_pages(client, demo_config, language):
    reader = Reader(client, language)
    for path in ("/", "/get-help", "/privacy", "/accessibility", "/contact", "/figures", f"{VOLUNTEER}/"):
        reader.page(path)

    reader.page(f"{JOURNEY}/")
    location = reader.question(f"{JOURNEY}/", {"in_danger": "no"})
    reader.page(location)
    location = f"{JOURNEY}/{next(iter(JOURNEY_ANSWERS))}"
    while not location.endswith("/check-answers"):
        location = reader.question(location, JOURNEY_ANSWERS.get(location.rsplit("/", 1)[1], {}))
    reader.page(location)
    location = submit_form(client, location, {}).headers["Location"]
    reader.page(location)

    scheme = "neighbourhood-watch"
    reader.page(f"{VOLUNTEER}/{scheme}/")
    location = client.get(f"{VOLUNTEER}/{scheme}/start").headers["Location"]
    while (page := location.rsplit("/", 1)[1].split("?")[0]) in SIGN_UP:
        location = reader.question(location, SIGN_UP[page])
    reader.page(location)
    location = submit_form(client, location, {}).headers["Location"]
    reader.page(location)

    assert not reader.problems, f"English left on pages in {language}:\n" + "\n".join(
        f"{page}: {pieces}" for page, pieces in reader.problems.items()
    )


def test_the_reader_finds_english():
    html = (
        '<html lang="pl"><body><p>Wpisz datę</p><span class="govuk-visually-hidden">Error:</span>'
        '<a lang="en" href="/language?to=en">English</a><button aria-label="Skip to main content"></button>'
        "<p>Two men shouted</p><script>var the = 1;</script></body></html>"
    )
    assert english_pieces(html, allowed={"Two men shouted at me"}) == ["Error:", "Skip to main content"]
