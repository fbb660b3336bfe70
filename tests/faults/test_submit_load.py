"""Load through gunicorn on PostgreSQL: many companies at once, and one link submitted at once.

Real token links over HTTP, each company from its own address (behind the simulated proxy,
so the token throttle counts per company as in production). A barrier releases every
thread together, before answering and again before submitting, so the submits overlap.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest

from tests.faults.conftest import (
    Served,
    Stored,
    answers_of,
    invite_companies,
    response_count,
    stored_by_token,
)
from tests.faults.respondent import ALREADY, NEUTRAL, THANKS, Respondent

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.xdist_group("faults")]

COMPANIES = 200
SAME_LINK = 50


def _together(count: int, job: Callable[[int, threading.Barrier], str]) -> list[str]:
    """Run `job(i, barrier)` in `count` threads sharing one barrier; return their results."""
    barrier = threading.Barrier(count)
    results = [""] * count

    def run(i: int) -> None:
        try:
            results[i] = job(i, barrier)
        except Exception as error:  # noqa: BLE001 - reported as the result, not lost in a thread
            barrier.abort()
            results[i] = f"{type(error).__name__}: {error}"

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_200_companies_submitting_at_once_are_each_stored_once(served: Served) -> None:
    log_start = served.server.log_size()
    invited = invite_companies(served.url, COMPANIES)
    base = served.server.base

    def company(i: int, barrier: threading.Barrier) -> str:
        token = invited.tokens[i]
        respondent = Respondent(base, token, f"10.30.{i // 250}.{i % 250 + 1}")
        barrier.wait()
        respondent.open_page(f"/s/{token}/1")
        form = {**answers_of(i), "action": "next", "csrf_token": respondent.csrf}
        saved = respondent.request("POST", f"/s/{token}/1", form)
        if saved.status != 302:
            return respondent.outcome(saved, "page POST")
        barrier.wait()
        return respondent.submit(follow=False)

    outcomes = _together(COMPANIES, company)
    assert Counter(outcomes) == {THANKS: COMPANIES}, Counter(o[:200] for o in outcomes)
    stored = stored_by_token(served.url, invited.tokens)
    assert all(stored[t] == Stored(True, 1, answers_of(i)) for i, t in enumerate(invited.tokens))
    assert response_count(served.url, invited.survey_id) == COMPANIES
    assert not served.server.errors(since=log_start), served.server.log(log_start)[-5000:]


def test_50_parallel_submits_of_one_link_store_one_response(served: Served) -> None:
    log_start = served.server.log_size()
    invited = invite_companies(served.url, 1)
    token, base = invited.tokens[0], served.server.base
    first = Respondent(base, token, "10.40.0.1")
    first.open_page(f"/s/{token}/1")
    form = {**answers_of(0), "action": "next", "csrf_token": first.csrf}
    assert first.request("POST", f"/s/{token}/1", form).status == 302

    def browser(i: int, barrier: threading.Barrier) -> str:
        respondent = Respondent(base, token, f"10.40.1.{i + 1}")
        review = respondent.open_page(f"/s/{token}/review")
        barrier.wait()
        if not respondent.csrf:
            return respondent.outcome(review, "review")
        return respondent.submit(follow=False)

    outcomes = Counter(_together(SAME_LINK, browser))
    assert outcomes[THANKS] == 1, outcomes
    # The others are told the survey is answered: the "already answered" page when they
    # lost the race inside the submit, the neutral page (which says it may have been
    # answered) when the link was already spent as their request arrived.
    assert set(outcomes) <= {THANKS, ALREADY, NEUTRAL}, outcomes
    assert stored_by_token(served.url, [token])[token] == Stored(True, 1, answers_of(0))
    assert response_count(served.url, invited.survey_id) == 1
    assert not served.server.errors(since=log_start), served.server.log(log_start)[-5000:]
