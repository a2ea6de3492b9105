"""Question widgets drawn once and reused (portal/templating.py, widgets_drawn_once): each resident still sees
their own choices and errors, and nothing a resident typed is kept after their page is drawn."""

import re

import pytest

from portal.templating import _CannotKeep, _frozen
from tests.conftest import JOURNEY, journey_answers, submit_form, walk_journey


def kept(app) -> str:
    return " ".join(f"{key} {html}" for key, html in app.jinja_env.widgets.fragments.items())


def same_page(html: str) -> str:
    """The page without what differs on every drawing (the CSP nonce, the CSRF token)."""
    return re.sub(r'(nonce|name="csrf_token" type="hidden" value)="[^"]*"', r'\1=""', html)


def checked(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" type="(?:radio|checkbox)" value="([^"]+)" checked', html)


def test_nothing_a_resident_typed_is_kept(app, client):
    app.jinja_env.widgets.fragments.clear()
    answers = journey_answers(
        what_happened={"incident_types": ["verbal"], "description": "Quokka shouted at me at the bus stop."},
        address={"location": "Quokka Lane", "postcode": "PE1 1QQ", "area_choice": ""},
        witnesses={"witnesses": "yes", "witness_details": "Quokka the shopkeeper saw it"},
        contact={"wants_contact": "yes", "contact_name": "Quinn Quokka", "contact_email": "quinn.quokka@example.org"},
    )
    walk_journey(client, answers)
    for slug, shown in (
        ("what-happened", "Quokka shouted"),
        ("address", "Quokka Lane"),
        ("witnesses", "Quokka the shopkeeper"),
        ("contact", "Quinn Quokka"),
        ("when", 'value="2026"'),
    ):
        assert shown in client.get(f"{JOURNEY}/{slug}").get_data(as_text=True), slug
    assert "uokka" not in kept(app) and "PE1 1QQ" not in kept(app)
    assert "reporter_role" in kept(app)  # the choices were kept: the cache is in use


def test_each_resident_sees_their_own_choices_drawn_as_if_afresh(app, client):
    walk_journey(client, journey_answers(who={"reporter_role": "witness"}, hostility={"strands": ["race", "age"]}))
    other = app.test_client()
    walk_journey(other, journey_answers(who={"reporter_role": "victim"}))
    for _ in range(2):  # the second time from what was kept
        assert checked(client.get(f"{JOURNEY}/who").get_data(as_text=True), "reporter_role") == ["witness"]
        assert checked(other.get(f"{JOURNEY}/who").get_data(as_text=True), "reporter_role") == ["victim"]
        assert checked(client.get(f"{JOURNEY}/hostility").get_data(as_text=True), "strands") == ["race", "age"]
    from_kept = client.get(f"{JOURNEY}/hostility").get_data(as_text=True)
    app.jinja_env.widgets.fragments.clear()
    assert same_page(client.get(f"{JOURNEY}/hostility").get_data(as_text=True)) == same_page(from_kept)


def test_an_error_shows_only_on_the_page_that_has_it(app, client):
    walk_journey(client)
    refused = submit_form(client, f"{JOURNEY}/where", {})
    assert refused.status_code == 200 and "govuk-radios__input" in refused.get_data(as_text=True)
    assert "govuk-error-message" in refused.get_data(as_text=True)
    again = client.get(f"{JOURNEY}/where").get_data(as_text=True)
    assert "govuk-error-message" not in again and checked(again, "place_type") == ["public_transport"]


def test_keys_tell_apart_what_draws_differently():
    from markupsafe import Markup

    assert _frozen({"text": "<b>"}, html_allowed=True) != _frozen({"text": Markup("<b>")}, html_allowed=True)
    assert _frozen({"checked": True}, html_allowed=True) != _frozen({"checked": 1}, html_allowed=True)
    assert _frozen({"items": [{"a": 1}]}, html_allowed=True) != _frozen({"items": [{"a": 2}]}, html_allowed=True)
    with pytest.raises(_CannotKeep):
        _frozen({"html": Markup("<p>typed earlier</p>")}, html_allowed=False)
    with pytest.raises(_CannotKeep):
        _frozen({"value": object()}, html_allowed=True)
