"""The template environment's globals and the layout parts drawn once (portal/templating.py): each page still
shows what belongs to it, in its language, for its address and for its own app."""

import re

from config import TestConfig
from portal import create_app
from portal.templating import FragmentCache


def active_navigation(html: str) -> str:
    match = re.search(r'govuk-service-navigation__item--active">\s*<a [^>]*>\s*<strong[^>]*>([^<]+)<', html)
    return match.group(1).strip()


def test_a_fragment_is_drawn_once_per_key_and_the_cache_starts_again_when_full():
    cache, drawn = FragmentCache(size=2), []

    def draw(text):
        def caller():
            drawn.append(text)
            return f"<p>{text}</p>"

        return caller

    assert cache("a", caller=draw("first")) == "<p>first</p>"
    assert cache("a", caller=draw("second")) == "<p>first</p>"
    assert cache("b", caller=draw("third")) == "<p>third</p>"
    assert drawn == ["first", "third"]
    cache("c", caller=draw("fourth"))  # full: the two kept are forgotten
    assert cache.fragments.keys() == {("c",)}
    assert cache("a", caller=draw("fifth")) == "<p>fifth</p>"


def test_the_navigation_marks_the_section_each_page_is_in(client):
    assert active_navigation(client.get("/report-hate-incident/").get_data(as_text=True)) == "Report a hate incident"
    assert active_navigation(client.get("/volunteer/").get_data(as_text=True)) == "Volunteer"
    assert active_navigation(client.get("/get-help").get_data(as_text=True)) == "Get help"
    assert "govuk-service-navigation__item--active" not in client.get("/").get_data(as_text=True)


def test_the_language_links_come_back_to_the_page_they_are_on(client):
    for path in ("/get-help", "/volunteer/", "/report-hate-incident/start", "/get-help?area=2"):
        html = client.get(path).get_data(as_text=True)
        links = set(re.findall(r'href="/language\?to=\w+&amp;next=([^"]+)"', html))
        assert links == {path.replace("=", "%3D")}, (path, links)


def test_the_header_and_footer_follow_the_pages_language(client):
    for language, shown, not_shown in (
        ("en", "Privacy notice", "Informacja o ochronie prywatności"),
        ("pl", "Informacja o ochronie prywatności", "Privacy notice"),
        ("en", "Privacy notice", "Informacja o ochronie prywatności"),
    ):
        html = client.get("/get-help", headers={"Accept-Language": language}).get_data(as_text=True)
        assert shown in html and not_shown not in html, language
        assert ("Report a hate incident" in html) == (language == "en")


def test_each_app_draws_its_own_layout(client, tmp_path):
    class Elsewhere(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"
        PARTNERSHIP_NAME = "Made-up Valley Community Safety Partnership"

    other = create_app(Elsewhere)
    ours = client.get("/accessibility").get_data(as_text=True)
    theirs = other.test_client().get("/accessibility").get_data(as_text=True)
    assert "Made-up Valley Community Safety Partnership" in theirs
    assert "Made-up Valley" not in ours


def test_a_global_added_after_a_template_was_loaded_is_still_seen(app):
    template = app.jinja_env.from_string("{{ added_later() }}")
    app.jinja_env.globals["added_later"] = lambda: "seen"
    try:
        with app.test_request_context("/"):
            assert template.render() == "seen"
            assert "added_later" in template.globals and template.globals["added_later"]() == "seen"
            assert "added_later" in template.globals.keys()
    finally:
        del app.jinja_env.globals["added_later"]


def test_the_staff_navigation_drawn_once_carries_each_officers_own_token(app, officer, admin):
    """The staff navigation and the idle warning are drawn once for each page and role, but every sign-out form in
    them carries the CSRF token of the officer asking, which signs that officer out, and only the admin's shows
    the admin section."""
    from tests.conftest import sign_in

    pages = {}
    for email in ("officer@example.org", "admin.person@example.org"):
        client = app.test_client()
        assert sign_in(client, email=email).status_code == 302
        html = client.get("/staff/queue").get_data(as_text=True)
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
        tokens |= set(re.findall(r'data-csrf-token="([^"]+)"', html))
        assert len(tokens) == 1 and "slot" not in html, email
        pages[email] = (client, tokens.pop(), html)

    (officer_client, officer_token, officer_html), (admin_client, admin_token, admin_html) = pages.values()
    assert officer_token != admin_token
    assert 'href="/staff/admin/signposting"' in admin_html and "/staff/admin/" not in officer_html
    assert any(("staff-navigation",) == key[:1] for key in app.jinja_env.token_fragments.fragments)
    assert admin_client.post("/staff/sign-out", data={"csrf_token": officer_token}).status_code == 400
    assert officer_client.post("/staff/sign-out", data={"csrf_token": officer_token}).status_code == 302
    assert officer_client.get("/staff/queue").status_code == 302  # signed out
    assert admin_client.get("/staff/queue").status_code == 200
