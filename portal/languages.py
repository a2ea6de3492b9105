"""The languages residents can use the public pages in: which one a request is answered in, and how a
resident chooses another.

Staff and partner pages are always in English: a triage officer's queue must read the same for everyone.
A resident's choice lasts for the visit (it is kept in the session); until they choose, the browser's
Accept-Language is the first guess.
"""

from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from flask import current_app, has_request_context, request, session

SESSION_KEY = "language"
STAFF_PATHS = ("/staff", "/partner")
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ps", "ur", "yi"})


def offered() -> list[str]:
    """The languages configured (LANGUAGES), English first."""
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    """The language to answer this request in (Flask-Babel's locale selector)."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context() or request.path.startswith(STAFF_PATHS):
        return default
    chosen = session.get(SESSION_KEY)
    if chosen in offered():
        return chosen
    return request.accept_languages.best_match(offered()) or default


def offers_choice() -> bool:
    """Whether this page shows the language switcher: public pages do; staff and partner pages, and emails
    rendered outside a request, do not."""
    return has_request_context() and not request.path.startswith(STAFF_PATHS)


def text_direction(code: str) -> str:
    return "rtl" if code.split("_")[0] in RIGHT_TO_LEFT else "ltr"


@cache
def autonym(code: str) -> str:
    """A language named in itself ("Polski", "اردو"); worked out once, not on every page."""
    return Locale.parse(code).get_display_name(code).capitalize()


def language_choices(current: str) -> list[dict]:
    """Each language named in itself, for the switcher."""
    return [
        {"code": code, "name": autonym(code), "dir": text_direction(code), "current": code == current}
        for code in offered()
    ]


def safe_return_path(target: str | None) -> str:
    """Where to go back to after choosing: a path on this site only (never another host), else the home page."""
    if not target or any(ord(character) < 0x20 or ord(character) == 0x7F for character in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@lru_cache(maxsize=256)
def language_in_english(code: str | None) -> str:
    """A language's English name ("Polish"), for staff and partners who arrange an interpreter; worked out once
    (Babel looks for the locale's data file on disk each time)."""
    try:
        return Locale.parse(code or "en").get_display_name("en")
    except (ValueError, UnknownLocaleError):
        return code or ""


def check_languages(codes: list[str], default: str) -> str | None:
    """What is wrong with the configured languages, if anything: each must be a language Babel knows, with a
    catalogue (the default needs none), and the default must be offered, so residents can always go back."""
    if default not in codes:
        return f"{default} (the default) must be one of them"
    for code in codes:
        try:
            Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            return f"{code!r} is not a language code Babel knows (for example pl, ur or pt_BR)"
        catalogue = Path(__file__).resolve().parent / "translations" / code / "LC_MESSAGES" / "messages.po"
        if code != default and not catalogue.exists():
            return f"{code} has no catalogue in portal/translations"
    return None
