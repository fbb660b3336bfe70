"""Deliver built messages: over SMTP (one connection per batch) or as .eml files on disk."""

from __future__ import annotations

import re
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol


class Sender(Protocol):
    """A delivery channel used as a context manager around one batch."""

    def __enter__(self) -> Sender: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, message: EmailMessage) -> None:
        """Deliver one message or raise."""


class SmtpSender:
    """Send over one SMTP connection per batch, with STARTTLS, implicit TLS or neither."""

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
        context = ssl.create_default_context()
        if self.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            if self.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.user:
                smtp.login(self.user, self.password)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType
    ) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (smtplib.SMTPException, OSError):
            self._smtp.close()
        self._smtp = None

    def send(self, message: EmailMessage) -> None:
        """Send one message; the server refusing any recipient is a failure."""
        if self._smtp is None:
            raise RuntimeError("SmtpSender.send outside its `with` block")
        refused = self._smtp.send_message(message)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)


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
        temporary.write_bytes(message.as_bytes())
        temporary.replace(path)


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
