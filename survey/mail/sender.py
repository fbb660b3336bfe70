"""Deliver built messages: over one SMTP connection per run, or as .eml files on disk.

`send(mail, handover=...)` speaks SMTP up to the point of no return (the envelope and the
message data, without the final "." line) and only then waits for `handover.result()` to
say it may finish: the outbox resolves it once the message is durably recorded as handed
over, a commit that so overlaps the SMTP exchange. A server cannot accept a message before
its final line, so anything that goes wrong earlier is safe to retry.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from pathlib import Path
from typing import Any, NoReturn, Protocol

from survey.mail.message import OutgoingMail

_LEADING_DOT = re.compile(rb"(?m)^\.")


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
    """The connection broke before the message's final line: it was not accepted."""


class OutcomeUnknown(DeliveryError):
    """The connection broke after the final line: the server may have accepted it."""


class HandOver(Protocol):
    """Whether a message may be completed: resolved once it is recorded as handed over."""

    def done(self) -> bool:
        """Tell whether the answer is already there."""

    def result(self, timeout: float | None = None) -> bool:
        """Wait for the answer: True to complete the message, False to drop it."""


def describe(error: BaseException) -> str:
    """Return an error as one line for the delivery log."""
    return f"{type(error).__name__}: {error}"[:2000]


class Sender(Protocol):
    """A delivery channel used as a context manager around one run."""

    def __enter__(self) -> Sender: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, mail: OutgoingMail, *, handover: HandOver) -> bool:
        """Deliver one message; False when the hand-over said no (nothing was delivered)."""


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
        self._context: ssl.SSLContext | None = None

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

    def _tls(self) -> ssl.SSLContext:
        if self._context is None:
            self._context = ssl.create_default_context()
        return self._context

    def _connect(self) -> smtplib.SMTP:
        try:
            if self.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=self._tls()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except OSError as error:
            raise Unreachable(describe(error)) from error
        try:
            # The data and its final line go out as two writes: no Nagle delay between them.
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp.ehlo_or_helo_if_needed()  # a 4xx/5xx greeting raises SMTPHeloError
            if self.security == "starttls":
                smtp.starttls(context=self._tls())
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

    def _begin(self, smtp: smtplib.SMTP, mail: OutgoingMail) -> None:
        """Send the envelope and the DATA command (nothing can be delivered yet)."""
        code, reply = smtp.mail(mail.sender, ["SMTPUTF8"] if mail.smtputf8 else [])
        if code != 250:
            self._reply(smtp, code, smtplib.SMTPSenderRefused(code, reply, mail.sender))
        for recipient in mail.recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused = smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
                self._reply(smtp, code, refused, permanent=code >= 500)
        smtp.command_encoding = "ascii"  # smtplib switched it for SMTPUTF8; the data is bytes
        code, reply = smtp.docmd("DATA")
        if code != 354:
            self._reply(smtp, code, smtplib.SMTPDataError(code, reply))

    def _reply(
        self, smtp: smtplib.SMTP, code: int, error: Exception, *, permanent: bool = False
    ) -> NoReturn:
        """Raise for a refusing reply: 421 (the server is closing) is Unreachable."""
        if code == 421:
            self._drop()
            raise Unreachable(describe(error))
        try:
            smtp.rset()
        except OSError:
            self._drop()
        raise Refused(describe(error), permanent=permanent)

    def send(self, mail: OutgoingMail, *, handover: HandOver) -> bool:
        """Send one message; raise Refused, Dropped, Unreachable or OutcomeUnknown.

        The data goes out while the hand-over is pending; the final line only after it said
        yes (in the same write as the data when the answer is already there).
        """
        smtp = self._smtp = self._smtp or self._connect()
        data = _LEADING_DOT.sub(b"..", mail.data)
        data = data if data.endswith(b"\r\n") else data + b"\r\n"
        try:
            self._begin(smtp, mail)
            if not handover.done():
                smtp.send(data)
                data = b""
        except smtplib.SMTPNotSupportedError as error:  # SMTPUTF8 needed but not offered
            raise Refused(describe(error), permanent=True) from error
        except OSError as error:
            self._drop()
            raise Dropped(describe(error)) from error
        try:
            go_ahead = handover.result()
        except BaseException:
            self._drop()  # leaving DATA without the final line aborts the message
            raise
        if not go_ahead:
            self._drop()
            return False
        try:
            smtp.send(data + b".\r\n")
            code, reply = smtp.getreply()
        except OSError as error:
            self._drop()
            raise OutcomeUnknown(describe(error)) from error
        if code != 250:
            self._reply(smtp, code, smtplib.SMTPDataError(code, reply), permanent=code >= 500)
        return True


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

    def send(self, mail: OutgoingMail, *, handover: HandOver) -> bool:
        """Write the message; writing it again replaces the same file (no duplicates)."""
        path = self.path_for(mail.message_id)
        temporary = path.with_suffix(".tmp")
        try:
            temporary.write_bytes(mail.data)
        except OSError as error:
            raise Refused(describe(error)) from error
        if not handover.result():
            temporary.unlink(missing_ok=True)
            return False
        try:
            temporary.replace(path)
        except OSError as error:
            raise Refused(describe(error)) from error
        return True


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
