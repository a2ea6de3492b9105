"""Per account: a lock after repeated failures, answered exactly as a wrong password. Per client: rate limits."""

import re
from datetime import timedelta

import pytest

from portal.extensions import db as _db
from portal.models import AuditEvent, StaffUser
from portal.models._types import utcnow
from tests.conftest import STAFF_PASSWORD, sign_in, submit_form

WRONG = "wrong-password-entirely"


def answer(response) -> str:
    """The page without what changes on every request (CSRF token, CSP nonce)."""
    html = response.get_data(as_text=True)
    return re.sub(r'(value|nonce)="[^"]*"', "", html)


def fresh(user) -> StaffUser:
    _db.session.expire_all()
    return _db.session.get(StaffUser, user.id)


def lock(client, email="officer@example.org", attempts=5):
    for _ in range(attempts):
        submit_form(client, "/staff/sign-in", {"email": email, "password": WRONG})


def test_five_wrong_passwords_lock_the_account(app, client, officer):
    lock(client)
    user = fresh(officer)
    assert user.locked_until is not None and user.locked_until > utcnow() + timedelta(minutes=14)
    other = app.test_client()  # even the right password, from another browser, is refused
    assert "Enter a correct email address and password" in sign_in(other).get_data(as_text=True)
    assert other.get("/staff/queue").status_code == 302
    assert _db.session.execute(_db.select(AuditEvent).filter_by(action="locked")).scalar_one().actor_id == officer.id


def test_locked_wrong_and_unknown_get_exactly_the_same_answer(app, officer):
    answers = {}
    for case, email, password in [
        ("wrong password", "officer@example.org", WRONG),
        ("unknown account", "nobody@example.org", STAFF_PASSWORD),
    ]:
        client = app.test_client()
        answers[case] = answer(submit_form(client, "/staff/sign-in", {"email": email, "password": password}))
    lock(app.test_client())
    client = app.test_client()
    locked = submit_form(client, "/staff/sign-in", {"email": "officer@example.org", "password": STAFF_PASSWORD})
    answers["locked, right password"] = answer(locked)
    wrong = answers["wrong password"].replace("officer@example.org", "EMAIL")
    assert answers["unknown account"].replace("nobody@example.org", "EMAIL") == wrong
    assert answers["locked, right password"].replace("officer@example.org", "EMAIL") == wrong
    assert locked.status_code == 200


def test_failed_sign_ins_are_audited_without_the_password(client, officer):
    submit_form(client, "/staff/sign-in", {"email": "nobody@example.org", "password": "typed-secret-123"})
    submit_form(client, "/staff/sign-in", {"email": "officer@example.org", "password": "typed-secret-456"})
    events = _db.session.execute(_db.select(AuditEvent).filter_by(action="sign_in_failed")).scalars().all()
    assert [(event.actor_id, event.actor_label) for event in events] == [
        (None, "unknown account"),
        (officer.id, "Olu Officer"),
    ]
    stored = repr([(event.detail, event.actor_label) for event in events])
    assert "typed-secret" not in stored and "nobody@example.org" not in stored


def test_the_lock_expires(client, officer):
    lock(client)
    user = fresh(officer)
    user.locked_until = utcnow() - timedelta(seconds=1)
    _db.session.commit()
    assert sign_in(client).headers["Location"] == "/staff/queue"
    assert fresh(officer).failed_sign_ins == 0


def test_wrong_security_codes_count_towards_the_lock(client, officer):
    submit_form(client, "/staff/sign-in", {"email": "officer@example.org", "password": STAFF_PASSWORD})
    for attempt in range(5):
        response = submit_form(client, "/staff/sign-in/security-code", {"code": "000000"})
        if attempt < 4:
            assert response.status_code == 200
    assert response.headers["Location"] == "/staff/sign-in"
    assert fresh(officer).locked_until is not None
    assert client.get("/staff/sign-in/security-code").headers["Location"] == "/staff/sign-in"


def test_a_full_sign_in_resets_the_count(client, officer):
    lock(client, attempts=4)
    assert sign_in(client).status_code == 302
    assert fresh(officer).failed_sign_ins == 0


@pytest.mark.parametrize("path", ["/staff/sign-in", "/staff/sign-in/security-code"])
def test_each_client_is_slowed_down_kindly(client, officer, path):
    data = {"email": "x@example.org", "password": WRONG}
    if path.endswith("security-code"):
        submit_form(client, "/staff/sign-in", {"email": "officer@example.org", "password": STAFF_PASSWORD})
        data = {"code": "000000"}
    for _ in range(10):
        assert client.post(path, data={**data, "csrf_token": _token(client)}).status_code in (200, 302)
    response = client.post(path, data={**data, "csrf_token": _token(client)})
    assert response.status_code == 429
    assert "You have sent too many requests" in response.get_data(as_text=True)


def _token(client) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
