"""Exports and admin changes ask for the password and a security code again after REAUTH_MINUTES."""

import re
import time
from urllib.parse import unquote

import pytest

from portal.extensions import db as _db
from portal.models import AuditEvent, SignpostService
from tests.admin.test_signposting import VALID_SERVICE
from tests.conftest import STAFF_PASSWORD, csrf_token, make_referral, submit_form, totp_code

ADMIN_EMAIL = "admin.person@example.org"
NEW_SERVICE = "/staff/admin/signposting/new"


def password_given_minutes_ago(client, minutes: float) -> None:
    with client.session_transaction() as session:
        session["password_confirmed_at"] = int(time.time() - minutes * 60)


def export(client):
    page = client.get("/staff/queue").get_data(as_text=True)
    token = re.search(r'action="/staff/queue/export".*?name="csrf_token"[^>]*value="([^"]+)"', page, re.S).group(1)
    return client.post(
        "/staff/queue/export",
        data={"csrf_token": token, "tab": "new"},
        headers={"Referer": "http://localhost/staff/queue?tab=new"},
    )


def confirm(client, path: str, password=STAFF_PASSWORD, code=None):
    return submit_form(client, path, {"password": password, "code": code or totp_code(ADMIN_EMAIL)})


def test_export_within_the_time_needs_nothing_more(admin_client, demo_config):
    make_referral()
    password_given_minutes_ago(admin_client, 14)
    assert export(admin_client).mimetype == "text/csv"


def test_export_after_the_time_asks_for_the_password_and_a_code(admin_client, demo_config):
    make_referral()
    password_given_minutes_ago(admin_client, 16)
    response = export(admin_client)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert unquote(location) == "/staff/confirm-password?next=/staff/queue?tab=new"
    page = admin_client.get(location).get_data(as_text=True)
    assert "Confirm it is you" in page and "has not been saved" in page
    assert "Confirm your password before making this change" in page

    wrong = confirm(admin_client, location, password="not-my-password-at-all")
    assert "Enter a correct password and security code" in wrong.get_data(as_text=True)
    assert confirm(admin_client, location, code="000000").status_code == 200
    done = confirm(admin_client, location)
    assert done.headers["Location"] == "/staff/queue?tab=new"
    assert export(admin_client).mimetype == "text/csv"
    assert _db.session.execute(_db.select(AuditEvent).filter_by(action="reauthenticated")).scalar_one()


def test_an_admin_change_after_the_time_is_not_made(admin_client, demo_config):
    password_given_minutes_ago(admin_client, 16)
    assert admin_client.get(NEW_SERVICE).status_code == 200  # looking needs nothing more
    response = submit_form(
        admin_client, NEW_SERVICE, VALID_SERVICE, headers={"Referer": f"http://localhost{NEW_SERVICE}"}
    )
    assert unquote(response.headers["Location"]) == f"/staff/confirm-password?next={NEW_SERVICE}"
    assert _db.session.execute(_db.select(SignpostService).filter_by(name=VALID_SERVICE["name"])).first() is None
    assert admin_changes() == 0  # nothing changed, so nothing is recorded as a change
    assert confirm(admin_client, response.headers["Location"]).headers["Location"] == NEW_SERVICE
    assert submit_form(admin_client, NEW_SERVICE, VALID_SERVICE).status_code == 302
    assert _db.session.execute(_db.select(SignpostService).filter_by(name=VALID_SERVICE["name"])).first() is not None
    assert admin_changes() == 1


def admin_changes() -> int:
    from portal.models import AuditEvent

    query = _db.select(_db.func.count(AuditEvent.id)).filter_by(action="admin_change")
    return _db.session.execute(query).scalar_one()


@pytest.mark.parametrize("target", ["//evil.example", "https:evil.example", "/\\evil.example"])
def test_confirm_password_only_returns_to_our_own_pages(admin_client, target):
    password_given_minutes_ago(admin_client, 16)
    response = confirm(admin_client, f"/staff/confirm-password?next={target}")
    assert response.headers["Location"] == "/staff/queue"


def test_five_wrong_confirmations_sign_out(admin_client):
    for _ in range(5):
        response = confirm(admin_client, "/staff/confirm-password", password="not-my-password-at-all")
    assert response.headers["Location"] == "/staff/sign-in"
    assert admin_client.get("/staff/queue").headers["Location"].startswith("/staff/sign-in")


def test_confirm_page_needs_sign_in(client):
    assert client.get("/staff/confirm-password").headers["Location"].startswith("/staff/sign-in")


def test_the_confirm_page_has_a_token(admin_client):
    csrf_token(admin_client.get("/staff/confirm-password").get_data(as_text=True))
