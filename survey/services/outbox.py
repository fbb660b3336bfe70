"""The mail outbox: queue messages in the caller's transaction, deliver them exactly once.

Delivery claims each due row with `UPDATE ... SET status='sending' WHERE status='queued'`,
so two workers never take the same row; it commits after every message, so a crash loses
the outcome of at most the one message in flight. A row left in 'sending' longer than the
lease is NOT resent blindly (the server may have accepted it before the crash): it becomes
'failed' with "unknown outcome" for an official to check and requeue by hand. We prefer a
rare missing mail that someone sees over a duplicate that nobody can take back.
"""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from survey.extensions import db
from survey.mail import Sender, build_message
from survey.models import MailAttempt, OutboxMessage
from survey.models.base import utcnow
from survey.services.errors import DomainError, NotFound

MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
LEASE = timedelta(minutes=10)
UNKNOWN_OUTCOME = "unknown outcome after an interrupted delivery; check, then requeue by hand"


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    stale: int = 0


def new_message_id() -> str:
    """Return a fresh, globally unique Message-ID."""
    domain = current_app.config["SURVEY_MAIL_FROM"].rpartition("@")[2] or "localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


def enqueue(
    *,
    kind: str,
    to_addr: str,
    subject: str,
    text_body: str,
    html_body: str,
    from_name: str | None = None,
    reply_to: str | None = None,
    unsubscribe_url: str | None = None,
    invitation_id: int | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (the caller commits)."""
    row = OutboxMessage(
        kind=kind,
        invitation_id=invitation_id,
        to_addr=to_addr,
        from_name=from_name,
        reply_to=reply_to,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        unsubscribe_url=unsubscribe_url,
        message_id=new_message_id(),
        status="queued",
        next_attempt_at=max(not_before or utcnow(), utcnow()),
    )
    db.session.add(row)
    return row


def backoff(attempts: int) -> timedelta:
    """Return the wait before the next try after `attempts` failed ones (exponential, capped)."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def release_stale(now: datetime | None = None) -> int:
    """Mark rows stuck in 'sending' past the lease as failed with an unknown outcome."""
    now = now or utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - LEASE)
        .values(status="failed", last_error=UNKNOWN_OUTCOME)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount or 0


def claim_due(limit: int, now: datetime | None = None) -> list[int]:
    """Claim up to `limit` due queued messages for this worker and return their ids."""
    now = now or utcnow()
    candidates = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    claimed = []
    for message_id in candidates:
        result = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == "queued")
            .values(status="sending", claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            claimed.append(message_id)
    db.session.commit()
    return claimed


def _record(row: OutboxMessage, error: str | None, max_attempts: int) -> str:
    now = utcnow()
    row.attempts += 1
    db.session.add(MailAttempt(message_id=row.id, at=now, ok=error is None, error=error))
    if error is None:
        row.status, row.sent_at, row.last_error = "sent", now, None
    elif row.attempts >= max_attempts:
        row.status, row.last_error = "failed", error
    else:
        row.status, row.last_error = "queued", error
        row.next_attempt_at = now + backoff(row.attempts)
    row.claimed_at = None
    _after_delivery(row)
    db.session.commit()
    return row.status


def _after_delivery(row: OutboxMessage) -> None:
    if row.invitation_id is None or row.status == "queued":
        return
    from survey.services.invitations import mark_delivery

    mark_delivery(row.invitation_id, kind=row.kind, ok=row.status == "sent", at=utcnow())


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def deliver(
    ids: list[int],
    sender: Sender,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    progress: Callable[[int], None] | None = None,
) -> DeliveryReport:
    """Deliver claimed messages over one connection; failures back off or fail for good."""
    counts = {"sent": 0, "queued": 0, "failed": 0}
    rows = [row for i in ids if (row := db.session.get(OutboxMessage, i)) is not None]
    mail_from = current_app.config["SURVEY_MAIL_FROM"]
    try:
        with sender:
            for row in rows:
                try:
                    sender.send(build_message(row, mail_from=mail_from))
                except (smtplib.SMTPServerDisconnected, ConnectionError):
                    raise
                except (smtplib.SMTPException, OSError) as error:
                    counts[_record(row, _describe(error), max_attempts)] += 1
                else:
                    counts[_record(row, None, max_attempts)] += 1
                if progress:
                    progress(1)
    except (smtplib.SMTPException, OSError) as error:
        # The connection failed or dropped: every message not yet done waits for a later run.
        for row in rows:
            if row.status == "sending":
                counts[_record(row, _describe(error), max_attempts)] += 1
                if progress:
                    progress(1)
    return DeliveryReport(sent=counts["sent"], retrying=counts["queued"], failed=counts["failed"])


def send_due(
    sender: Sender,
    *,
    batch_size: int = 200,
    max_attempts: int = MAX_ATTEMPTS,
    progress: Callable[[int], None] | None = None,
) -> DeliveryReport:
    """Release stale claims, then claim and deliver due messages batch by batch until none."""
    stale = release_stale()
    total = DeliveryReport(stale=stale)
    while True:
        ids = claim_due(batch_size)
        if not ids:
            return total
        report = deliver(ids, sender, max_attempts=max_attempts, progress=progress)
        total = DeliveryReport(
            sent=total.sent + report.sent,
            retrying=total.retrying + report.retrying,
            failed=total.failed + report.failed,
            stale=stale,
        )
        if report.sent == 0:
            return total


def count_due(now: datetime | None = None) -> int:
    """Return how many queued messages are due now."""
    return (
        db.session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= (now or utcnow())
            )
        )
        or 0
    )


def requeue(message_id: int) -> OutboxMessage:
    """Put a failed message back in the queue (an official decided it should be sent)."""
    row = db.session.get(OutboxMessage, message_id)
    if row is None:
        raise NotFound(_("The message does not exist."))
    if row.status != "failed":
        raise DomainError(_("Only failed messages can be queued again."))
    row.status, row.next_attempt_at, row.attempts = "queued", utcnow(), 0
    db.session.commit()
    return row
