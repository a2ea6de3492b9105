"""The public volunteering pages: the schemes, and signing up to one."""

from flask import Blueprint

bp = Blueprint("volunteering", __name__, url_prefix="/volunteer")

from portal.volunteering import routes  # noqa: E402,F401
