"""Turn an outbox row into an `email.message.EmailMessage`: text and HTML, UTF-8."""

from __future__ import annotations

import email.policy
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Protocol

from survey.models.base import utcnow


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


def _plain(name: str, value: str) -> str:
    """Refuse a header value with a line break (it could smuggle in headers)."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"the {name} header contains a line break")
    return value


def build_message(
    row: MailContent, *, mail_from: str, date: datetime | None = None
) -> EmailMessage:
    """Build the multipart/alternative (text + HTML, UTF-8) message for an outbox row.

    The Message-ID is the row's stable one, so a receiving server (and our tests) can tell
    a resent copy from a new message. A header value with a line break raises ValueError;
    an address outside ASCII makes an SMTPUTF8 message (RFC 6531/6532).
    """
    addresses = (mail_from, row.to_addr, row.reply_to or "")
    international = not all(address.isascii() for address in addresses)
    message = EmailMessage(policy=email.policy.SMTPUTF8 if international else email.policy.SMTP)
    message["From"] = Address(
        display_name=_plain("From", row.from_name or ""), addr_spec=_plain("From", mail_from)
    )
    message["To"] = _plain("To", row.to_addr)
    if row.reply_to:
        message["Reply-To"] = _plain("Reply-To", row.reply_to)
    message["Subject"] = _plain("Subject", row.subject)
    message["Date"] = format_datetime(date or utcnow())
    message["Message-ID"] = _plain("Message-ID", row.message_id)
    if row.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{_plain('List-Unsubscribe', row.unsubscribe_url)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.text_body, cte="quoted-printable")
    message.add_alternative(row.html_body, subtype="html", cte="quoted-printable")
    return message
