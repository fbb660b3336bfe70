"""Turn an outbox row into a standards-conforming multipart e-mail."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from survey.models import OutboxMessage
from survey.models.base import utcnow


def _address(display_name: str | None, addr_spec: str) -> Address:
    return Address(display_name=display_name or "", addr_spec=addr_spec)


def build_message(row: OutboxMessage, *, mail_from: str) -> EmailMessage:
    """Build the multipart/alternative (text + HTML, UTF-8) message for an outbox row.

    The Message-ID is the row's stable one, so a receiving server (and our tests) can tell
    a resent copy from a new message.
    """
    message = EmailMessage()
    message["From"] = _address(row.from_name, mail_from)
    message["To"] = row.to_addr
    if row.reply_to:
        message["Reply-To"] = row.reply_to
    message["Subject"] = row.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = row.message_id
    if row.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.text_body, charset="utf-8")
    message.add_alternative(row.html_body, subtype="html", charset="utf-8")
    return message
