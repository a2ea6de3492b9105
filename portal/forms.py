"""Form building blocks: a whitespace-stripping base form, GOV.UK-voiced validators, a date field."""

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import format_number, get_locale, get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import Field, PasswordField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import InputRequired, StopValidation, ValidationError

from portal.templating import draw_widget


def choices(pairs) -> list[SelectChoice]:
    """Radio, checkbox and select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def choice_values(field) -> set[str]:
    return {choice.value for choice in field.choices}


class _NoEmptyHint:
    """govuk-frontend-wtf gives radios and checkboxes an empty hint (and an aria-describedby that points
    at nothing useful) when the field has no description; drop it."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if not (params.get("hint") or {}).get("text"):
            params.pop("hint", None)
        return params


class _RenderedDirectly:
    """A field's GOV.UK macro rendered straight from the template environment. govuk-frontend-wtf uses Flask's
    render_template, which runs every context processor again (the language switcher's list, the signed-in
    user…) for each field, though the macros read nothing but their params: on a staff page with a dozen forms
    that was a third of the time. Autoescaping applies as in any .html template."""

    def render(self, params):
        return draw_widget(self.template, params)


class _InThePagesLanguage(_RenderedDirectly):
    """The GOV.UK macros say "Error:" before a field's error, hidden for screen readers, in English unless told
    otherwise; say it in the page's language. Every widget a form uses is one of the classes below."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if "errorMessage" in params:
            params["errorMessage"]["visuallyHiddenText"] = _("Error")
        return params


class TextInput(_InThePagesLanguage, GovTextInput):
    pass


class PasswordInput(_InThePagesLanguage, GovPasswordInput):
    pass


class TextArea(_InThePagesLanguage, GovTextArea):
    pass


class Select(_InThePagesLanguage, GovSelect):
    pass


class RadioInput(_NoEmptyHint, _InThePagesLanguage, GovRadioInput):
    pass


class CheckboxesInput(_NoEmptyHint, _InThePagesLanguage, GovCheckboxesInput):
    pass


class SubmitInput(_RenderedDirectly, GovSubmitInput):
    """A form's button."""


class CheckboxInput(_NoEmptyHint, _InThePagesLanguage, GovCheckboxInput):
    pass


def plural_forms(translate) -> dict[str, str]:
    """A message for each plural form the page's language has, for GOV.UK Frontend's JavaScript, which picks
    one by Intl.PluralRules (one, few, many, other…). `translate(n)` is the catalogue's ngettext for n; each
    form is looked up with a number that takes it (Polish: 1 one, 2 few, 5 many)."""
    rule = get_locale().plural_form
    forms = {}
    for form in [form for form in ("zero", "one", "two", "few", "many") if form in rule.tags] + ["other"]:
        example = next((number for number in range(1000) if rule(number) == form), 1000)
        forms[form] = translate(example)
    return forms


class CharacterCount(_InThePagesLanguage, GovCharacterCount):
    """The character count's hint and the messages its script updates as the resident types, in the page's
    language ("%{count}" is filled in by GOV.UK Frontend, on the server for the hint and in the browser)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        catalogue = get_translations()
        limit = params.get("maxlength")
        if limit:
            params.setdefault(
                "textareaDescriptionText",
                catalogue.ngettext(
                    "You can enter up to %{count} character", "You can enter up to %{count} characters", limit
                ),
            )
        params.setdefault(
            "charactersUnderLimitText",
            plural_forms(
                lambda n: catalogue.ngettext(
                    "You have %{count} character remaining", "You have %{count} characters remaining", n
                )
            ),
        )
        params.setdefault("charactersAtLimitText", _("You have 0 characters remaining"))
        params.setdefault(
            "charactersOverLimitText",
            plural_forms(
                lambda n: catalogue.ngettext(
                    "You have %{count} character too many", "You have %{count} characters too many", n
                )
            ),
        )
        return params


class StripWhitespaceForm(FlaskForm):
    """Cleans every text answer before validation: strips surrounding white space (not from passwords),
    turns the browser's CRLF line ends into LF (so the length matches the on-page character count), and
    drops NUL characters, which PostgreSQL cannot store."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            if issubclass(unbound_field.field_class, PasswordField):
                filters.append(clean_text)
            elif issubclass(unbound_field.field_class, StringField):
                filters.append(_clean_and_strip)
            return unbound_field.bind(form=form, filters=filters, **options)

        def get_translations(self, form):
            """WTForms' own messages in the page's language. Flask-WTF reads their catalogue from disk again for
            every request that builds a form; it never changes while the app runs, so each process reads it once
            for each language."""
            locale = get_locale()
            if locale is None or not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _wtforms_catalogue(str(locale))


@lru_cache(maxsize=32)  # one for each language the portal offers
def _wtforms_catalogue(locale: str) -> NullTranslations:
    """WTForms' catalogue for a language; an empty one (so English) where WTForms has none, as for Lithuanian."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


def clean_text(value):
    return value.replace("\x00", "").replace("\r\n", "\n") if isinstance(value, str) else value


def _clean_and_strip(value):
    value = clean_text(value)
    return value.strip() if isinstance(value, str) else value


def local_today() -> date:
    """Today in the partnership's time zone (not the server's), for 'not in the future' checks."""
    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/London")
    return datetime.now(ZoneInfo(zone)).date()


class OnlyWhen:
    """Validate a field only when another answer has a given value, e.g. contact details only when the
    resident said they may be contacted: a hidden question never blocks the form."""

    def __init__(self, other: str, value: str):
        self.other = other
        self.value = value

    def applies(self, form) -> bool:
        data = form[self.other].data
        return self.value in data if isinstance(data, list) else data == self.value

    def __call__(self, form, field):
        if not self.applies(form):
            field.errors[:] = []
            raise StopValidation()


class Required(InputRequired):
    """'Enter your postcode' / 'Select what happened': a GOV.UK error when an answer is missing.

    Sets no `required` flag: GOV.UK pages mark optional questions instead, and the attribute would make
    a screen reader announce every checkbox in a group as required."""

    def __init__(self, message=None, *, thing=None, choose=False):
        if message is None:
            message = _l("Select %(thing)s", thing=thing) if choose else _l("Enter %(thing)s", thing=thing)
        super().__init__(message=message)
        self.field_flags = {}

    def __call__(self, form, field):
        data = field.data
        if data is None or data == "" or data == [] or (isinstance(data, str) and not data.strip()):
            field.errors[:] = []
            raise StopValidation(self.message)


class MaxLength:
    """'Description must be 5,000 characters or fewer'."""

    def __init__(self, limit: int, *, thing: str):
        self.limit = limit
        self.thing = thing

    def __call__(self, form, field):
        if field.data and len(field.data) > self.limit:
            raise ValidationError(
                _l("%(thing)s must be %(limit)s characters or fewer", thing=self.thing, limit=format_number(self.limit))
            )


class Email:
    """A well-formed email address (format only; nothing is looked up on the network)."""

    message = _l("Enter an email address in the correct format, like name@example.com")

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            validate_email(field.data, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(self.message) from None


class DateInput(_InThePagesLanguage, GovDateInput):
    """GOV.UK date input with translated Day / Month / Year labels and ids the error summary links to."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        labels = {"day": _l("Day"), "month": _l("Month"), "year": _l("Year")}
        for item, part in zip(params["items"], ("day", "month", "year"), strict=False):
            item["label"] = labels[part]
            item["autocomplete"] = "off"
        return params


# Written out so that extraction finds them: the word for each box, inside "… must include a day".
DATE_PARTS = {"day": _l("day"), "month": _l("month"), "year": _l("year")}


class GovukDateField(Field):
    """A date typed into the GOV.UK date input (day, month and year boxes).

    Keeps whatever was typed, so a page shown again with an error still shows the resident's answer,
    and turns anything that is not a real date into a GOV.UK error message instead of an exception.
    """

    widget = DateInput()

    def __init__(
        self, label=None, validators=None, *, thing: str = "", not_in_future: bool = False, is_birthday=False, **kwargs
    ):
        super().__init__(label, validators, **kwargs)
        self.is_birthday = is_birthday
        self.thing = thing
        self.not_in_future = not_in_future
        self.first_error_part = "day"

    def process_formdata(self, valuelist):
        parts = [(value or "").strip()[:10] for value in list(valuelist)[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        day, month, year = parts
        for name, value in (("day", day), ("month", month), ("year", year)):
            if not value:
                self.first_error_part = name
                raise ValueError(_l("%(thing)s must include a %(part)s", thing=self.thing, part=DATE_PARTS[name]))
        try:
            self.data = date(int(year), int(month), int(day))
        except (TypeError, ValueError, OverflowError):
            self.first_error_part = "day"
            raise ValueError(_l("%(thing)s must be a real date", thing=self.thing)) from None
        if len(year) != 4:
            self.first_error_part = "year"
            self.data = None
            raise ValueError(_l("Year must include 4 numbers"))

    def _value(self):
        return self.raw_data

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # keep the error about what was typed; skip "Enter the date"
        if self.data and self.not_in_future and self.data > local_today():
            raise StopValidation(_l("%(thing)s must be today or in the past", thing=self.thing))
