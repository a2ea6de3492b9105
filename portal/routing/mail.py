"""The one place that talks SMTP."""

import smtplib
from email.message import EmailMessage

from flask import current_app

from portal.models import OutboxMessage


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying will not help."""


def build_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def send_email(message: OutboxMessage) -> None:
    """Send one outbox message. Raises PermanentFailure for 5xx; any other exception is temporary."""
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"]) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
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
    if refused:
        raise PermanentFailure("recipient refused")
