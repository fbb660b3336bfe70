"""The outbox: mail queued in the same transaction as what caused it, and delivery attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.models.base import Base, intpk, timestamp

MAIL_STATUSES = ("queued", "sending", "sent", "failed", "cancelled")


class OutboxMessage(Base):
    """One e-mail waiting for, or done with, delivery.

    Its bodies and unsubscribe address hold personal links withheld (survey.services.
    mail_links): the token is put in only in the copy handed to the mail server.
    """

    __tablename__ = "outbox"
    __table_args__ = (CheckConstraint(f"status IN {MAIL_STATUSES!r}", name="status"),)

    id: Mapped[intpk]
    created_at: Mapped[timestamp]
    kind: Mapped[str] = mapped_column(String(20))  # invitation, reminder, password_reset, ...
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"), index=True)
    # The reset link a password-reset mail carries (its token is put in at delivery).
    password_reset_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("password_reset_tokens.id", ondelete="SET NULL")
    )
    to_addr: Mapped[str] = mapped_column(String(254))
    from_name: Mapped[str | None] = mapped_column(String(200))
    reply_to: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[timestamp]
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]

    attempt_log: Mapped[list[MailAttempt]] = relationship(
        back_populates="message", order_by="MailAttempt.at"
    )


class MailAttempt(Base):
    """One try at delivering a message, with its outcome."""

    __tablename__ = "mail_attempts"

    id: Mapped[intpk]
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), index=True)
    at: Mapped[timestamp]
    ok: Mapped[bool]
    error: Mapped[str | None] = mapped_column(Text)

    message: Mapped[OutboxMessage] = relationship(back_populates="attempt_log")
