"""Insights: the staff dashboard of the partnership's indicators, the board report, and the public figures."""

from flask import Blueprint

bp = Blueprint("insights", __name__)

from portal.insights import routes  # noqa: E402,F401
