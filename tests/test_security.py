"""Security headers and cookies, the staff session's idle and absolute limits, the idle warning's keep-alive, and
rate limits on every public POST."""

import re
import time

import pytest
from flask_limiter.util import get_qualified_name

from config import Config, DevelopmentConfig
from portal.extensions import limiter
from portal.security import LAST_SEEN, SIGNED_IN_AT
from tests.conftest import csrf_headers
from tests.test_access import ACCESS, PUBLIC

QUEUE = "/staff/queue"


def csp_of(response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    return {name: value for name, value in directives}


def test_every_page_has_a_strict_csp_with_a_fresh_nonce_for_govuk_frontends_script(client):
    first, second = client.get("/"), client.get("/")
    csp = csp_of(first)
    nonce = re.search(r"'nonce-([^']+)'", csp["script-src"]).group(1)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == f"'self' 'nonce-{nonce}'"
    assert csp["style-src"] == "'self'"
    assert csp["img-src"] == "'self' data:"
    assert csp["object-src"] == csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert "unsafe-inline" not in first.headers["Content-Security-Policy"]
    html = first.get_data(as_text=True)
    assert f'<script nonce="{nonce}">' in html  # template.html's one inline script
    assert len(re.findall(r"<script(?![^>]*\bsrc=)", html)) == 1, "an inline script without the nonce"
    assert " style=" not in html and "<style" not in html
    assert nonce not in second.headers["Content-Security-Policy"]


def test_other_security_headers(client, app, monkeypatch):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # test and development serve plain HTTP
    monkeypatch.setitem(app.config, "ENVIRONMENT", "production")
    assert client.get("/").headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize(
    "path",
    ["/staff/sign-in", "/report-hate-incident/", "/volunteer/", "/partner/r/not-a-token", QUEUE],
)
def test_staff_pages_the_journeys_and_partner_links_are_never_cached(client, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_the_session_cookie_outside_development_is_secure_host_only_httponly_and_lax(client, app, monkeypatch):
    assert Config.SESSION_COOKIE_NAME == "__Host-session"
    assert Config.SESSION_COOKIE_SECURE and Config.SESSION_COOKIE_HTTPONLY
    assert Config.SESSION_COOKIE_SAMESITE == "Lax"
    assert getattr(Config, "SESSION_COOKIE_DOMAIN", None) is None
    assert not DevelopmentConfig.SESSION_COOKIE_SECURE  # http://127.0.0.1 in development
    for name in ("SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE"):
        monkeypatch.setitem(app.config, name, getattr(Config, name))
    cookie = client.get("/report-hate-incident/").headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite", "path"} <= attributes and "domain" not in attributes
    assert "SameSite=Lax" in cookie and "Path=/;" in cookie + ";"


# --- Session limits ---


def set_clock(client, *, signed_in_ago: float, idle_for: float) -> None:
    now = time.time()
    with client.session_transaction() as session:
        session[SIGNED_IN_AT] = int(now - signed_in_ago)
        session[LAST_SEEN] = int(now - idle_for)


def test_signing_in_starts_both_clocks(signed_in):
    with signed_in.session_transaction() as session:
        assert abs(session[SIGNED_IN_AT] - time.time()) < 60
        assert session[LAST_SEEN] >= session[SIGNED_IN_AT]


def test_a_request_within_the_idle_limit_keeps_the_session_and_resets_the_idle_clock(signed_in):
    set_clock(signed_in, signed_in_ago=3600, idle_for=29 * 60)
    assert signed_in.get(QUEUE).status_code == 200
    with signed_in.session_transaction() as session:
        assert time.time() - session[LAST_SEEN] < 60


def test_thirty_minutes_idle_signs_a_staff_user_out_and_says_why(signed_in):
    set_clock(signed_in, signed_in_ago=3600, idle_for=30 * 60 + 5)
    response = signed_in.get(QUEUE)
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/sign-in")
    page = signed_in.get("/staff/sign-in").get_data(as_text=True)
    assert "You were signed out because you had not done anything for 30 minutes." in page
    with signed_in.session_transaction() as session:
        assert "_user_id" not in session
    assert signed_in.get(QUEUE).headers["Location"].startswith("/staff/sign-in")


def test_twelve_hours_after_signing_in_the_session_ends_however_busy(signed_in):
    set_clock(signed_in, signed_in_ago=12 * 3600 + 5, idle_for=10)
    response = signed_in.get(QUEUE)
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/sign-in")
    assert "signed in for 12 hours" in signed_in.get("/staff/sign-in").get_data(as_text=True)


def test_a_post_after_the_idle_limit_does_nothing_but_sign_out(signed_in, demo_config):
    headers = csrf_headers(signed_in)
    set_clock(signed_in, signed_in_ago=3600, idle_for=31 * 60)
    response = signed_in.post("/staff/keep-alive", headers=headers)
    assert response.status_code in (302, 400)
    assert signed_in.get(QUEUE).status_code == 302


def test_stay_signed_in_resets_the_idle_clock_and_needs_the_csrf_token(signed_in):
    headers = csrf_headers(signed_in)
    set_clock(signed_in, signed_in_ago=3600, idle_for=29 * 60)
    assert signed_in.post("/staff/keep-alive").status_code == 400
    set_clock(signed_in, signed_in_ago=3600, idle_for=29 * 60)
    assert signed_in.post("/staff/keep-alive", headers=headers).status_code == 204
    with signed_in.session_transaction() as session:
        assert time.time() - session[LAST_SEEN] < 60


def test_staff_pages_carry_the_idle_warning_for_javascript_to_open(signed_in):
    html = signed_in.get(QUEUE).get_data(as_text=True)
    dialog = re.search(r"<dialog[^>]*>", html).group(0)
    assert 'aria-modal="true"' in dialog and 'aria-labelledby="session-timeout-heading"' in dialog
    assert 'data-idle-seconds="1800"' in dialog and 'data-keep-alive-url="/staff/keep-alive"' in dialog
    assert "You will be signed out soon" in html and "Stay signed in" in html


def test_public_pages_and_the_sign_in_page_have_no_idle_warning(client):
    for path in ("/", "/staff/sign-in"):
        assert "<dialog" not in client.get(path).get_data(as_text=True)


# --- Rate limits ---


def public_posts(app) -> set[str]:
    return {
        rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods and ACCESS[rule.endpoint] == PUBLIC
    }


def test_every_public_post_has_a_rate_limit(app):
    decorated = limiter.limit_manager._decorated_limits
    missing = []
    for endpoint in sorted(public_posts(app)):
        groups = decorated.get(get_qualified_name(app.view_functions[endpoint]), ())
        applies_to_post = any(
            limit.methods is None or "post" in limit.methods for group in groups for limit in _limits_of(group)
        )
        if not applies_to_post:
            missing.append(endpoint)
    assert public_posts(app), "no public POST routes found"
    assert missing == [], "add @limiter.limit(...) to these public POST routes"


def _limits_of(group):
    return list(group) if hasattr(group, "__iter__") else [group]


def test_the_emergency_gate_is_rate_limited(client):
    responses = [client.post("/report-hate-incident/", data={"in_danger": "no"}) for _ in range(31)]
    statuses = [response.status_code for response in responses]
    assert statuses[-1] == 429 and 429 not in statuses[:30]
    # The refusal says when to try again (the 30-a-minute limit's window); no response says how many tries are left.
    assert responses[-1].headers["Retry-After"] == "60"
    assert "You have sent too many requests" in responses[-1].get_data(as_text=True)
    assert not any(name.startswith("X-RateLimit") for response in responses for name in response.headers.keys())
