"""What a partner agency sees without an account: a referral through its signed link (/partner/r/<token>),
and the page that confirms one of its email addresses (/partner/confirm/<token>)."""

from flask import Blueprint

bp = Blueprint("partner", __name__, url_prefix="/partner")

from portal.partner import confirm, routes  # noqa: E402,F401
