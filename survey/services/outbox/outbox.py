"""The mail outbox: queue messages in the caller's transaction, deliver them exactly once.

A run claims a batch of due rows in one statement, then delivers them one by one over one
SMTP connection: mark the message 'sending' and commit, send it, record the outcome (in the
commit that hands the next message over). So a crash loses the outcome of at most the one
message in flight; claimed rows that were never handed over stay 'queued' and are due
again when the claim's lease ends (see `outbox_ledger` for the states). A row left in
'sending' longer than the lease is NOT resent blindly (the server may have accepted it
before the crash): it becomes 'failed' with "unknown outcome" for an official to check and
requeue by hand, and so does a message whose connection broke while its data was on the
way. We prefer a rare missing mail that someone sees over
a duplicate that nobody can take back.

Mail whose invitation no longer needs it (answered, opted out, closed) is cancelled instead
of sent, and an unreachable server uses up no message's attempts: the run stops, its
messages stay queued, and the outage is in the report and the log (see `outbox_unsent`).
Attempts count what the server said about one message: a 4xx refusal is retried with
backoff, a 5xx refusal of a recipient or of the message fails it at once.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from survey.extensions import db
from survey.mail import (
    Dropped,
    OutcomeUnknown,
    Refused,
    Sender,
    Unreachable,
    build_message,
    describe,
)
from survey.models import OutboxMessage
from survey.models.base import utcnow
from survey.services.errors import DomainError, NotFound
from survey.services.outbox import ledger, links, unsent
from survey.services.outbox.ledger import LEASE, UNKNOWN_OUTCOME, Claimed, Outcome

MAX_ATTEMPTS = 8
OUTAGE_WAIT_MAX = 600  # seconds between `--watch` runs at most while the server is down
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery run did; `unreachable` says why the server could not be reached."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    stale: int = 0
    unknown: int = 0
    cancelled: int = 0
    deferred: int = 0
    unreachable: str | None = None


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
    password_reset_token_id: int | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (the caller commits)."""
    row = OutboxMessage(
        kind=kind,
        invitation_id=invitation_id,
        password_reset_token_id=password_reset_token_id,
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
    """Claim up to `limit` due messages (leased, still 'queued') and return their ids."""
    claimed = ledger.claim(db.session.connection(), limit, now=now or utcnow())
    db.session.commit()
    return [message.id for message in claimed]


def send_due(
    sender: Sender,
    *,
    batch_size: int = 200,
    max_attempts: int = MAX_ATTEMPTS,
    progress: Callable[[int], None] | None = None,
) -> DeliveryReport:
    """Release stale claims, then claim and deliver due messages batch by batch until none.

    A run stops at the first sign that the server cannot take mail (`Unreachable`) and
    puts its claimed messages back without counting an attempt (`outbox_unsent.defer`).
    """
    stale = release_stale()
    run = _Run(sender, current_app.config["SURVEY_MAIL_FROM"], max_attempts, progress)
    with sender:
        try:
            run.deliver_all(batch_size)
        except BaseException:
            with suppress(Exception):  # best effort: record what is known
                run.finish()
            raise
        run.finish()
    counts = run.counts
    if run.outage is not None:
        log.warning(
            "mail server unreachable, %d message(s) stay queued (no attempt counted): %s",
            counts["deferred"],
            run.outage,
        )
    return DeliveryReport(
        sent=counts["sent"],
        retrying=counts["queued"],
        failed=counts["failed"],
        stale=stale,
        unknown=counts["unknown"],
        cancelled=counts["cancelled"],
        deferred=counts["deferred"],
        unreachable=run.outage,
    )


class _Run:
    """One delivery run, one message at a time; each step commits on the session."""

    def __init__(
        self,
        sender: Sender,
        mail_from: str,
        max_attempts: int,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.sender, self.mail_from, self.max_attempts = sender, mail_from, max_attempts
        self.progress = progress or (lambda _done: None)
        self.counts: Counter[str] = Counter()
        self.done: Outcome | None = None  # recorded with the next hand-over (or by finish)
        self.waiting: list[Claimed] = []  # claimed, not yet tried
        self.declined: list[int] = []  # hand-over refused: cancelled if no longer needed
        self.outage: str | None = None  # why the server could not be reached

    def deliver_all(self, batch_size: int) -> None:
        """Claim and deliver batches until none is due or the server cannot be reached."""
        while self.outage is None:
            now = utcnow()
            connection = db.session.connection()
            claimed = ledger.claim(connection, batch_size, now=now)
            ids = [message.id for message in claimed] + self.declined
            cancelled = unsent.cancel(connection, ids, now=now)
            db.session.commit()
            self.declined = []
            self.counts["cancelled"] += len(cancelled)
            self.waiting = [message for message in claimed if message.id not in cancelled]
            self.progress(len(claimed) - len(self.waiting))
            if not claimed:
                return
            while self.waiting and self.outage is None:
                self._deliver(self.waiting.pop(0))

    def _deliver(self, message: Claimed) -> None:
        """Record the last outcome and hand this message over (one commit), then send it."""
        done, self.done = self.done, None
        handed = ledger.settle(
            db.session.connection(), done, message, now=utcnow(), max_attempts=self.max_attempts
        )
        db.session.commit()
        self._count(done)
        if not handed:  # no longer ours, or no longer needed
            self.declined.append(message.id)
            self.progress(1)
            return
        try:
            self.done = self._send(message)
        except Unreachable as error:
            self.outage = str(error)
            deferred = unsent.defer(db.session.connection(), message, self.waiting, now=utcnow())
            db.session.commit()
            self.counts["deferred"] += deferred
            self.progress(len(self.waiting) + 1)
            self.waiting = []

    def _send(self, message: Claimed) -> Outcome:
        """Build and send a handed-over message; return its outcome."""
        try:
            mail = build_message(links.reveal(message), mail_from=self.mail_from)
        except links.LinkUnavailable as error:  # retrying cannot help
            return Outcome(message, str(error), final=True)
        except ValueError as error:  # e.g. a line break in a header: retrying cannot help
            return Outcome(message, describe(error), final=True)
        try:
            self.sender.send(mail)
        except Refused as error:
            return Outcome(message, str(error), final=error.permanent)
        except Dropped as error:
            return Outcome(message, str(error))
        except OutcomeUnknown as error:
            return Outcome(message, str(error), unknown=True)
        return Outcome(message)

    def _count(self, outcome: Outcome | None) -> None:
        if outcome is not None:
            status = outcome.status(self.max_attempts)
            self.counts["unknown" if outcome.unknown else status] += 1
            self.progress(1)

    def finish(self) -> None:
        """Record the last outcome, put untried claims back (after an error), and cancel
        declined messages that are no longer needed."""
        db.session.rollback()
        done, self.done = self.done, None
        connection = db.session.connection()
        ledger.settle(connection, done, None, now=utcnow(), max_attempts=self.max_attempts)
        ledger.release(connection, self.waiting, now=utcnow())
        cancelled = unsent.cancel(connection, self.declined, now=utcnow())
        db.session.commit()
        self._count(done)
        self.counts["cancelled"] += len(cancelled)
        self.waiting, self.declined = [], []


def watch_delay(interval: int, outages: int) -> int:
    """Return the seconds to wait before the next run after `outages` runs in a row found
    the server unreachable: the interval, doubled per outage up to OUTAGE_WAIT_MAX."""
    if outages <= 0:
        return interval
    return min(interval * 2 ** min(outages, 16), max(interval, OUTAGE_WAIT_MAX))


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
