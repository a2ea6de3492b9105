"""Configuration read from the environment. See README "Configuration"."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(url: str | None) -> str:
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'portal.sqlite'}"
    # psycopg 3 is the PostgreSQL driver; accept the usual postgres:// spellings.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    ENVIRONMENT = os.environ.get("PORTAL_ENV", "production")
    SECRET_KEY = os.environ.get("SECRET_KEY")
    PARTNERSHIP_NAME = os.environ.get("PARTNERSHIP_NAME", "Safer Peterborough Partnership")
    PARTNERSHIP_EMAIL = os.environ.get("PARTNERSHIP_EMAIL", "community.safety@example.org")
    # The data controller named in the privacy notice (the partnership's lead council), and its data
    # protection officer's address.
    DATA_CONTROLLER_NAME = os.environ.get("DATA_CONTROLLER_NAME", "Peterborough City Council")
    DATA_PROTECTION_EMAIL = os.environ.get("DATA_PROTECTION_EMAIL", "data.protection@example.org")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Where "Exit this page" sends a resident, after their unfinished report has been deleted.
    EXIT_PAGE_URL = os.environ.get("EXIT_PAGE_URL", "https://www.bbc.co.uk/weather")
    # How many reverse proxies stand in front of the app and set X-Forwarded-For (0: none). Rate limits
    # count per client, so behind a proxy this must be set or every resident shares one allowance.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("DATABASE_URL"))
    # hide_parameters: a database error (and so the log of a 500) never quotes the values, which may be answers.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

    # Forms: a resident may take a long time over a report; the token lives as long as the session.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Let a long answer reach the form's own length check (and come back to the resident) instead
    # of being cut off by Werkzeug's 500 KB per-field default.
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH

    # Host-only (no SESSION_COOKIE_DOMAIN), HTTPS only, not readable by scripts, not sent on cross-site posts.
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and for path /.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_PROTECTION = "strong"

    BABEL_DEFAULT_LOCALE = "en"
    # The public pages' languages (catalogues in portal/translations), English first. Staff pages stay English.
    LANGUAGES = list(
        filter(None, (code.strip() for code in os.environ.get("LANGUAGES", "en,pl,lt,ro,pt,ur,pa").split(",")))
    )
    BABEL_DEFAULT_TIMEZONE = "Europe/London"

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # The insights dashboard and the published figures are worked out at most this often (seconds; 0: on every
    # view), and kept in each process, or in Redis for every process when CACHE_REDIS_URL is set.
    INSIGHTS_CACHE_SECONDS = int(os.environ.get("INSIGHTS_CACHE_SECONDS", "300"))
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    RATELIMIT_ENABLED = True
    # No X-RateLimit-* headers: on every limited POST they cost two more round trips to the limits' storage (Redis
    # in production), and they would tell an abuser how many tries are left. A refusal (429) says when to try
    # again in Retry-After (portal/__init__.py).
    RATELIMIT_HEADERS_ENABLED = False

    SMTP_HOST = os.environ.get("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "1025"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_STARTTLS = _bool("SMTP_STARTTLS")
    SMTP_TIMEOUT = float(os.environ.get("SMTP_TIMEOUT", "10"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "Safer Peterborough Partnership <referrals@example.org>")
    OUTBOX_POLL_SECONDS = float(os.environ.get("OUTBOX_POLL_SECONDS", "5"))
    # Service levels, in working hours (SLA_WORKING_DAYS, SLA_DAY_START, SLA_DAY_END, SLA_BANK_HOLIDAYS and
    # SLA_TIMEZONE set the working week; England and Wales bank holidays are built in).
    SLA_WORKING_DAYS = os.environ.get("SLA_WORKING_DAYS", "mon,tue,wed,thu,fri")
    SLA_DAY_START = os.environ.get("SLA_DAY_START", "09:00")
    SLA_DAY_END = os.environ.get("SLA_DAY_END", "17:00")
    SLA_BANK_HOLIDAYS = os.environ.get("SLA_BANK_HOLIDAYS", "")
    SLA_TIMEZONE = os.environ.get("SLA_TIMEZONE", "Europe/London")
    SLA_TRIAGE_HOURS = float(os.environ.get("SLA_TRIAGE_HOURS", "16"))
    SLA_ACKNOWLEDGE_HOURS = float(os.environ.get("SLA_ACKNOWLEDGE_HOURS", "16"))
    OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "50"))
    # How long a worker may hold a claimed message before another worker may try it (seconds). Longer than
    # any SMTP conversation, so two workers never send the same message in the normal path.
    OUTBOX_CLAIM_SECONDS = int(os.environ.get("OUTBOX_CLAIM_SECONDS", "300"))
    # Staff sessions: signed out after this long without a request, and after this long whatever happens;
    # exports and admin changes ask for the password again if it was last given longer ago than REAUTH.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    REAUTH_MINUTES = int(os.environ.get("REAUTH_MINUTES", "15"))
    # Sign-in: this many failures in a row lock the account for this long.
    SIGN_IN_LOCKOUT_ATTEMPTS = int(os.environ.get("SIGN_IN_LOCKOUT_ATTEMPTS", "5"))
    SIGN_IN_LOCKOUT_MINUTES = int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "15"))
    # Retention: personal data is purged this many months after a report is closed, or after a volunteer
    # application's outcome (or closure); anonymised statistics are kept.
    RETENTION_HATE_INCIDENT_MONTHS = int(os.environ.get("RETENTION_HATE_INCIDENT_MONTHS", "13"))
    RETENTION_VOLUNTEER_MONTHS = int(os.environ.get("RETENTION_VOLUNTEER_MONTHS", "6"))
    # Partner links (/partner/r/<token>) and address confirmation links expire after this many days.
    PARTNER_LINK_DAYS = int(os.environ.get("PARTNER_LINK_DAYS", "14"))
    PARTNER_CONFIRM_DAYS = int(os.environ.get("PARTNER_CONFIRM_DAYS", "7"))


class DevelopmentConfig(Config):
    ENVIRONMENT = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    # Served over plain HTTP on 127.0.0.1, where a Secure (or __Host-) cookie would not be kept.
    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestConfig(Config):
    ENVIRONMENT = "test"
    TESTING = True
    SECRET_KEY = "test-only-not-secret"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("TEST_DATABASE_URL") or "sqlite://")
    # Served over plain HTTP on 127.0.0.1, where a Secure (or __Host-) cookie would not be kept.
    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    # On, as in production; the test fixtures reset the counters between tests.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    SMTP_HOST = "127.0.0.1"
    SMTP_PORT = 1
    SMTP_TIMEOUT = 5.0
    OUTBOX_POLL_SECONDS = 0.1
    # Each test sees the figures its own data makes; tests/insights/test_cache.py turns the cache on.
    INSIGHTS_CACHE_SECONDS = 0


def config_from_environment() -> type[Config]:
    """Pick the configuration class for PORTAL_ENV (production unless told otherwise)."""
    env = os.environ.get("PORTAL_ENV", "production")
    return {"development": DevelopmentConfig, "test": TestConfig}.get(env, Config)
