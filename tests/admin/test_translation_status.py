"""The admins' translation status page: per language, strings translated and still needing review."""

from babel.messages.pofile import read_po

from portal.admin import translations
from portal.admin.translations import translation_status


def test_the_status_page_shows_each_language_and_what_needs_review(admin_client):
    html = admin_client.get("/staff/admin/translations").get_data(as_text=True)
    for name in ("Polski", "Lietuvių", "Română", "Português", "اردو", "ਪੰਜਾਬੀ"):
        assert name in html
    # Every draft translation needs review: the count is in the table, not just the explanation above it.
    with open(translations.TRANSLATIONS / "messages.pot", "rb") as handle:
        strings = sum(1 for message in read_po(handle) if message.id)
    assert html.count(f'<td class="govuk-table__cell">{strings}</td>') == 6


def test_a_catalogue_is_counted_against_the_template(tmp_path, monkeypatch):
    catalogue = tmp_path / "fr" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    (catalogue / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "One"\nmsgstr "Un"\n\n#, fuzzy\nmsgid "Two"\nmsgstr "Deux"\n\nmsgid "Three"\nmsgstr ""\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(translations, "TRANSLATIONS", tmp_path)
    status = translation_status("fr", {"One", "Two", "Three", "Four"})
    assert (status.strings, status.translated, status.needs_review, status.missing) == (4, 2, 1, 2)
    assert (status.name, status.english_name, status.coverage) == ("Français", "French", 50)
