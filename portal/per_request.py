"""Things read or worked out once per request and then reused by every part of the page that needs them (the
translations of what admins write, the forms that check a draft's answers).

They live on `g`, emptied as each request starts: a test client's requests can share one application context, and
nothing read for one request may be trusted in the next."""

from flask import Flask, g


def per_request(name: str) -> dict:
    """The dict kept under `name` for the rest of this request (or this application context, outside one)."""
    return g.setdefault("per_request", {}).setdefault(name, {})


def init_app(app: Flask) -> None:
    @app.before_request
    def start_afresh() -> None:
        g.pop("per_request", None)
