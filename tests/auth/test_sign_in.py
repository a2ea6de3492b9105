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


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example/", "https:evil.example"])
def test_next_only_goes_to_our_own_pages(client, officer, target):
    page = client.get("/staff/sign-in")
    response = client.post(
        f"/staff/sign-in?next={target}",
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "email": "officer@example.org",
            "password": STAFF_PASSWORD,
        },
    )
    assert response.headers["Location"].endswith("/staff/queue")


def test_next_takes_the_officer_back_to_the_page_they_asked_for(client, officer):
    page = client.get("/staff/sign-in")
    response = client.post(
        "/staff/sign-in?next=/staff/referrals/HC-ABCDEF",
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "email": "officer@example.org",
            "password": STAFF_PASSWORD,
        },
    )
    assert response.headers["Location"] == "/staff/referrals/HC-ABCDEF"


def test_nul_characters_are_dropped_not_a_crash(client, officer):
    # PostgreSQL cannot store or compare a NUL; the form drops it before anything is looked up.
    assert sign_in(client, email="officer\x00@example.org").status_code == 302


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, client, officer):
    sign_in(client)
    stolen = client.get_cookie("session").value
    queue = client.get("/staff/queue")
    response = client.post("/staff/sign-out", data={"csrf_token": csrf_token(queue.get_data(as_text=True))})
    assert response.status_code == 302
    assert client.get("/staff/queue").status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/staff/queue").status_code == 302


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
