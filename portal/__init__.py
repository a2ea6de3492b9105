"""The community safety referral and signposting portal."""

import gc

from flask import Flask, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from sqlalchemy import bindparam
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, config_from_environment
from portal import per_request
from portal.database import configure_postgresql, configure_sqlite
from portal.extensions import babel, db, limiter, login_manager, wtforms_helpers
from portal.insights import cache as insights_cache
from portal.languages import (
    check_languages,
    language_choices,
    language_in_english,
    offers_choice,
    select_locale,
    text_direction,
)
from portal.security import register_security
from portal.templating import CSRF_SLOT, PortalFlask

# Pages whose answers must never be cached by a browser or a proxy.
NO_STORE_PREFIXES = ("/staff", "/report-hate-incident", "/volunteer", "/partner")


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, error pages and commands."""
    app = PortalFlask(__name__, instance_relative_config=True)
    app.config.from_object(config_class or config_from_environment())
    check_configuration(app)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    register_templates(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security(app)
    register_response_headers(app)
    register_commands(app)
    return app


def freeze_start_up_objects() -> None:
    """For the WSGI entry points, once the app is built: what start-up made (modules, the app, its mappers) lives as
    long as the process, so the collector's full passes, which walked all of it every few hundred requests (a
    third to two thirds of a millisecond per referral page), leave it out from now on."""
    gc.collect()
    gc.freeze()


def check_configuration(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set (outside development). See README, Configuration.")
    problem = check_languages(app.config["LANGUAGES"], app.config["BABEL_DEFAULT_LOCALE"])
    if problem:
        raise RuntimeError(f"LANGUAGES: {problem}. See README, Languages.")


def register_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("portal"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["language_in_english"] = language_in_english
    from portal import audit, helpers, labels  # noqa: F401 - audit registers its event listeners

    app.jinja_env.globals.update(error_summary=helpers.error_summary, csrf_token=generate_csrf)
    app.jinja_env.filters["datetime"] = helpers.format_datetime
    app.jinja_env.filters["date"] = helpers.format_date
    app.jinja_env.filters["plain"] = helpers.plain_text
    app.jinja_env.filters["in_reading_order"] = helpers.in_reading_order
    app.jinja_env.filters["strand_label"] = labels.strand_label
    app.jinja_env.globals.update(labels.template_globals())
    app.jinja_env.globals["cached_fragment"] = app.jinja_env.layout_fragments
    app.jinja_env.globals["cached_fragment_with_csrf_token"] = app.jinja_env.token_fragments
    app.jinja_env.globals["csrf_slot"] = CSRF_SLOT
    app.jinja_env.globals["cached_queue_row"] = app.jinja_env.queue_rows

    @app.context_processor
    def partnership():
        locale = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {
            "partnership_name": app.config["PARTNERSHIP_NAME"],
            "partnership_email": app.config["PARTNERSHIP_EMAIL"],
            "page_language": locale,
            "page_direction": text_direction(locale),
            # Staff and partner pages stay in English, so they offer no choice.
            "languages": language_choices(locale) if offers_choice() else [],
        }


def register_extensions(app: Flask) -> None:
    from portal.models import StaffUser

    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
        configure_postgresql(db.engine)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    insights_cache.init_app(app)
    per_request.init_app(app)
    wtforms_helpers.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Sign in to see that page.")
    login_manager.login_message_category = "info"

    # Run on every staff request: built once, with the token bound.
    by_session_token = db.select(StaffUser).where(
        StaffUser.session_token == bindparam("session_token"), StaffUser.active.is_(True)
    )

    @login_manager.user_loader
    def load_staff_user(session_token: str) -> StaffUser | None:
        return db.session.execute(by_session_token, {"session_token": session_token}).scalar_one_or_none()


def register_blueprints(app: Flask) -> None:
    from portal.admin import bp as admin_bp
    from portal.auth import bp as auth_bp
    from portal.insights import bp as insights_bp
    from portal.main import bp as main_bp
    from portal.partner import bp as partner_bp
    from portal.reporting import bp as reporting_bp
    from portal.triage import bp as triage_bp
    from portal.volunteering import bp as volunteering_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(volunteering_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(triage_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(partner_bp)
    app.register_blueprint(insights_bp)


ERROR_PAGES = {
    400: (_l("Sorry, there is a problem with that request"), _l("Go back and try again.")),
    403: (_l("You do not have permission to see this page"), _l("If you think you should, ask an administrator.")),
    404: (_l("Page not found"), _l("If you typed the web address, check it is correct.")),
    405: (_l("Sorry, there is a problem with that request"), _l("Go back and try again.")),
    413: (
        _l("What you sent is too large"),
        _l("Go back, shorten your answers and try again. Nothing has been sent yet."),
    ),
    429: (
        _l("You have sent too many requests"),
        _l("To protect the service, wait a few minutes and then try again."),
    ),
    500: (_l("Sorry, there is a problem with the service"), _l("Try again later.")),
}


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        if code == 500:
            db.session.rollback()
        heading, advice = ERROR_PAGES.get(code, ERROR_PAGES[500])
        headers = {}
        if code == 429 and getattr(error, "limit", None) is not None:  # Flask-Limiter's: the limit's window
            headers["Retry-After"] = str(error.limit.limit.get_expiry())
        return render_template("errors/error.html", code=code, heading=heading, advice=advice), code, headers

    for code in ERROR_PAGES:
        app.register_error_handler(code, render_error)


def register_response_headers(app: Flask) -> None:
    @app.after_request
    def set_cache_control(response):
        # The other security headers: portal/security.py.
        if request.path.startswith(NO_STORE_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        if offers_choice():
            # The language of a public page follows the browser's Accept-Language until the resident chooses.
            response.vary.add("Accept-Language")
        return response


def register_commands(app: Flask) -> None:
    from portal.cli import register

    register(app)
