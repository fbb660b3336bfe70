"""One delivery run as a two-stage pipeline: SMTP on the caller's thread, the record on another.

Per message the run (1) asks the ledger thread to record the previous message's outcome and
hand this one over (one commit), (2) meanwhile builds this message and sends its envelope
and data, and (3) sends the final line only when that commit is done. The commit's latency
(an fsync on PostgreSQL) so hides behind the SMTP exchange instead of adding to it, while
the order that makes delivery safe is kept: a message is durably 'sending' before the
server can accept it, and its outcome is durable before the next one can be accepted.

A run stops at the first sign that the server cannot take mail (`Unreachable`) and puts
its claimed messages back without counting an attempt (`outbox_unsent.defer`); attempts
count only what the server said about one message (a refusal, a dropped exchange).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Connection, Engine

from survey.mail import (
    Dropped,
    OutcomeUnknown,
    Refused,
    Sender,
    Unreachable,
    build_message,
    describe,
)
from survey.models.base import utcnow
from survey.services import mail_links, outbox_ledger, outbox_unsent
from survey.services.outbox_ledger import Claimed, Outcome

T = TypeVar("T")


@dataclass(frozen=True)
class Batch:
    """A claim's result: the messages to deliver, and how many were claimed and cancelled."""

    messages: list[Claimed]
    claimed: int
    cancelled: int


class Ledger:
    """Write one delivery run's record from a worker thread, on a connection of its own."""

    def __init__(self, engine: Engine, *, max_attempts: int) -> None:
        self.engine, self.max_attempts = engine, max_attempts
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-ledger")
        self._connection: Connection | None = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self._worker.submit(self._close).result()
        self._worker.shutdown()

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _transaction(self, work: Callable[[Connection], T]) -> T:
        if self._connection is None:
            connection = self.engine.connect()
            if connection.dialect.name == "postgresql":  # every write is one statement
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            self._connection = connection
        with self._connection.begin():
            return work(self._connection)

    def submit(self, work: Callable[[Connection], T]) -> Future[T]:
        """Run `work` in one transaction on the worker thread (jobs run in order)."""
        return self._worker.submit(self._transaction, work)

    def claim(self, limit: int, *, recheck: list[int]) -> Batch:
        """Claim due messages and cancel those (and `recheck`) no longer needed; wait for it."""

        def work(connection: Connection) -> Batch:
            now = utcnow()
            claimed = outbox_ledger.claim(connection, limit, now=now)
            ids = [message.id for message in claimed] + recheck
            cancelled = outbox_unsent.cancel(connection, ids, now=now)
            kept = [message for message in claimed if message.id not in cancelled]
            return Batch(kept, len(claimed), len(cancelled))

        return self.submit(work).result()

    def cancel(self, ids: list[int]) -> int:
        """Cancel those of these messages that are no longer needed; return how many."""
        if not ids:
            return 0
        return len(self.submit(lambda c: outbox_unsent.cancel(c, ids, now=utcnow())).result())

    def settle(self, done: Outcome | None, next_message: Claimed | None) -> Future[bool]:
        """Record `done` and hand `next_message` over in one commit; the future says if handed."""
        return self.submit(
            lambda c: outbox_ledger.settle(
                c, done, next_message, now=utcnow(), max_attempts=self.max_attempts
            )
        )

    def defer(self, handed: Claimed | None, waiting: list[Claimed]) -> int:
        """Put a run's messages back after an outage, no attempt counted; return how many."""
        return self.submit(lambda c: outbox_unsent.defer(c, handed, waiting, now=utcnow())).result()

    def release(self, messages: list[Claimed]) -> None:
        """Put claimed messages that were never handed over back in the queue."""
        self.submit(lambda c: outbox_ledger.release(c, messages, now=utcnow())).result()


class Delivery:
    """The caller's side of a run: build each message and speak SMTP; count the outcomes."""

    def __init__(
        self,
        ledger: Ledger,
        sender: Sender,
        *,
        mail_from: str,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.ledger, self.sender = ledger, sender
        self.mail_from, self.progress = mail_from, progress
        self.counts: Counter[str] = Counter()
        self.done: Outcome | None = None  # written with the next hand-over (or by finish)
        self.waiting: deque[Claimed] = deque()  # claimed, not yet tried
        self.declined: list[int] = []  # hand-over refused: cancelled if no longer needed
        self.outage: str | None = None  # why the server could not be reached

    def run(self, batch_size: int) -> None:
        """Claim and deliver batches until none is due or the server cannot be reached."""
        while True:
            batch = self.ledger.claim(batch_size, recheck=self.declined)
            self.declined = []
            self.counts["cancelled"] += batch.cancelled
            if self.progress and batch.claimed > len(batch.messages):
                self.progress(batch.claimed - len(batch.messages))
            if not batch.claimed or not self.deliver(batch.messages):
                return

    def deliver(self, batch: list[Claimed]) -> bool:
        """Deliver a claimed batch; False when the server cannot be reached (stop the run)."""
        self.waiting.extend(batch)
        while self.waiting:
            message = self.waiting.popleft()
            handed = self.ledger.settle(self.done, message)
            self.done = None
            try:
                self.done = self._deliver_one(message, handed)
            except Unreachable as error:
                self._defer(message, handed.result(), str(error))
                return False
            if self.done is None:
                self.declined.append(message.id)
            self._count(self.done)
        return True

    def _deliver_one(self, message: Claimed, handed: Future[bool]) -> Outcome | None:
        """Return the message's outcome, or None when it was not ours to send after all."""
        try:
            mail = build_message(mail_links.reveal(message), mail_from=self.mail_from)
        except mail_links.LinkUnavailable as error:
            return Outcome(message, str(error), final=True) if handed.result() else None
        except ValueError as error:  # e.g. a line break in a header: retrying cannot help
            return Outcome(message, describe(error), final=True) if handed.result() else None
        try:
            delivered = self.sender.send(mail, handover=handed)
        except Refused as error:
            if not handed.result():
                return None
            return Outcome(message, str(error), final=error.permanent)
        except Dropped as error:
            return Outcome(message, str(error)) if handed.result() else None
        except OutcomeUnknown as error:
            return Outcome(message, str(error), unknown=True)
        return Outcome(message) if delivered else None

    def _defer(self, message: Claimed, handed: bool, error: str) -> None:
        """Put this message and every one still waiting back: the server is unreachable."""
        self.outage = error
        if not handed:
            self.declined.append(message.id)
        waiting = list(self.waiting)
        self.waiting.clear()
        self.counts["deferred"] += self.ledger.defer(message if handed else None, waiting)
        if self.progress:
            self.progress(len(waiting) + 1)

    def _count(self, outcome: Outcome | None) -> None:
        if outcome is not None:
            status = outcome.status(self.ledger.max_attempts)
            self.counts["unknown" if outcome.unknown else status] += 1
        if self.progress:
            self.progress(1)

    def finish(self) -> None:
        """Write the last outcome; cancel declined messages that are no longer needed."""
        done, self.done = self.done, None
        self.ledger.settle(done, None).result()
        declined, self.declined = self.declined, []
        self.counts["cancelled"] += self.ledger.cancel(declined)

    def abandon(self) -> None:
        """After an error: write what is known and put untried claims back (best effort)."""
        with suppress(Exception):
            self.finish()
        with suppress(Exception):
            self.ledger.release(list(self.waiting))
