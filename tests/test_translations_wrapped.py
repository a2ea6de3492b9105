"""Nothing residents read is left out of translation: every piece of text in the public templates, and every
aria-label, title, alt and placeholder, goes through _(). (Python strings are checked by review and by the
catalogue test: anything wrapped but missing from messages.pot fails test_translations.py.)"""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "portal" / "templates"
PUBLIC = [
    "layouts/base.html",
    "layouts/journey.html",
    "reporting/**/*.html",
    "volunteering/**/*.html",
    "main/**/*.html",
    "errors/**/*.html",
    "includes/answers.html",
    "insights/figures.html",
]
COMMENT_OR_STATEMENT = re.compile(r"\{#.*?#\}|\{%.*?%\}", re.S)
TAG = re.compile(r"<[^>]*>", re.S)
TEXT_ATTRIBUTE = re.compile(r'\b(?:aria-label|title|alt|placeholder)="([^"{]*[A-Za-z][^"{]*)"')
WORDS = re.compile(r"[A-Za-z][A-Za-z'’]+(?:\s+[A-Za-z'’]+)*")


def without_expressions(text: str) -> str:
    """The template with every {{ … }} removed, counting braces (an expression can hold a dict literal)."""
    out, index = [], 0
    while (start := text.find("{{", index)) != -1:
        out.append(text[index:start])
        depth, position = 0, start
        while position < len(text):
            if text[position] == "{":
                depth += 1
            elif text[position] == "}":
                depth -= 1
                if depth == 0:
                    break
            position += 1
        index = position + 1
    out.append(text[index:])
    return " ".join(out)


def public_templates() -> list[Path]:
    return sorted({path for pattern in PUBLIC for path in TEMPLATES.glob(pattern)})


@pytest.mark.parametrize("path", public_templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_every_word_in_a_public_template_is_translatable(path):
    template = without_expressions(COMMENT_OR_STATEMENT.sub(" ", path.read_text()))
    unwrapped = WORDS.findall(TAG.sub(" ", template)) + TEXT_ATTRIBUTE.findall(template)
    assert not unwrapped, f"text not wrapped in _(): {unwrapped[:5]}"


def test_the_check_finds_unwrapped_text():
    template = '<p class="govuk-body">{{ _("Wrapped") }} Not wrapped</p><a aria-label="Bare label"></a>'
    stripped = without_expressions(template)
    assert WORDS.findall(TAG.sub(" ", stripped)) == ["Not wrapped"]
    assert TEXT_ATTRIBUTE.findall(stripped) == ["Bare label"]
