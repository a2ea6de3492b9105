"""Password rules, on the create-staff command and the Change your password page."""

import pytest

from portal.auth.passwords import password_problem
from portal.extensions import db as _db
from portal.models import AuditEvent, StaffUser
from tests.conftest import STAFF_PASSWORD, sign_in, submit_form

EMAIL = "officer@example.org"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-pass", "Password must be 12 characters or more"),
        ("password1234", "Password is too easy to guess"),
        ("Password-1234", "Password is too easy to guess"),
        ("qwertyuiop12", "Password is too easy to guess"),
        ("my-officer-password-9", "Password must not contain your email address"),
        ("lantern harbour velvet", None),
        (STAFF_PASSWORD, None),
    ],
)
def test_password_rules(app, password, problem):
    with app.test_request_context():
        found = password_problem(password, EMAIL)
    assert (found or "").startswith(problem or "") and bool(found) == bool(problem)


@pytest.mark.parametrize(
    ("password", "ok"), [("short", False), ("password1234", False), ("newstarter-is-me", False), (STAFF_PASSWORD, True)]
)
def test_create_staff_command_applies_the_rules(app, db, password, ok):
    result = app.test_cli_runner().invoke(args=["create-staff", "newstarter@example.org"], input=password + "\n")
    created = _db.session.execute(_db.select(StaffUser).filter_by(email="newstarter@example.org")).scalar_one_or_none()
    assert (created is not None) == ok, result.output
    if not ok:
        assert result.exit_code != 0 and "Password" in result.output


def change(client, current=STAFF_PASSWORD, new="lantern harbour velvet", again=None):
    return submit_form(
        client,
        "/staff/account/password",
        {"current_password": current, "new_password": new, "confirm_password": new if again is None else again},
    )


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"current": "not-my-password"}, "Your current password is not correct"),
        ({"new": "short"}, "Password must be 12 characters or more"),
        ({"new": "password1234"}, "Password is too easy to guess"),
        ({"new": "officer-at-home-1"}, "Password must not contain your email address"),
        ({"again": "something-else-entirely"}, "The passwords do not match"),
        ({"new": STAFF_PASSWORD}, "Your new password must be different"),
        ({"current": "", "new": "", "again": ""}, "Enter your current password"),
    ],
)
def test_change_password_errors(signed_in, answers, message):
    response = change(signed_in, **answers)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and "<title>Error:" in page


def test_change_password_ends_other_sessions_but_not_this_one(app, officer):
    # Signing in already ends an account's earlier session, so the other session here is a copy of the cookie.
    here, elsewhere = app.test_client(), app.test_client()
    assert sign_in(here).status_code == 302
    elsewhere.set_cookie("session", here.get_cookie("session").value)
    assert elsewhere.get("/staff/queue").status_code == 200
    response = change(here)
    assert response.headers["Location"] == "/staff/queue"
    assert "Your password has been changed" in here.get("/staff/queue").get_data(as_text=True)
    assert elsewhere.get("/staff/queue").headers["Location"].startswith("/staff/sign-in")
    _db.session.expire_all()
    user = _db.session.get(StaffUser, officer.id)
    assert user.password_changed_at is not None and user.check_password("lantern harbour velvet")
    assert _db.session.execute(_db.select(AuditEvent).filter_by(action="password_changed")).scalar_one()
    assert sign_in(app.test_client(), password="lantern harbour velvet").status_code == 302
