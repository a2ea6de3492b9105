"""Staff sign-in and sign-out."""

import pytest

from portal.extensions import db as _db
from portal.models import StaffUser
from tests.conftest import STAFF_PASSWORD, csrf_token, sign_in, submit_form


def test_staff_pages_need_sign_in(client):
    response = client.get("/staff/queue")
    assert response.status_code == 302
    assert "/staff/sign-in" in response.headers["Location"]


def test_officer_signs_in_and_sees_the_queue(client, officer):
    response = sign_in(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/queue")
    assert "Triage queue" in client.get("/staff/queue").get_data(as_text=True)


def test_email_is_not_case_sensitive(client, officer):
    assert sign_in(client, email="Officer@Example.org").status_code == 302


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("officer@example.org", "wrong-password-entirely"),
        ("nobody@example.org", STAFF_PASSWORD),
    ],
)
def test_wrong_details_get_the_same_answer(client, officer, email, password):
    response = sign_in(client, email=email, password=password)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in page
    assert f'value="{email}"' in page


def test_empty_sign_in_form(client):
    page = submit_form(client, "/staff/sign-in", {}).get_data(as_text=True)
    assert "Enter your email address" in page
    assert "Enter your password" in page


def test_deactivated_account_cannot_sign_in(client, officer):
    officer.active = False
    _db.session.commit()
    response = sign_in(client)
    assert "Enter a correct email address and password" in response.get_data(as_text=True)
    assert client.get("/staff/queue").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "https:evil.example",
        "/%2F%2Fevil.example",
        "/%5Cevil.example",
        "javascript:alert(1)",
        "/staff/queue\r\nLocation: https://evil.example",
        "evil.example",
    ],
)
def test_next_only_goes_to_our_own_pages(client, officer, target):
    response = sign_in(client, next_path=target)
    assert response.headers["Location"] == "/staff/queue"


@pytest.mark.parametrize(
    "target", ["//evil.example", "/\\evil.example", "https:evil.example", "/%2F%2Fevil.example", "javascript:alert(1)"]
)
def test_next_is_checked_by_safe_next_too(app, target):
    from portal.auth.routes.sign_in import safe_next

    with app.test_request_context():
        assert safe_next(target) == "/staff/queue"
        assert safe_next("/staff/referrals/HC-ABCDEF?tab=new") == "/staff/referrals/HC-ABCDEF?tab=new"


def test_next_takes_the_officer_back_to_the_page_they_asked_for(client, officer):
    response = sign_in(client, next_path="/staff/referrals/HC-ABCDEF")
    assert response.headers["Location"] == "/staff/referrals/HC-ABCDEF"


def test_nul_characters_are_dropped_not_a_crash(client, officer):
    # PostgreSQL cannot store or compare a NUL; the form drops it before anything is looked up.
    assert sign_in(client, email="officer\x00@example.org").status_code == 302


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, client, officer):
    assert sign_in(client).status_code == 302
    stolen = client.get_cookie("session").value
    queue = client.get("/staff/queue")
    response = client.post("/staff/sign-out", data={"csrf_token": csrf_token(queue.get_data(as_text=True))})
    assert response.status_code == 302
    assert client.get("/staff/queue").status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    replayed = thief.get("/staff/queue")
    assert replayed.status_code == 302 and replayed.headers["Location"].startswith("/staff/sign-in")


def test_passwords_are_hashed(officer):
    stored = _db.session.get(StaffUser, officer.id).password_hash
    assert STAFF_PASSWORD not in stored
    assert stored.startswith(("scrypt:", "pbkdf2:"))


def test_repeated_sign_in_attempts_are_slowed_down_kindly(client, officer):
    for _ in range(10):
        assert sign_in(client, password="wrong-password-entirely").status_code == 200
    response = sign_in(client, password="wrong-password-entirely")
    assert response.status_code == 429
    assert "You have sent too many requests" in response.get_data(as_text=True)
