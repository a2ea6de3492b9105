"""The public pages' translations: every catalogue has every string residents can see, with the same
placeholders and markup as the English, and the template (messages.pot) is up to date with the code.

Coverage per language is printed (pytest -s) and shown to admins at /staff/admin/translations.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from config import Config

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "portal" / "translations"
LANGUAGES = [code for code in Config.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|%\{\w+\}")  # %{count}: filled in by GOV.UK Frontend
TAG = re.compile(r"</?([a-z]+)")


def catalogue(code: str):
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=code)


def template():
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        return read_po(handle)


def texts(message) -> list[str]:
    return [text for text in (message.string if isinstance(message.string, tuple) else (message.string,)) if text]


def originals(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def test_the_template_is_up_to_date_with_the_code(tmp_path):
    """A string added or changed in a public page without `make translations` fails here."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "ngettext:1,2",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(fresh, "rb") as handle:
        current = {message.id for message in read_po(handle) if message.id}
    assert current == {message.id for message in template() if message.id}


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_string_is_translated(code, capsys):
    wanted = {message.id for message in template() if message.id}
    translations = {message.id: message for message in catalogue(code) if message.id}
    missing = sorted(str(key) for key in wanted if key not in translations or not texts(translations[key]))
    review = sum(1 for key in wanted if key in translations and translations[key].fuzzy)
    with capsys.disabled():
        done = len(wanted) - len(missing)
        print(f"\n{code}: {done}/{len(wanted)} strings translated ({done * 100 // len(wanted)}%), {review} need review")
    assert not missing, f"{code} is missing {len(missing)} strings, for example {missing[:3]}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_the_placeholders_and_the_markup(code):
    problems = []
    for message in catalogue(code):
        if not message.id:
            continue
        source = " ".join(originals(message))
        for text in texts(message):
            if sorted(set(PLACEHOLDER.findall(text))) != sorted(set(PLACEHOLDER.findall(source))):
                problems.append(f"placeholders differ: {message.id!r}")
            if sorted(TAG.findall(text)) != sorted(TAG.findall(originals(message)[0])):
                problems.append(f"markup differs: {message.id!r}")
    assert not problems, "\n".join(problems[:10])
