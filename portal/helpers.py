"""Template helpers shared by every blueprint."""

import re
from datetime import date, datetime, tzinfo
from functools import lru_cache

from babel import Locale
from babel import dates as babel_dates
from flask_babel import format_date as babel_format_date
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from markupsafe import Markup, escape
from wtforms import Form

from portal.forms import GovukDateField


def error_summary(form: Form) -> dict:
    """Params for govukErrorSummary: one entry per field in error, linking to the field to fix."""
    items = []
    for field in form:
        if not field.errors:
            continue
        text, href = field.errors[0], f"#{field.id}"
        if field.name == "csrf_token":
            text = _(
                "We could not check that this form came from you, because the page was open for a long time "
                "or your browser blocked cookies. Your answers are below: check them and send the form again."
            )
            href = "#main-content"
        elif isinstance(field, GovukDateField):
            href = f"#{field.id}-{field.first_error_part}"
        items.append({"text": text, "href": href})
    return {"titleText": _("There is a problem"), "errorList": items}


def format_datetime(value: datetime | None) -> str:
    """A timestamp in the partnership's time zone, e.g. '24 Nov 2026, 14:05'."""
    if value is None:
        return ""
    return _formatted_datetime(value, get_locale(), get_timezone())


@lru_cache(maxsize=1024)  # about 300 bytes each
def _formatted_datetime(value: datetime, locale: Locale, zone: tzinfo) -> str:
    """Babel works a timestamp's words out afresh each time (a tenth of the queue page's time, two per row): the
    same moment in the same language and zone always reads the same, and a queue shows the same rows all day."""
    return babel_dates.format_datetime(value, "d MMM yyyy, HH:mm", tzinfo=zone, locale=locale)


def format_date(value: date | None) -> str:
    if value is None:
        return ""
    return babel_format_date(value, "d MMMM yyyy")


# A phone number written in groups, an email address, a web address: read left to right in every language.
LEFT_TO_RIGHT = re.compile(r"\+?\d+(?: \d+)+|[^\s@]+@[^\s@]+\.\w+|(?:https?://|www\.)[^\s]*[^\s.,;:)]")


def in_reading_order(value) -> Markup:
    """Text with its phone numbers, email and web addresses kept left to right. In right-to-left text the browser
    would otherwise swap the groups of a number around a space, showing an Urdu reader 960100 01632."""
    text, pieces, done = str(value), [], 0
    for match in LEFT_TO_RIGHT.finditer(text):
        pieces += [escape(text[done : match.start()]), Markup('<span dir="ltr">{}</span>').format(match.group(0))]
        done = match.end()
    return Markup("").join([*pieces, escape(text[done:])])


def plain_text(value) -> str:
    """An answer for a plain-text email: a list shown with line breaks becomes a list with semicolons."""
    if isinstance(value, Markup):
        return value.replace(Markup("<br>"), Markup("; ")).striptags()
    return str(value)
