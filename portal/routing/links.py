"""Signed, expiring links: a partner's link to one route, and the link that confirms a partner's address.

The token carries ids only, never anything personal, and is signed with SECRET_KEY, so it cannot be
guessed or altered. A partner link names one route, which names one partner.
"""

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

ROUTE_SALT = "partner-route-link"
ADDRESS_SALT = "partner-address-confirmation"
DAY = 24 * 60 * 60


@dataclass(frozen=True)
class LinkTarget:
    """What a token points at, and whether it is out of date (an expired link can still ask for a new one)."""

    ids: dict
    expired: bool


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _read(token: str, salt: str, days: int) -> LinkTarget | None:
    if not token or len(token) > 500:
        return None
    serializer = _serializer(salt)
    try:
        return LinkTarget(serializer.loads(token, max_age=days * DAY), expired=False)
    except SignatureExpired as error:
        # The signature is good, only old: its payload is trustworthy enough to offer a fresh link.
        return LinkTarget(serializer.load_payload(error.payload), expired=True) if error.payload else None
    except BadSignature:
        return None


def _absolute(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def route_token(route) -> str:
    return _serializer(ROUTE_SALT).dumps({"route": route.id, "partner": route.partner_id})


def route_link(route) -> str:
    """The partner's link to a referral: /partner/r/<token>. Built without a request (the worker sends it)."""
    return _absolute(f"/partner/r/{route_token(route)}")


def read_route_token(token: str) -> LinkTarget | None:
    target = _read(token, ROUTE_SALT, current_app.config["PARTNER_LINK_DAYS"])
    if target is None or not _ints(target.ids, "route", "partner"):
        return None
    return target


def address_token(address) -> str:
    return _serializer(ADDRESS_SALT).dumps({"address": address.id, "email": address.email})


def address_link(address) -> str:
    """The link that confirms a partner's address: /partner/confirm/<token>."""
    return _absolute(f"/partner/confirm/{address_token(address)}")


def read_address_token(token: str) -> LinkTarget | None:
    target = _read(token, ADDRESS_SALT, current_app.config["PARTNER_CONFIRM_DAYS"])
    if target is None or not _ints(target.ids, "address") or not isinstance(target.ids.get("email"), str):
        return None
    return target


def _ints(ids, *keys) -> bool:
    return isinstance(ids, dict) and all(isinstance(ids.get(key), int) for key in keys)
