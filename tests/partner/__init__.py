"""Helpers for the partner-link tests: route a referral, deliver the email through real SMTP, and read the
link out of it as the partner's inbox would show it."""

import re
import time
from email import message_from_bytes, policy
from unittest import mock

from flask import current_app
from itsdangerous import TimestampSigner

from portal.extensions import db as _db
from portal.models import Partner, Route
from portal.routing.links import DAY, route_token
from portal.routing.outbox import deliver_due_messages
from portal.routing.service import route_referral
from tests.conftest import make_referral

HUB = "victim-witness-hub"
POLICE = "police-hate-crime"
LINK = re.compile(r"https?://[^/\s]+(/partner/r/[A-Za-z0-9_.\-]+)")


def partner_named(slug: str) -> Partner:
    return _db.session.execute(_db.select(Partner).filter_by(slug=slug)).scalar_one()


def route_to(officer, slug: str = HUB, referral=None, **pages) -> Route:
    """A referral (a hate-incident report unless given) routed to a partner and committed."""
    referral = referral or make_referral(**pages)
    route = route_referral(referral, partner_named(slug), officer)
    _db.session.commit()
    return route


def caught_emails(smtp_server) -> list:
    """Deliver what is due and return every email the SMTP server has caught, parsed."""
    deliver_due_messages()
    return [message_from_bytes(envelope.content, policy=policy.default) for envelope in smtp_server.handler.messages]


def plain_body(email) -> str:
    return email.get_body(("plain",)).get_content()


def link_in(email) -> str:
    """The path of the partner link in an email, as the partner would click it."""
    match = LINK.search(plain_body(email))
    assert match, "no partner link in the email"
    return match.group(1)


def expired_link(route: Route) -> str:
    """A link to the route signed long enough ago to have expired."""
    signed_at = int(time.time()) - (current_app.config["PARTNER_LINK_DAYS"] + 1) * DAY
    with mock.patch.object(TimestampSigner, "get_timestamp", lambda self: signed_at):
        return f"/partner/r/{route_token(route)}"


def live_link(route: Route) -> str:
    return f"/partner/r/{route_token(route)}"
