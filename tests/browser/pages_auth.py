"""Page states of the sign-in steps after the password (security code, recovery code, setting up two-factor)
and of the account pages (change password, confirm password), for the browser checks (merged into
PAGE_STATES in pages.py)."""

import pyotp

from portal.extensions import db
from portal.models import StaffRole, StaffUser
from tests.browser.pages import PageState, submit
from tests.conftest import STAFF_PASSWORD

NEW_EMAIL = "new.pages@example.org"


def password_step(email="officer@example.org"):
    """Sign-in's first step (the officer fixture's account is enrolled in two-factor; NEW_EMAIL's is not)."""
    return submit("/staff/sign-in", {"#email": email, "#password": STAFF_PASSWORD})


def new_starter(page):
    """The password step of an account that has not set up two-factor, creating it the first time."""
    from portal.auth.service import create_staff

    if db.session.execute(db.select(StaffUser.id).filter_by(email=NEW_EMAIL)).first() is None:
        create_staff(NEW_EMAIL, "Nia New", STAFF_PASSWORD, StaffRole.TRIAGER)
        db.session.commit()
    return password_step(NEW_EMAIL)(page)


def then(first, fields: dict | None = None):
    """After `first`, fill the fields of the page it ended on and press its main button."""

    def reach(page):
        first(page)
        return submit(page.url, fields)(page)

    return reach


def recovery_codes_shown(page):
    new_starter(page)
    secret = page.inner_text("#setup-key").replace(" ", "")
    return submit(page.url, {"#code": pyotp.TOTP(secret).now()})(page)


def recovery_code_page(page):
    password_step()(page)
    return page.goto("/staff/sign-in/recovery-code")


AUTH_STATES = [
    PageState("security code", "auth.security_code", password_step()),
    PageState(
        "security code wrong", "auth.security_code", then(password_step(), {"#code": "000000"}), shows_errors=True
    ),
    PageState("recovery code", "auth.recovery_code", recovery_code_page),
    PageState(
        "recovery code wrong",
        "auth.recovery_code",
        then(recovery_code_page, {"#code": "abcde-fghjk"}),
        shows_errors=True,
    ),
    PageState("set up two-factor", "auth.set_up_two_factor", new_starter),
    PageState(
        "set up two-factor with a wrong code",
        "auth.set_up_two_factor",
        then(new_starter, {"#code": "000000"}),
        shows_errors=True,
    ),
    PageState("set up two-factor: recovery codes", "auth.set_up_two_factor", recovery_codes_shown),
    PageState("change password", "auth.change_password", lambda page: page.goto("/staff/account/password"), staff=True),
    PageState(
        "change password submitted empty",
        "auth.change_password",
        submit("/staff/account/password"),
        staff=True,
        shows_errors=True,
    ),
    PageState(
        "confirm password", "auth.confirm_password", lambda page: page.goto("/staff/confirm-password"), staff=True
    ),
    PageState(
        "confirm password wrong",
        "auth.confirm_password",
        submit("/staff/confirm-password", {"#password": "not-my-password", "#code": "000000"}),
        staff=True,
        shows_errors=True,
    ),
]
