"""Turn an outbox row into the bytes of a standards-conforming multipart e-mail.

The message is written directly: RFC 5322 headers (RFC 2047 encoded words for non-ASCII
text, folded at 78 characters) and two UTF-8 parts in quoted-printable (7-bit clean, so no
8BITMIME is needed). Building it through `email.message.EmailMessage` cost about as much CPU
as the whole SMTP exchange, which mattered when sending thousands (issue 8); the tests parse
what we write with the `email` package, so the format stays checked.
"""

from __future__ import annotations

import base64
import binascii
import email.policy
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache
from typing import Protocol

from survey.models.base import utcnow

MAX_LINE = 78
# "=_" never occurs in quoted-printable text ("=" is always escaped or ends a line), so one
# boundary per process cannot collide with any part; no random bytes per message needed.
_BOUNDARY = f"=_{uuid.uuid4().hex}"


class MailContent(Protocol):
    """What a message is built from: an outbox row or a claimed copy of one."""

    to_addr: str
    from_name: str | None
    reply_to: str | None
    subject: str
    text_body: str
    html_body: str
    unsubscribe_url: str | None
    message_id: str


@dataclass(frozen=True)
class OutgoingMail:
    """A message ready for the wire: envelope and data (CRLF line ends, not dot-stuffed)."""

    message_id: str
    sender: str
    recipients: tuple[str, ...]
    data: bytes
    smtputf8: bool = False


def _plain(name: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError(f"the {name} header contains a line break")
    return value


def _encoded_words(value: str) -> str:
    """Return RFC 2047 'B' encoded words, one per folded line, never splitting a character.

    Each word carries at most 39 bytes (52 base64 characters, 64 in all), so a header line
    stays within 78 characters; decoders join adjacent encoded words without the folding.
    """
    chunks, chunk = [], b""
    for char in value:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > 39:
            chunks.append(chunk)
            chunk = b""
        chunk += encoded
    chunks.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(c).decode('ascii')}?=" for c in chunks)


def _text(name: str, value: str) -> str:
    """Return an unstructured header line (Subject), encoded and folded when needed."""
    _plain(name, value)
    if not value.isascii():
        return f"{name}: {_encoded_words(value)}"
    if len(name) + 2 + len(value) <= MAX_LINE:
        return f"{name}: {value}"
    folded = Header(value, "us-ascii", header_name=name).encode(linesep="\r\n")
    return f"{name}: {folded}"


@lru_cache(maxsize=256)
def _mailbox(name: str, display_name: str | None, address: str) -> str:
    """Return an address header line with an optional display name.

    The display name is folded by the `email` package (a phrase needs care that Subject
    does not: adjacent encoded words in it decode differently in different readers); the
    result is cached, as one survey's mails share their sender.
    """
    _plain(name, address)
    if not display_name:
        return f"{name}: {address}"
    _plain(name, display_name)
    if not address.isascii():  # SMTPUTF8 (RFC 6532): the address is written as it is
        quoted = display_name.replace("\\", "\\\\").replace('"', '\\"')
        return f'{name}: "{quoted}" <{address}>'
    holder = EmailMessage(policy=email.policy.SMTP)
    holder[name] = Address(display_name=display_name, addr_spec=address)
    return email.policy.SMTP.fold(name, holder[name]).removesuffix("\r\n")


def _part(subtype: str, body: str) -> bytes:
    text = body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    encoded = binascii.b2a_qp(text.encode("utf-8"), istext=True)
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    ).encode("ascii") + encoded


def build_message(
    row: MailContent, *, mail_from: str, date: datetime | None = None
) -> OutgoingMail:
    """Build the multipart/alternative (text + HTML, UTF-8) message for an outbox row.

    The Message-ID is the row's stable one, so a receiving server (and our tests) can tell
    a resent copy from a new message. A header value with a line break raises ValueError
    (it could smuggle in headers); an address outside ASCII needs SMTPUTF8 (RFC 6531).
    """
    boundary = _BOUNDARY
    lines = [_mailbox("From", row.from_name, mail_from), _mailbox("To", None, row.to_addr)]
    if row.reply_to:
        lines.append(_mailbox("Reply-To", None, row.reply_to))
    lines += [
        _text("Subject", row.subject),
        f"Date: {format_datetime(date or utcnow())}",
        f"Message-ID: {_plain('Message-ID', row.message_id)}",
    ]
    if row.unsubscribe_url:
        lines.append(f"List-Unsubscribe: <{_plain('List-Unsubscribe', row.unsubscribe_url)}>")
        lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    lines += [
        "Auto-Submitted: auto-generated",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
    ]
    head = "\r\n".join(lines).encode("utf-8")
    fence = f"\r\n--{boundary}\r\n".encode("ascii")
    data = b"".join(
        (
            head,
            b"\r\n",
            fence,
            _part("plain", row.text_body),
            fence,
            _part("html", row.html_body),
            f"\r\n--{boundary}--\r\n".encode("ascii"),
        )
    )
    return OutgoingMail(row.message_id, mail_from, (row.to_addr,), data, not head.isascii())
