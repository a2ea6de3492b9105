"""Public pages that belong to no journey: home, help, information pages, health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from portal.main import routes  # noqa: E402,F401
