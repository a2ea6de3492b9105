"""The portal as the benchmark serves it under gunicorn, with production settings.

    DATABASE_URL=… SECRET_KEY=… .venv/bin/gunicorn -w 4 'bench.portal_wsgi:create_bench_app()'

It is `config.Config` (PORTAL_ENV=production: the environment's SECRET_KEY, DATABASE_URL and
RATELIMIT_STORAGE_URI, rate limits and CSRF on) with only what plain HTTP on 127.0.0.1 needs changed.
The session cookie is neither Secure nor `__Host-`, as in config.DevelopmentConfig, because a client
would not send it back over HTTP. PROXY_COUNT is 1, so the load driver can give each virtual resident
its own X-Forwarded-For address and the per-client rate limits count per resident, as they would
behind a real proxy.
"""

from config import Config, _database_url


class BenchConfig(Config):
    ENVIRONMENT = "production"
    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    PROXY_COUNT = 1


def create_bench_app(database_url: str | None = None, secret_key: str | None = None, smtp_port: int | None = None):
    """The portal under BenchConfig; the arguments override the environment (bench/run.py loads data with them)."""
    from portal import create_app, freeze_start_up_objects

    overrides = {}
    if database_url:
        overrides["SQLALCHEMY_DATABASE_URI"] = _database_url(database_url)
    if secret_key:
        overrides["SECRET_KEY"] = secret_key
    if smtp_port:
        overrides["SMTP_HOST"], overrides["SMTP_PORT"] = "127.0.0.1", smtp_port
    app = create_app(type("BenchRunConfig", (BenchConfig,), overrides))
    freeze_start_up_objects()  # as wsgi.py does
    return app
