"""PostgreSQL restarted under a run of submissions: nothing acknowledged is lost, nothing is
stored twice or in part, and the same gunicorn workers serve again (idle connections are
pinged before use, pool_pre_ping).

A throwaway cluster (tests/faults/cluster.py) is stopped with `pg_ctl stop -m fast` in the
middle of a run of real respondent submissions from several threads and started again while
the run goes on. During the outage every request gets the friendly 503 page; a company that
sees it tries again a moment later, as the page asks. Every submission answered with the
thank-you redirect must be stored exactly once with its answers. Then the cluster restarts
while the app is idle: every pooled connection is dead, and the next submissions must all
succeed at the first try, from the same worker processes.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable

import pytest

from tests.faults.conftest import (
    Invited,
    Served,
    Stored,
    answers_of,
    invite_companies,
    response_count,
    stored_by_token,
)
from tests.faults.respondent import NEUTRAL, THANKS, UNAVAILABLE, Respondent

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.xdist_group("faults")]

THREADS = 6
IN_RUN = 40  # companies answering while the database goes down and comes back
AFTERWARDS = 12  # companies answering after the idle restart
ACKNOWLEDGED_BEFORE_STOP = 10
REFUSED_BEFORE_START = 6
PATIENCE = 400  # tries per company before the run gives up (the outage lasts seconds)


class Run:
    """Threads answering a queue of companies; a company refused with 503 tries again."""

    def __init__(self, base: str, invited: Invited, tokens: list[str], *, retry: bool) -> None:
        self.base, self.invited, self.retry = base, invited, retry
        self.queue = deque(tokens)
        self.lock = threading.Lock()
        self.restarted = False  # set by the test once the database is back
        self.attempts: list[tuple[str, str, bool]] = []  # token, outcome, after the restart
        self.threads = [threading.Thread(target=self._work) for _ in range(THREADS)]

    def _work(self) -> None:
        while True:
            with self.lock:
                if not self.queue:
                    return
                token = self.queue.popleft()
            number = self.invited.numbers[token]
            respondent = Respondent(self.base, token, f"10.20.{number // 250}.{number % 250 + 1}")
            for _ in range(PATIENCE if self.retry else 1):
                outcome = respondent.answer(answers_of(number), follow=not self.retry)
                with self.lock:
                    self.attempts.append((token, outcome, self.restarted))
                if outcome != UNAVAILABLE:
                    break
                time.sleep(0.2)  # a person reads the page, then tries again

    def count(self, outcome: str, *, restarted: bool | None = None) -> int:
        with self.lock:
            return sum(
                1
                for _token, seen, after in self.attempts
                if seen == outcome and restarted in (None, after)
            )

    def tally(self) -> Counter[str]:
        """Count the outcomes (odd replies cut short, so a failure message stays readable)."""
        with self.lock:
            return Counter(outcome[:200] for _token, outcome, _after in self.attempts)

    def final(self) -> dict[str, str]:
        """Return each company's last outcome."""
        with self.lock:
            return {token: outcome for token, outcome, _after in self.attempts}

    def wait_until(self, done: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + 120
        while not done():
            alive = any(thread.is_alive() for thread in self.threads)
            assert alive and time.monotonic() < deadline, f"never saw {what}: {self.tally()}"
            time.sleep(0.01)

    def __enter__(self) -> Run:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        for thread in self.threads:
            thread.join()


def test_restart_keeps_every_acknowledged_submission_and_app_serves_again(served: Served) -> None:
    cluster, server, url = served.cluster, served.server, served.url
    log_start = server.log_size()
    invited = invite_companies(url, IN_RUN + AFTERWARDS)
    workers = server.worker_pids()

    with Run(server.base, invited, invited.tokens[:IN_RUN], retry=True) as run:
        run.wait_until(lambda: run.count(THANKS) >= ACKNOWLEDGED_BEFORE_STOP, "submissions")
        cluster.stop("fast")
        run.wait_until(lambda: run.count(UNAVAILABLE) >= REFUSED_BEFORE_START, "the 503 page")
        cluster.start()
        run.restarted = True
    assert set(run.tally()) <= {THANKS, UNAVAILABLE, NEUTRAL}, f"odd replies: {run.tally()}"
    assert run.count(THANKS, restarted=True) > 0, "nothing went through after the restart"
    _assert_stored_once(url, invited, run.final())

    # Idle restart: every pooled connection in every worker is now dead.
    cluster.stop("fast")
    cluster.start()
    with Run(server.base, invited, invited.tokens[IN_RUN:], retry=False) as fresh:
        pass
    assert set(fresh.tally()) == {THANKS}, f"first tries after the restart: {fresh.tally()}"
    _assert_stored_once(url, invited, fresh.final())
    assert response_count(url, invited.survey_id) == len(invited.tokens)
    assert server.worker_pids() == workers, "gunicorn workers were replaced"
    assert not server.errors(since=log_start), server.log(log_start)[-5000:]


def _assert_stored_once(url: str, invited: Invited, final: dict[str, str]) -> None:
    """Every company is stored exactly once with all its answers.

    A company whose last try met the neutral page had its submission committed on a try
    that was refused; that is allowed (it is stored, once), a lost or partial one is not.
    """
    stored = stored_by_token(url, list(final))
    for token, outcome in final.items():
        assert outcome in (THANKS, NEUTRAL), (token, outcome)
        assert stored[token] == Stored(True, 1, answers_of(invited.numbers[token])), outcome
