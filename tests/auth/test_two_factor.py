"""Two-factor authentication: setting it up, security codes, recovery codes, and the half-signed-in state."""

import re
import time

import pyotp
import pytest

from portal.auth.service import create_staff
from portal.extensions import db as _db
from portal.models import AuditEvent, StaffRole, StaffUser
from tests.conftest import STAFF_PASSWORD, TOTP_SECRET, csrf_token, submit_form, totp_code

NEW_EMAIL = "new.starter@example.org"


@pytest.fixture
def new_starter(db):
    """An account that has never signed in, so has not set up two-factor yet."""
    user = create_staff(NEW_EMAIL, "Nia New", STAFF_PASSWORD, StaffRole.TRIAGER)
    db.session.commit()
    return user


def password_step(client, email="officer@example.org", password=STAFF_PASSWORD):
    return submit_form(client, "/staff/sign-in", {"email": email, "password": password})


def set_up(client):
    """Sign in as the new starter, set up two-factor; returns (secret, the recovery codes shown)."""
    assert password_step(client, NEW_EMAIL).headers["Location"].endswith("/staff/sign-in/set-up-two-factor")
    page = client.get("/staff/sign-in/set-up-two-factor").get_data(as_text=True)
    secret = re.search(r'id="setup-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    shown = submit_form(client, "/staff/sign-in/set-up-two-factor", {"code": pyotp.TOTP(secret).now()})
    assert shown.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", shown.get_data(as_text=True))
    return secret, codes, shown


def test_the_password_alone_reaches_no_staff_page(client, officer):
    assert password_step(client).headers["Location"].endswith("/staff/sign-in/security-code")
    for path in ("/staff/queue", "/staff/admin/signposting", "/staff/account/password", "/staff/confirm-password"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in"), path


def test_full_sign_in_with_a_real_code(client, officer):
    password_step(client)
    page = client.get("/staff/sign-in/security-code").get_data(as_text=True)
    assert "Enter your security code" in page and "Use a recovery code" in page
    response = submit_form(client, "/staff/sign-in/security-code", {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert response.headers["Location"] == "/staff/queue"
    assert client.get("/staff/queue").status_code == 200
    assert _db.session.execute(_db.select(AuditEvent.action).filter_by(action="sign_in")).scalar_one()


@pytest.mark.parametrize("code", ["000000", "12345", "abcdef", "1234567"])
def test_a_wrong_code_is_refused(client, officer, code):
    password_step(client)
    response = submit_form(client, "/staff/sign-in/security-code", {"code": code})
    assert response.status_code == 200
    assert "The security code is not correct" in response.get_data(as_text=True)
    assert client.get("/staff/queue").status_code == 302


def test_a_code_cannot_be_used_twice(app, client, officer):
    code = totp_code(officer.email)
    password_step(client)
    assert submit_form(client, "/staff/sign-in/security-code", {"code": code}).status_code == 302
    other = app.test_client()
    password_step(other)
    replay = submit_form(other, "/staff/sign-in/security-code", {"code": code})
    assert "The security code is not correct" in replay.get_data(as_text=True)


def test_the_half_signed_in_state_expires_after_5_minutes(client, officer):
    password_step(client)
    with client.session_transaction() as session:
        session["pending_sign_in"] = {**session["pending_sign_in"], "expires": int(time.time()) - 1}
    response = submit_form(client, "/staff/sign-in", {}, action="/staff/sign-in/security-code")
    assert response.headers["Location"] == "/staff/sign-in"
    assert "Your sign-in has ended" in client.get("/staff/sign-in").get_data(as_text=True)


def test_the_code_page_without_a_password_goes_to_sign_in(client, officer):
    assert client.get("/staff/sign-in/security-code").headers["Location"] == "/staff/sign-in"
    assert client.get("/staff/sign-in/set-up-two-factor").headers["Location"] == "/staff/sign-in"


def test_first_sign_in_sets_up_two_factor_with_a_qr_code(client, new_starter):
    password_step(client, NEW_EMAIL)
    page = client.get("/staff/sign-in/set-up-two-factor").get_data(as_text=True)
    assert '<svg role="img" aria-label="QR code to set up your authenticator app"' in page and "<path" in page
    secret = re.search(r'id="setup-key">([A-Z2-7 ]+)<', page).group(1)
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", secret)
    assert client.get("/staff/queue").status_code == 302  # not signed in yet
    # The same secret on a reload, and it is not switched on until a code proves the app works.
    assert secret in client.get("/staff/sign-in/set-up-two-factor").get_data(as_text=True)
    assert _db.session.get(StaffUser, new_starter.id).mfa_enabled_at is None


def test_set_up_shows_ten_recovery_codes_once_then_signs_in(client, new_starter):
    secret, codes, shown = set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "You will not see these codes again" in shown.get_data(as_text=True)
    user = _db.session.get(StaffUser, new_starter.id)
    assert user.mfa_enabled_at is not None and user.totp_secret == secret
    stored = [recovery.code_hash for recovery in user.recovery_codes]
    assert len(stored) == 10 and not any(code.replace("-", "") in "".join(stored) for code in codes)
    assert client.get("/staff/queue").status_code == 302  # still not signed in until they say they saved them
    token = csrf_token(shown.get_data(as_text=True))
    response = client.post("/staff/sign-in/recovery-codes-saved", data={"csrf_token": token})
    assert response.headers["Location"] == "/staff/queue"
    assert client.get("/staff/queue").status_code == 200
    actions = set(_db.session.execute(_db.select(AuditEvent.action)).scalars())
    assert {"mfa_enrolled", "sign_in"} <= actions


def test_set_up_with_a_wrong_code(client, new_starter):
    password_step(client, NEW_EMAIL)
    response = submit_form(client, "/staff/sign-in/set-up-two-factor", {"code": "000000"})
    assert "The security code is not correct" in response.get_data(as_text=True)
    assert _db.session.get(StaffUser, new_starter.id).mfa_enabled_at is None


def test_codes_saved_cannot_skip_set_up(client, new_starter):
    password_step(client, NEW_EMAIL)
    response = submit_form(client, "/staff/sign-in/set-up-two-factor", {}, action="/staff/sign-in/recovery-codes-saved")
    assert response.headers["Location"] == "/staff/sign-in"
    assert client.get("/staff/queue").status_code == 302


def test_a_recovery_code_works_once(app, client, new_starter):
    _secret, codes, _shown = set_up(client)
    for attempt in range(2):
        other = app.test_client()
        password_step(other, NEW_EMAIL)
        assert "Use a recovery code" in other.get("/staff/sign-in/security-code").get_data(as_text=True)
        response = submit_form(other, "/staff/sign-in/recovery-code", {"code": codes[0].upper()})
        if attempt == 0:
            assert response.headers["Location"] == "/staff/queue"
            assert other.get("/staff/queue").status_code == 200
        else:
            assert "The recovery code is not correct or has been used" in response.get_data(as_text=True)
            assert other.get("/staff/queue").status_code == 302
    used = _db.session.execute(_db.select(AuditEvent).filter_by(action="recovery_code_used")).scalar_one()
    assert used.detail == {"remaining": 9}
