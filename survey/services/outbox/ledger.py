"""The outbox's delivery record: claim due mail, mark a message handed over, record outcomes.

After a crash every outbox row is in one of three states, each with its own mark:

- claimed by a run, not handed over: still 'queued', with `next_attempt_at` moved to the end
  of the claim's lease, so other runs skip it and cancelling it (`status='queued'` updates
  elsewhere) still works. If the run dies the row is simply due again when the lease ends:
  it never reached SMTP, so sending it later cannot make a duplicate.
- handed over: 'sending', `claimed_at` = when. The run commits this mark before the message's
  final line goes to the server, in the same commit as the previous message's outcome, so a
  run has at most one row in 'sending' at any moment: a crash loses the outcome of at most
  that message, which `outbox.release_stale` later fails as "unknown outcome".
- done: 'sent', 'failed', 'cancelled' (no longer needed, see `outbox_unsent`), or 'queued'
  again after a backoff (or after an outage, with no attempt counted).

`settle` writes one message's outcome (row, attempt row, invitation note) and the next
message's hand-over in one transaction: one commit per message, on both databases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    func,
    insert,
    literal,
    select,
    update,
)

from survey.models import Invitation, MailAttempt, OutboxMessage, PasswordResetToken
from survey.models.base import UTCDateTime
from survey.services.outbox.unsent import reason

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
LEASE = timedelta(minutes=10)
UNKNOWN_OUTCOME = "unknown outcome after an interrupted delivery; check, then requeue by hand"


def _link(name: str) -> ColumnElement[str | None]:
    """Return the `name` column of the link a message carries: its invitation's or reset's."""
    return func.coalesce(
        select(getattr(Invitation, name))
        .where(Invitation.id == OutboxMessage.invitation_id)
        .scalar_subquery(),
        select(getattr(PasswordResetToken, name))
        .where(PasswordResetToken.id == OutboxMessage.password_reset_token_id)
        .scalar_subquery(),
    )


_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.kind,
    OutboxMessage.invitation_id,
    OutboxMessage.attempts,
    OutboxMessage.to_addr,
    OutboxMessage.from_name,
    OutboxMessage.reply_to,
    OutboxMessage.subject,
    OutboxMessage.text_body,
    OutboxMessage.html_body,
    OutboxMessage.unsubscribe_url,
    OutboxMessage.message_id,
    # What delivery needs to put the withheld link back in (survey.services.outbox.links).
    *(_link(name) for name in ("token_nonce", "token_hash")),
)


@dataclass(frozen=True)
class Claimed:
    """A copy of a claimed outbox row: what delivery and its record need."""

    id: int
    kind: str
    invitation_id: int | None
    attempts: int
    to_addr: str
    from_name: str | None
    reply_to: str | None
    subject: str
    text_body: str
    html_body: str
    unsubscribe_url: str | None
    message_id: str
    link_nonce: str | None
    link_hash: str | None
    lease_end: datetime


@dataclass(frozen=True)
class Outcome:
    """What happened to one message: sent (no error), retry later, or failed for good."""

    message: Claimed
    error: str | None = None
    final: bool = False  # retrying cannot help (cannot be built, or a permanent refusal)
    unknown: bool = False  # the server may have accepted it: an official checks
    handed: bool = True  # marked 'sending' (else only claimed: the server was unreachable)

    def status(self, max_attempts: int) -> str:
        """Return the row's status after this outcome."""
        if self.error is None:
            return "sent"
        if self.final or self.unknown or self.message.attempts + 1 >= max_attempts:
            return "failed"
        return "queued"

    def note(self, max_attempts: int) -> str | None:
        """Return what to note on the invitation: 'sent', 'reminded', 'failed' or nothing."""
        status = self.status(max_attempts)
        if self.message.invitation_id is None or status == "queued" or self.unknown:
            return None
        if self.message.kind == "invitation":
            return "sent" if status == "sent" else "failed"
        return "reminded" if status == "sent" else None


def backoff(attempts: int) -> timedelta:
    """Return the wait before the next try after `attempts` failed ones (exponential, capped)."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def claim(connection: Connection, limit: int, *, now: datetime) -> list[Claimed]:
    """Claim up to `limit` due queued rows in one statement; return them in queue order.

    PostgreSQL skips rows another run is claiming at the same moment (SKIP LOCKED); SQLite
    runs one writer at a time. Either way the outer WHERE re-checks that a row is still due.
    The locking SELECT is a materialized CTE: as a plain `IN (subquery)` PostgreSQL may run
    it again per row, skip the rows this statement just updated, and claim past the limit.
    """
    lease_end = now + LEASE
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("due")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    rows = connection.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(select(due.c.id)),
            OutboxMessage.status == "queued",
            OutboxMessage.next_attempt_at <= now,
        )
        .values(next_attempt_at=lease_end)
        .returning(*_COLUMNS)
    ).all()
    return sorted((Claimed(*row, lease_end=lease_end) for row in rows), key=lambda c: c.id)


def _ours(message: Claimed, *, handed: bool) -> list[Any]:
    if handed:
        return [OutboxMessage.id == message.id, OutboxMessage.status == "sending"]
    return [
        OutboxMessage.id == message.id,
        OutboxMessage.status == "queued",
        OutboxMessage.next_attempt_at == message.lease_end,
    ]


def hand_over(connection: Connection, message: Claimed, *, now: datetime) -> bool:
    """Mark a claimed row 'sending'; False when it is no longer ours (cancelled, re-leased)
    or no longer needed (its invitation was answered, opted out of or closed meanwhile)."""
    result = connection.execute(
        update(OutboxMessage)
        .where(*_ours(message, handed=False), reason(now).is_(None))
        .values(status="sending", claimed_at=now)
    )
    return result.rowcount == 1


def _row_values(outcome: Outcome, *, now: datetime, max_attempts: int) -> dict[str, Any]:
    status = outcome.status(max_attempts)
    return {
        "status": status,
        "last_error": UNKNOWN_OUTCOME if outcome.unknown else outcome.error,
        "sent_at": now if status == "sent" else None,
        "next_attempt_at": (
            now + backoff(outcome.message.attempts + 1) if status == "queued" else None
        ),
    }


_NOTES: dict[str, Callable[[datetime], dict[str, Any]]] = {
    "sent": lambda at: {
        "sent_at": func.coalesce(Invitation.sent_at, literal(at, UTCDateTime())),
        "failed_at": None,
    },
    "reminded": lambda at: {"last_reminded_at": at},
    "failed": lambda at: {"failed_at": at},
}


def record(connection: Connection, outcome: Outcome, *, now: datetime, max_attempts: int) -> None:
    """Write an outcome: the row's status, an attempt row, and the invitation's delivery note."""
    message = outcome.message
    values = _row_values(outcome, now=now, max_attempts=max_attempts)
    for column in ("sent_at", "next_attempt_at"):  # unset: keep the column as it is
        if values[column] is None:
            del values[column]
    result = connection.execute(
        update(OutboxMessage)
        .where(*_ours(message, handed=outcome.handed))
        .values(attempts=OutboxMessage.attempts + 1, claimed_at=None, **values)
    )
    if result.rowcount != 1:
        return
    connection.execute(
        insert(MailAttempt).values(
            message_id=message.id, at=now, ok=outcome.error is None, error=outcome.error
        )
    )
    if (note := outcome.note(max_attempts)) is not None:
        connection.execute(
            update(Invitation)
            .where(Invitation.id == message.invitation_id)
            .values(**_NOTES[note](now))
        )


def settle(
    connection: Connection,
    done: Outcome | None,
    next_message: Claimed | None,
    *,
    now: datetime,
    max_attempts: int,
) -> bool:
    """Record `done` and mark `next_message` handed over; True when it was handed over.

    The caller makes this one transaction.
    """
    if done is not None:
        record(connection, done, now=now, max_attempts=max_attempts)
    return next_message is not None and hand_over(connection, next_message, now=now)


def release(connection: Connection, messages: list[Claimed], *, now: datetime) -> None:
    """Return claimed rows that were never handed over to the queue, due now."""
    for message in messages:
        connection.execute(
            update(OutboxMessage).where(*_ours(message, handed=False)).values(next_attempt_at=now)
        )
