"""Deliver built messages: over one SMTP connection per run (smtplib), or as .eml files.

Each error says what it means for retrying. Anything that breaks before the message data
is sent was not accepted and may be retried; a break while the data or its reply is on the
way leaves the outcome unknown (the server may have accepted it), so it is never resent.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Any, NoReturn, Protocol


class DeliveryError(Exception):
    """A message was not delivered; the subclass says what that means for retrying."""


class Unreachable(DeliveryError):
    """The server cannot take mail now: no connection, a refused session or a 421 reply.

    Nothing was accepted, and it is no fault of the message: retry later without counting
    an attempt against it.
    """


class Refused(DeliveryError):
    """The server refused this message with a reply code; the connection stays usable.

    `permanent` when retrying cannot help: a 5xx reply to a recipient or to the message
    data (a 5xx to MAIL FROM is the sender's setting, not this message, so it is retried).
    """

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Dropped(DeliveryError):
    """The connection broke before the message data was sent: it was not accepted."""


class OutcomeUnknown(DeliveryError):
    """The connection broke while the data or its reply was on the way: the server may
    have accepted it."""


def describe(error: BaseException) -> str:
    """Return an error as one line for the delivery log."""
    return f"{type(error).__name__}: {error}"[:2000]


class Sender(Protocol):
    """A delivery channel used as a context manager around one run."""

    def __enter__(self) -> Sender: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, message: EmailMessage) -> None:
        """Deliver one message; raise a DeliveryError when it was not (surely) delivered."""


class SmtpSender:
    """Send over one SMTP connection (reopened after a break), STARTTLS, TLS or neither."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        user: str = "",
        password: str = "",
        security: str = "starttls",
        timeout: float = 30,
    ) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.security, self.timeout = security, timeout
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except OSError:
            self._smtp.close()
        self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        try:
            if self.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except OSError as error:
            raise Unreachable(describe(error)) from error
        try:
            smtp.ehlo_or_helo_if_needed()  # a 4xx/5xx greeting raises SMTPHeloError
            if self.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo_or_helo_if_needed()
            if self.user:
                smtp.login(self.user, self.password)
        except OSError as error:  # smtplib's errors are OSErrors too
            smtp.close()
            raise Unreachable(describe(error)) from error
        return smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def send(self, message: EmailMessage) -> None:
        """Send one message; raise Refused, Dropped, Unreachable or OutcomeUnknown."""
        smtp = self._smtp = self._smtp or self._connect()
        sender = message["From"].addresses[0].addr_spec
        recipient = message["To"].addresses[0].addr_spec
        international = message.policy.utf8
        data = message.as_bytes()
        try:
            code, reply = smtp.mail(sender, ["SMTPUTF8", "BODY=8BITMIME"] if international else [])
            if code != 250:
                self._refused(code, smtplib.SMTPSenderRefused(code, reply, sender))
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused = smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
                self._refused(code, refused, permanent=code >= 500)
        except smtplib.SMTPNotSupportedError as error:  # SMTPUTF8 needed but not offered
            raise Refused(describe(error), permanent=True) from error
        except OSError as error:
            self._drop()
            raise Dropped(describe(error)) from error
        try:
            code, reply = smtp.data(data)
        except smtplib.SMTPDataError as error:  # refused the DATA command: nothing sent
            self._refused(error.smtp_code, error)
        except OSError as error:
            self._drop()
            raise OutcomeUnknown(describe(error)) from error
        if code != 250:
            self._refused(code, smtplib.SMTPDataError(code, reply), permanent=code >= 500)

    def _refused(self, code: int, error: Exception, *, permanent: bool = False) -> NoReturn:
        """Raise for a refusing reply: 421 (the server is closing) is Unreachable."""
        if code == 421:
            self._drop()
            raise Unreachable(describe(error))
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except OSError:
            self._drop()
        raise Refused(describe(error), permanent=permanent)


class EmlSender:
    """Write each message as `<Message-ID>.eml` in a directory (the embedded default)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def __enter__(self) -> EmlSender:
        self.directory.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def path_for(self, message_id: str) -> Path:
        """Return the file a message with this Message-ID is written to."""
        return self.directory / (re.sub(r"[^A-Za-z0-9._-]", "_", message_id.strip("<>")) + ".eml")

    def send(self, message: EmailMessage) -> None:
        """Write the message; writing it again replaces the same file (no duplicates)."""
        path = self.path_for(str(message["Message-ID"]))
        temporary = path.with_suffix(".tmp")
        try:
            temporary.write_bytes(message.as_bytes())
            temporary.replace(path)
        except OSError as error:
            raise Refused(describe(error)) from error


def sender_from_config(config: Any) -> SmtpSender | EmlSender:
    """Return the SMTP sender when SMTP_HOST is set, else the .eml writer under the instance dir."""
    if config.get("SMTP_HOST"):
        return SmtpSender(
            config["SMTP_HOST"],
            int(config["SMTP_PORT"]),
            user=config.get("SMTP_USER", ""),
            password=config.get("SMTP_PASSWORD", ""),
            security=config.get("SMTP_SECURITY", "starttls"),
            timeout=float(config.get("SMTP_TIMEOUT", 30)),
        )
    return EmlSender(Path(config["SURVEY_INSTANCE_DIR"]) / "mail")
