"""The forms' building blocks: WTForms' own messages come in the page's language, read from disk once per process."""

import pytest
from babel.support import Translations

from portal.forms import _wtforms_catalogue
from portal.reporting.forms import WhoForm
from tests.conftest import make_referral

EMERGENCY_PAGE = "/report-hate-incident/"


def not_a_valid_choice_in(app, language: str) -> str:
    """WTForms' own message for an answer that is not one of the options, from a question of the report on a page
    asked for in `language` (in its own app context, as each request has, so the language is this page's)."""
    with app.app_context(), app.test_request_context(EMERGENCY_PAGE, headers={"Accept-Language": language}):
        return WhoForm(formdata=None).reporter_role.gettext("Not a valid choice.")


@pytest.fixture
def wtforms_catalogue_loads(monkeypatch):
    """The languages whose WTForms catalogue is read from disk while the test runs, starting from none read."""
    loads, load = [], Translations.load

    def counting_load(cls, dirname=None, locales=None, domain=None):
        if domain == "wtforms":
            loads.append([str(locale) for locale in locales])
        return load(dirname, locales, domain)

    monkeypatch.setattr(Translations, "load", classmethod(counting_load))
    _wtforms_catalogue.cache_clear()
    yield loads
    _wtforms_catalogue.cache_clear()


@pytest.mark.parametrize(
    ("language", "not_a_valid_choice"), [("pl", "Nieprawidłowy wybór"), ("pt", "Escolha inválida."), ("en", None)]
)
def test_wtforms_messages_are_in_the_pages_language(app, language, not_a_valid_choice):
    assert not_a_valid_choice_in(app, language) == (not_a_valid_choice or "Not a valid choice.")


def test_the_catalogue_is_read_once_for_each_language_not_on_every_request(
    app, signed_in, demo_config, wtforms_catalogue_loads
):
    """The referral page (in English, as staff pages are) has fields without a label, which WTForms names through
    its catalogue: Flask-WTF read it from disk again for each page."""
    referral_page = f"/staff/referrals/{make_referral().reference}"
    for path, language in [(referral_page, "en"), (referral_page, "en"), (EMERGENCY_PAGE, "pl")] * 2:
        assert signed_in.get(path, headers={"Accept-Language": language}).status_code == 200
    assert signed_in.get(EMERGENCY_PAGE, headers={"Accept-Language": "pt"}).status_code == 200
    assert wtforms_catalogue_loads == [["en"], ["pl"], ["pt"]]


def test_without_wtforms_i18n_the_messages_stay_in_english(app, monkeypatch, wtforms_catalogue_loads):
    monkeypatch.setitem(app.config, "WTF_I18N_ENABLED", False)
    assert not_a_valid_choice_in(app, "pl") == "Not a valid choice."
    assert wtforms_catalogue_loads == []
