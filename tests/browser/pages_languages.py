"""Page states in the residents' other languages, and the admins' translation status page (merged into
PAGE_STATES in pages.py). Choosing a language is a link, as a resident would follow it."""

from tests.browser.pages import PageState, submit
from tests.browser.pages_admin import as_admin


def in_language(code: str, path: str):
    def reach(page):
        page.goto(f"/language?to={code}&next={path}")
        return page.goto(path)

    return reach


LANGUAGE_STATES = [
    PageState(
        "admin translations", "admin.translations", as_admin(lambda page: page.goto("/staff/admin/translations"))
    ),
    PageState(
        "admin content translations in Urdu",
        "admin.content_translations",
        as_admin(lambda page: page.goto("/staff/admin/translations/ur")),
    ),
    PageState(
        "admin translating a scheme into Urdu",
        "admin.translate_content",
        as_admin(lambda page: page.goto("/staff/admin/translations/ur/scheme/1")),
    ),
    PageState(
        "admin translating a service, with errors",
        "admin.translate_content",
        as_admin(submit("/staff/admin/translations/pl/service/1", {"#name": "x" * 201})),
        shows_errors=True,
    ),
    *(
        PageState(f"{name} in {language}", endpoint, in_language(code, path))
        for code, language in (("pl", "Polish"), ("ur", "Urdu"))
        for name, endpoint, path in (
            ("home page", "main.home", "/"),
            ("report start", "reporting.start", "/report-hate-incident/start"),
            ("volunteer schemes", "volunteering.schemes", "/volunteer/"),
        )
    ),
]
