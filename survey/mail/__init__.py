"""E-mail: building MIME messages from outbox rows and delivering them (SMTP or .eml files)."""

from __future__ import annotations

from survey.mail.message import build_message
from survey.mail.sender import (
    DeliveryError,
    Dropped,
    EmlSender,
    OutcomeUnknown,
    Refused,
    Sender,
    SmtpSender,
    Unreachable,
    describe,
    sender_from_config,
)

__all__ = [
    "DeliveryError",
    "Dropped",
    "EmlSender",
    "OutcomeUnknown",
    "Refused",
    "Sender",
    "SmtpSender",
    "Unreachable",
    "build_message",
    "describe",
    "sender_from_config",
]
