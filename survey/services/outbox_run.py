"""One delivery run as a two-stage pipeline: SMTP on the caller's thread, the record on another.

Per message the run (1) asks the ledger thread to record the previous message's outcome and
hand this one over (one commit), (2) meanwhile builds this message and sends its envelope
and data, and (3) sends the final line only when that commit is done. The commit's latency
(an fsync on PostgreSQL) so hides behind the SMTP exchange instead of adding to it, while
the order that makes delivery safe is kept: a message is durably 'sending' before the
server can accept it, and its outcome is durable before the next one can be accepted.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
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
from survey.services import outbox_ledger
from survey.services.outbox_ledger import Claimed, Outcome

T = TypeVar("T")


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

    def claim(self, limit: int) -> list[Claimed]:
        """Claim a batch of due messages (and wait for the commit)."""
        return self.submit(lambda c: outbox_ledger.claim(c, limit, now=utcnow())).result()

    def settle(self, done: Outcome | None, next_message: Claimed | None) -> Future[bool]:
        """Record `done` and hand `next_message` over in one commit; the future says if handed."""
        return self.submit(
            lambda c: outbox_ledger.settle(
                c, done, next_message, now=utcnow(), max_attempts=self.max_attempts
            )
        )

    def give_up(self, outcomes: list[Outcome]) -> None:
        """Record failed attempts for messages that could not be tried (one commit each)."""
        for written in [self.settle(outcome, None) for outcome in outcomes]:
            written.result()

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
                self._give_up(message, handed.result(), describe(error))
                return False
            self._count(self.done)
        return True

    def _deliver_one(self, message: Claimed, handed: Future[bool]) -> Outcome | None:
        """Return the message's outcome, or None when it was not ours to send after all."""
        try:
            mail = build_message(message, mail_from=self.mail_from)
        except ValueError as error:  # e.g. a line break in a header: retrying cannot help
            return Outcome(message, describe(error), final=True) if handed.result() else None
        try:
            delivered = self.sender.send(mail, handover=handed)
        except (Refused, Dropped) as error:
            return Outcome(message, str(error)) if handed.result() else None
        except OutcomeUnknown as error:
            return Outcome(message, str(error), unknown=True)
        return Outcome(message) if delivered else None

    def _give_up(self, message: Claimed, handed: bool, error: str) -> None:
        """Record a failed attempt for this message and every one still waiting."""
        outcomes = [Outcome(message, error)] if handed else []
        outcomes += [Outcome(waiting, error, handed=False) for waiting in self.waiting]
        self.waiting.clear()
        self.ledger.give_up(outcomes)
        for outcome in outcomes:
            self._count(outcome)

    def _count(self, outcome: Outcome | None) -> None:
        if outcome is not None:
            status = outcome.status(self.ledger.max_attempts)
            self.counts["unknown" if outcome.unknown else status] += 1
        if self.progress:
            self.progress(1)

    def finish(self) -> None:
        """Write the last outcome."""
        done, self.done = self.done, None
        self.ledger.settle(done, None).result()

    def abandon(self) -> None:
        """After an error: write what is known and put untried claims back (best effort)."""
        with suppress(Exception):
            self.finish()
        with suppress(Exception):
            self.ledger.release(list(self.waiting))
