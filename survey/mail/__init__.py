"""E-mail: building MIME messages from outbox rows and delivering them (SMTP or .eml files)."""

from __future__ import annotations

from survey.mail.message import build_message
from survey.mail.sender import EmlSender, Sender, SmtpSender, sender_from_config

__all__ = ["EmlSender", "Sender", "SmtpSender", "build_message", "sender_from_config"]
