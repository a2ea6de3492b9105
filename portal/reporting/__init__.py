"""The public hate-incident reporting journey."""

from flask import Blueprint

bp = Blueprint("reporting", __name__, url_prefix="/report-hate-incident")

from portal.reporting import routes  # noqa: E402,F401
