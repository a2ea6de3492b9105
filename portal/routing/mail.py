"""The one place that talks SMTP."""

import smtplib
import ssl
from contextlib import closing, suppress
from email.message import EmailMessage
from typing import Protocol

from flask import current_app


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying will not help."""


class Sendable(Protocol):
    """An outbox message, or the worker's copy of one it has claimed."""

    message_id: str
    recipient: str
    subject: str
    body_text: str
    body_html: str | None


def build_email(message: Sendable) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def send_email(message: Sendable) -> None:
    """Send one outbox message, always with its own Message-ID. Raises PermanentFailure for 5xx; any other
    exception (connection refused, a timeout, a 4xx reply) is temporary."""
    config = current_app.config
    with closing(smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"])) as smtp:
        if config["SMTP_STARTTLS"]:
            # A verified certificate: smtplib's own default would encrypt without checking who answers.
            smtp.starttls(context=ssl.create_default_context())
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        try:
            refused = smtp.send_message(build_email(message))
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused ({', '.join(map(str, codes))})") from None
            raise
        except smtplib.SMTPResponseException as error:
            if error.smtp_code >= 500:
                raise PermanentFailure(f"refused by the mail server ({error.smtp_code})") from None
            raise
        # Accepted: a failed goodbye must not make it count as unsent (and be sent again).
        with suppress(smtplib.SMTPException, OSError):
            smtp.quit()
    if refused:
        raise PermanentFailure("recipient refused")
