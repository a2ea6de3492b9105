"""The one place that talks SMTP."""

import smtplib
import ssl
from contextlib import suppress
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


class MailConnection:
    """One SMTP conversation for a worker's batch of messages: connecting, STARTTLS and logging in happen once,
    not once a message. After a failure the conversation is dropped and the next message starts a new one; a
    conversation the server closed while idle is started again once before a message counts as failed."""

    def __init__(self):
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "MailConnection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _open(self) -> smtplib.SMTP:
        config = current_app.config
        smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"])
        try:
            if config["SMTP_STARTTLS"]:
                # A verified certificate: smtplib's own default would encrypt without checking who answers.
                smtp.starttls(context=ssl.create_default_context())
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            # Every message so far was accepted or has failed already: a failed goodbye changes nothing.
            with suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            self.smtp.close()
            self.smtp = None

    def send(self, message: Sendable) -> None:
        """Send one outbox message, always with its own Message-ID. Raises PermanentFailure for 5xx; any other
        exception (connection refused, a timeout, a 4xx reply) is temporary."""
        reused = self.smtp is not None
        try:
            if self.smtp is None:
                self.smtp = self._open()
            try:
                refused = self.smtp.send_message(build_email(message))
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException) as error:
                if not reused or getattr(error, "smtp_code", 421) != 421:
                    raise
                # Closed (or closing, 421) while idle, before this message was accepted: start again.
                self.smtp.close()
                self.smtp = self._open()
                refused = self.smtp.send_message(build_email(message))
        except smtplib.SMTPRecipientsRefused as error:
            self.close()
            codes = [code for code, _text in error.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused ({', '.join(map(str, codes))})") from None
            raise
        except smtplib.SMTPResponseException as error:
            self.close()
            if error.smtp_code >= 500:
                raise PermanentFailure(f"refused by the mail server ({error.smtp_code})") from None
            raise
        except BaseException:
            self.close()
            raise
        if refused:
            raise PermanentFailure("recipient refused")
