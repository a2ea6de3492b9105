"""Fixtures: the app on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL), a client that
checks every page it receives, a real SMTP server, and builders that go through the real services."""

import os
import re
import socket
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from config import TestConfig
from portal import create_app
from portal.database import enable_migrations
from portal.extensions import db as _db
from portal.extensions import limiter


def _make_config(tmp_dir) -> type[TestConfig]:
    url = os.environ.get("TEST_DATABASE_URL")

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = TestConfig.SQLALCHEMY_DATABASE_URI if url else f"sqlite:///{tmp_dir}/test.sqlite"

    return Config


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = enable_migrations(create_app(_make_config(tmp_path_factory.mktemp("db"))))
    app.test_client_class = CheckingClient
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            # The test database is ours alone: start from an empty schema every run.
            with _db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()  # through the real migrations, so a model without a migration fails here
        yield app
        _db.session.remove()


@pytest.fixture
def db(app):
    """The database, emptied after each test (and the rate-limit counters reset)."""
    limiter.reset()
    yield _db
    _db.session.rollback()
    _db.session.remove()
    tables = [table.name for table in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our own table names


@pytest.fixture
def client(app, db):
    return app.test_client()


# --- Every page a test receives is checked the way a user and an auditor would. ---


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.title = None
        self._in_title = False
        self.forms = []  # (method, has_csrf)
        self.external_assets = []
        self.error_summary = False
        self.language = "en"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.language = attrs.get("lang", "en")
        elif tag == "title":
            self._in_title = True
            self.title = ""
        elif tag == "form":
            self.forms.append([(attrs.get("method") or "get").lower(), False])
        elif tag == "input" and (attrs.get("name") or "").endswith("csrf_token") and self.forms:
            self.forms[-1][1] = True
        elif tag in {"link", "script", "img"}:
            url = attrs.get("href") or attrs.get("src") or ""
            if re.match(r"^(https?:)?//", url):
                self.external_assets.append(url)
        if "govuk-error-summary" in (attrs.get("class") or "").split():
            self.error_summary = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def check_page(response) -> None:
    if response.mimetype == "text/html":
        check_page_html(response.get_data(as_text=True))


def check_page_html(html: str) -> None:
    """A <title>; 'Error: ' first when errors are shown; a CSRF token in every POST form; no CDN."""
    parser = _PageParser()
    parser.feed(html)
    assert parser.title and parser.title.strip(), "page has no <title>"
    if parser.error_summary:
        prefix = _in_language(parser.language, "Error:")
        assert parser.title.strip().startswith(prefix), f"error page title lacks '{prefix} ': {parser.title!r}"
    for method, has_csrf in parser.forms:
        if method == "post":
            assert has_csrf, "a POST form has no CSRF token"
    assert not parser.external_assets, f"page loads assets from another host: {parser.external_assets}"


def _in_language(language: str, text: str) -> str:
    """`text` as the catalogue for `language` has it (English when there is none)."""
    from babel.support import Translations

    return Translations.load(Path(__file__).parent.parent / "portal" / "translations", [language]).gettext(text)


class CheckingClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production (its own
    database session and `g`), and whose every HTML page is checked by check_page()."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        check_page(response)
        return response


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def csrf_headers(client) -> dict:
    """A valid CSRF token for this client's session, sent as a header (as a script would), for posts that test
    something else: who may post, say."""
    return {"X-CSRFToken": csrf_token(client.get("/report-hate-incident/").get_data(as_text=True))}


def submit_form(client, page_url: str, data: dict, action: str | None = None, prefix: str | None = None, **kwargs):
    """Open a form page as a browser would, then post the answers with the CSRF token of the form that
    posts to `action` (pages with several forms prefix each form's fields, token included)."""
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    prefix = _form_prefix(data) if prefix is None else prefix
    payload = {f"{prefix}csrf_token": csrf_token(page.get_data(as_text=True)), **data}
    return client.post(action or page_url, data=payload, **kwargs)


def _form_prefix(data: dict) -> str:
    names = [name for name in data if "-" in name]
    return names[0].split("-", 1)[0] + "-" if names else ""


# --- A real SMTP server on a free port ---


class RecordingHandler:
    def __init__(self):
        self.messages = []
        self.sessions = []  # the SMTP conversation each accepted message came in
        self.reply = "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if not self.reply.startswith("2"):
            return self.reply
        self.messages.append(envelope)
        self.sessions.append(session)
        return self.reply


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """An aiosmtpd server the app sends to for this test; `.handler.messages` holds what arrived."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    previous = app.config["SMTP_HOST"], app.config["SMTP_PORT"]
    app.config["SMTP_HOST"], app.config["SMTP_PORT"] = "127.0.0.1", controller.port
    try:
        yield controller
    finally:
        try:
            controller.stop()
        except AssertionError:  # the test already stopped it
            pass
        app.config["SMTP_HOST"], app.config["SMTP_PORT"] = previous


# --- Builders through the real services ---

STAFF_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def demo_config(db):
    """Areas and partners as `seed-demo` loads them."""
    from portal.seed import seed_demo

    seed_demo(with_staff=False)
    db.session.commit()


@pytest.fixture
def officer(db):
    from portal.auth.service import create_staff
    from portal.models import StaffRole

    user = create_staff("officer@example.org", "Olu Officer", STAFF_PASSWORD, StaffRole.TRIAGER)
    db.session.commit()
    return enrol_two_factor(user.email)


@pytest.fixture
def admin(db):
    from portal.auth.service import create_staff
    from portal.models import StaffRole

    user = create_staff("admin.person@example.org", "Ada Admin", STAFF_PASSWORD, StaffRole.ADMIN)
    db.session.commit()
    return enrol_two_factor(user.email)


@pytest.fixture
def admin_client(app, admin):
    client = app.test_client()
    assert sign_in(client, email="admin.person@example.org").status_code == 302
    return client


def sign_in(client, email="officer@example.org", password=STAFF_PASSWORD, next_path=None):
    """Sign in with both factors: the password, then the current security code (an account the test created
    itself is first enrolled in two-factor with TOTP_SECRET). Returns the last response: a redirect to the queue
    (or `next_path`) when signing in worked, or the page that refused it."""
    enrol_two_factor(email)
    action = "/staff/sign-in" + (f"?next={quote(next_path, safe='')}" if next_path else "")
    response = submit_form(client, "/staff/sign-in", {"email": email, "password": password}, action=action)
    if response.status_code != 302 or not response.headers["Location"].endswith("/staff/sign-in/security-code"):
        return response
    return submit_form(client, "/staff/sign-in/security-code", {"code": totp_code(email)})


# The known secret that staff accounts in tests are enrolled in two-factor with.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - tests only


def _staff_by_email(email: str):
    from portal.models import StaffUser

    email = email.replace("\x00", "").strip().lower()
    return _db.session.execute(
        _db.select(StaffUser).where(_db.func.lower(StaffUser.email) == email)
    ).scalar_one_or_none()


def enrol_two_factor(email: str, secret: str = TOTP_SECRET):
    """Set two-factor up for an account directly in the database, as if its owner had scanned the QR code."""
    from portal.models._types import utcnow

    user = _staff_by_email(email)
    if user is not None and user.mfa_enabled_at is None:
        user.totp_secret, user.mfa_enabled_at = secret, utcnow()
        _db.session.commit()
    return user


def totp_code(email: str) -> str:
    """The account's security code for now. Codes are refused once used, so the record of codes used around now
    is forgotten first, as if the next 30 seconds had come: a test may sign the same account in several times."""
    import time

    import pyotp

    from portal.auth.mfa import used_code_key

    user = _staff_by_email(email)
    step = pyotp.TOTP(user.totp_secret).timecode(time.time())
    if limiter.enabled:
        for offset in range(-3, 4):
            limiter.storage.clear(used_code_key(user.id, step + offset))
    return pyotp.TOTP(user.totp_secret).now()


@pytest.fixture
def signed_in(client, officer):
    response = sign_in(client)
    assert response.status_code == 302
    return client


# A complete report, page by page, as a victim who stays anonymous would answer it.
JOURNEY_ANSWERS = {
    "who": {"reporter_role": "victim"},
    "hostility": {"strands": ["religion"]},
    "what-happened": {
        "incident_types": ["verbal"],
        "description": "Two men shouted abuse about my religion at the bus stop and spat at me.",
    },
    "when": {"incident_date": ["3", "11", "2026"], "still_happening": "no"},
    "where": {"place_type": "public_transport"},
    "address": {"location": "Bus stop on Lincoln Road", "area_choice": ""},
    "online": {"online_platform": "Facebook"},
    "harm": {"anyone_hurt": "no", "property_damaged": "no"},
    "people": {},
    "witnesses": {},
    "police": {"reported_to_police": "no"},
    "what-next": {"consents": ["victim_support"]},
    "about-them": {},
    "contact": {"wants_contact": "no"},
    "equality": {},
}
JOURNEY = "/report-hate-incident"


def journey_answers(**pages) -> dict:
    """JOURNEY_ANSWERS with some pages' answers changed: journey_answers(who={...}) replaces 'who'."""
    answers = {slug: dict(page) for slug, page in JOURNEY_ANSWERS.items()}
    for slug, page in pages.items():
        answers[slug.replace("_", "-")] = page
    return answers


def walk_journey(client, answers: dict | None = None) -> list[str]:
    """Go through the journey from the emergency gate to check-answers, page by page, as the site leads.
    Returns the slugs of the pages visited."""
    answers = answers or JOURNEY_ANSWERS
    response = submit_form(client, f"{JOURNEY}/", {"in_danger": "no"})
    assert response.headers["Location"].endswith(f"{JOURNEY}/start")
    location, visited = f"{JOURNEY}/{next(iter(JOURNEY_ANSWERS))}", []
    while not location.endswith("/check-answers"):
        slug = location.rsplit("/", 1)[1]
        visited.append(slug)
        response = submit_form(client, location, answers.get(slug, {}))
        assert response.status_code == 302, f"{slug}: {response.status_code}"
        location = response.headers["Location"]
    return visited


def send_report(client, answers: dict | None = None):
    """Complete the journey and send; returns the response to sending (a redirect to the confirmation)."""
    walk_journey(client, answers)
    return submit_form(client, f"{JOURNEY}/check-answers", {})


def make_referral(**pages):
    """A committed hate-incident referral built by the real service from journey answers."""
    from portal.reporting.service import area_options, build_referral
    from portal.statistics import record_statistic

    answers = {
        slug: {name: value if isinstance(value, list) else [value] for name, value in page.items()}
        for slug, page in journey_answers(**pages).items()
    }
    referral = build_referral(answers, area_options())
    _db.session.add(referral)
    _db.session.flush()
    record_statistic(referral)  # as submitting the draft does
    _db.session.commit()
    return referral
