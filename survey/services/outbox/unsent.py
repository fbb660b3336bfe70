"""Outbox rows put aside without a delivery attempt: mail no longer needed, or the server down.

- Cancelled: a mail of an invitation that was answered, opted out of (the invitation or
  the company) or whose survey closed is not sent; the row becomes 'cancelled' with a note
  saying why. A reminder queued while the server was down so never reaches a company that
  answered in the meantime. It is checked where it costs no query per message: the batch
  claim cancels the rows it claimed that are no longer needed (one UPDATE per batch), and
  the hand-over that marks a message 'sending' refuses one that stopped being needed since
  (a condition in that statement), so a company that answers while its batch is being
  delivered is not mailed either; such a row is cancelled with the next claim.
- Deferred: when the server cannot be reached, the claimed rows go back to the queue with
  a note, no attempt counted: an outage of any length fails no message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from sqlalchemy import Connection, ScalarSelect, case, or_, select, update

from survey.models import Company, Invitation, OutboxMessage

if TYPE_CHECKING:
    from survey.services.outbox.ledger import Claimed

ANSWERED = "not sent: already answered"
OPTED_OUT = "not sent: opted out"
CLOSED = "not sent: survey closed"
ERASED = "not sent: contact erased on request"
SUPERSEDED = "not sent: the invitation was sent again"
SERVER_UNREACHABLE = "waiting: the mail server could not be reached"
RESET_EXPIRED = "not sent: the link expired; ask for a new one"  # set by migration 0004
OUTAGE_RETRY = timedelta(minutes=1)


def reason(now: datetime) -> ScalarSelect[str | None]:
    """Return why an outbox row's mail is no longer needed at `now`, NULL while it is.

    Correlated to the outbox row; NULL too for mail of no invitation (password resets).
    A survey is closed when its links expire (`Invitation.expires_at`, kept in step with
    the close date), so no join to the survey is needed.
    """
    return (
        select(
            case(
                (Invitation.submitted_at.is_not(None), ANSWERED),
                (or_(Invitation.opted_out_at.is_not(None), Company.opted_out), OPTED_OUT),
                (Invitation.expires_at <= now, CLOSED),
            )
        )
        .join(Company, Company.id == Invitation.company_id)
        .where(Invitation.id == OutboxMessage.invitation_id)
        .scalar_subquery()
    )


def cancel(connection: Connection, ids: list[int], *, now: datetime) -> set[int]:
    """Cancel the queued rows among `ids` whose mail is no longer needed; return their ids.

    Whoever holds a row's lease, cancelling it is safe: a cancelled row is never handed
    over, and a row already 'sending' is left alone.
    """
    if not ids:
        return set()
    why = reason(now)
    rows = connection.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "queued", why.is_not(None))
        .values(status="cancelled", last_error=why, claimed_at=None)
        .returning(OutboxMessage.id)
    )
    return set(rows.scalars())


def defer(
    connection: Connection,
    handed: Claimed | None,
    waiting: Iterable[Claimed],
    *,
    now: datetime,
) -> int:
    """Put a run's messages back after an outage, due again soon, with no attempt counted.

    `handed` was marked 'sending' but never got past the connection (or got a 421), so
    the server accepted nothing; `waiting` were claimed and not tried. Returns how many
    rows went back (rows no longer ours are left alone).
    """
    values = {"next_attempt_at": now + OUTAGE_RETRY, "last_error": SERVER_UNREACHABLE}
    count = 0
    if handed is not None:
        count += connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == handed.id, OutboxMessage.status == "sending")
            .values(status="queued", claimed_at=None, **values)
        ).rowcount
    for lease_end, group in groupby(waiting, key=lambda message: message.lease_end):
        count += connection.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_([message.id for message in group]),
                OutboxMessage.status == "queued",
                OutboxMessage.next_attempt_at == lease_end,
            )
            .values(**values)
        ).rowcount
    return count
