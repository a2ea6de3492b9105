"""Public information pages, the layout, and the health check."""

import pytest

from config import TestConfig
from portal import create_app

PUBLIC_PAGES = [
    "/",
    "/get-help",
    "/volunteer/",
    "/privacy",
    "/accessibility",
    "/contact",
    "/report-hate-incident/",
    "/staff/sign-in",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_render_with_our_own_assets(client, url):
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "/static/build/portal.css" in page
    assert "/static/js/portal.mjs" in page
    assert 'href="#main-content"' in page  # skip link
    assert "Safer Peterborough Partnership" in page


def test_home_offers_the_three_things_and_emergency_numbers(client):
    page = client.get("/").get_data(as_text=True)
    for text in ("Report a hate incident", "Volunteer", "Get help", "999", "101", "18001"):
        assert text in page
    for link in ("/privacy", "/accessibility", "/contact"):
        assert f'href="{link}"' in page


def test_layout_has_no_gov_uk_branding(client):
    page = client.get("/").get_data(as_text=True)
    assert "Crown copyright" not in page
    assert "govuk-logo" not in page
    assert "GOV.UK" not in page


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    class Unreachable(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/missing-folder/db.sqlite"

    response = create_app(Unreachable).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}


def test_production_refuses_to_start_without_a_secret_key():
    class Production(TestConfig):
        SECRET_KEY = None

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Production)


def test_css_is_served_by_us(client):
    response = client.get("/static/build/portal.css")
    assert response.status_code == 200
    css = response.get_data(as_text=True)
    assert "govuk-button" in css
    assert "GDS Transport" not in css
    assert client.get("/static/build/govuk-frontend.min.js").status_code == 200
