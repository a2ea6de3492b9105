"""Page states in the residents' other languages, and the admins' translation status page (merged into
PAGE_STATES in pages.py). Choosing a language is a link, as a resident would follow it."""

from tests.browser.pages import PageState
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
