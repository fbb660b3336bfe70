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
message's hand-over as one atomic unit. On PostgreSQL that is a single statement with
data-modifying CTEs, run in autocommit: one round trip and one commit per message, which is
what the delivery rate depends on. SQLite runs the same changes as Core statements in a
transaction (it has no data-modifying CTEs and no network round trips to save).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    bindparam,
    func,
    insert,
    literal,
    select,
    text,
    update,
)

from survey.models import Invitation, MailAttempt, OutboxMessage, PasswordResetToken
from survey.models.base import UTCDateTime
from survey.services.outbox_unsent import STILL_NEEDED_SQL, reason

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
    # What delivery needs to put the withheld link back in (survey.services.mail_links).
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


_SETTLE_POSTGRESQL = text(
    """
WITH done AS (
    UPDATE outbox
    SET status = :status, attempts = attempts + 1, claimed_at = NULL, last_error = :last_error,
        sent_at = COALESCE(:sent_at, sent_at),
        next_attempt_at = COALESCE(:next_attempt_at, next_attempt_at)
    WHERE id = :done_id AND (
        (CAST(:handed AS BOOLEAN) AND status = 'sending')
        OR (NOT CAST(:handed AS BOOLEAN) AND status = 'queued' AND next_attempt_at = :done_lease)
    )
    RETURNING id
), attempt AS (
    INSERT INTO mail_attempts (message_id, at, ok, error)
    SELECT id, :now, CAST(:ok AS BOOLEAN), CAST(:error AS TEXT) FROM done
), noted AS (
    UPDATE invitations
    SET sent_at = CASE WHEN CAST(:note AS TEXT) = 'sent'
                       THEN COALESCE(sent_at, :now) ELSE sent_at END,
        failed_at = CASE WHEN CAST(:note AS TEXT) = 'sent' THEN NULL
                         WHEN CAST(:note AS TEXT) = 'failed' THEN :now ELSE failed_at END,
        last_reminded_at = CASE WHEN CAST(:note AS TEXT) = 'reminded'
                                THEN :now ELSE last_reminded_at END
    WHERE id = :invitation_id AND EXISTS (SELECT FROM done)
), handed AS (
    UPDATE outbox SET status = 'sending', claimed_at = :now
    WHERE id = :next_id AND status = 'queued' AND next_attempt_at = :next_lease
    AND """
    + STILL_NEEDED_SQL
    + """
    RETURNING id
)
SELECT count(*) FROM handed
"""
).bindparams(
    *(
        bindparam(name, type_=UTCDateTime())
        for name in ("now", "sent_at", "next_attempt_at", "done_lease", "next_lease")
    )
)


def _settle_postgresql(
    connection: Connection,
    done: Outcome | None,
    next_message: Claimed | None,
    *,
    now: datetime,
    max_attempts: int,
) -> bool:
    params: dict[str, Any] = {"now": now, "next_id": None, "next_lease": None}
    if next_message is not None:
        params.update(next_id=next_message.id, next_lease=next_message.lease_end)
    params.update(done_id=None, handed=True, done_lease=None, ok=False, error=None)
    params.update(note=None, invitation_id=None, status="sent", last_error=None)
    params.update(sent_at=None, next_attempt_at=None)
    if done is not None:
        params.update(_row_values(done, now=now, max_attempts=max_attempts))
        params.update(
            done_id=done.message.id, handed=done.handed, done_lease=done.message.lease_end
        )
        params.update(ok=done.error is None, error=done.error, note=done.note(max_attempts))
        params.update(invitation_id=done.message.invitation_id)
    return connection.execute(_SETTLE_POSTGRESQL, params).scalar_one() == 1


def settle(
    connection: Connection,
    done: Outcome | None,
    next_message: Claimed | None,
    *,
    now: datetime,
    max_attempts: int,
) -> bool:
    """Record `done` and mark `next_message` handed over; True when it was handed over.

    The caller makes this one transaction (on PostgreSQL it is one statement anyway).
    """
    if connection.dialect.name == "postgresql":
        return _settle_postgresql(
            connection, done, next_message, now=now, max_attempts=max_attempts
        )
    if done is not None:
        record(connection, done, now=now, max_attempts=max_attempts)
    return next_message is not None and hand_over(connection, next_message, now=now)


def release(connection: Connection, messages: list[Claimed], *, now: datetime) -> None:
    """Return claimed rows that were never handed over to the queue, due now."""
    for message in messages:
        connection.execute(
            update(OutboxMessage).where(*_ours(message, handed=False)).values(next_attempt_at=now)
        )
