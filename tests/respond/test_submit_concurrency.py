"""Concurrent submits of one token store exactly one response (PostgreSQL, real threads)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Response
from tests.factories import csrf_token, post_form

THREADS = 6


@pytest.mark.postgres  # SQLite serialises writers
def test_parallel_submits_store_one_response(app, backend, token) -> None:
    first = app.test_client()
    post_form(first, f"/s/{token}/1", {"BESOK_VART_TIDEN": "6", "action": "next"})
    clients = [app.test_client() for _ in range(THREADS)]
    tokens = [csrf_token(c, f"/s/{token}/review") for c in clients]
    barrier = threading.Barrier(THREADS)
    results: list[int] = []

    def submit(client, csrf: str) -> None:
        barrier.wait()
        response = client.post(f"/s/{token}/review", data={"csrf_token": csrf})
        results.append(response.status_code)

    threads = [
        threading.Thread(target=submit, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results).count(302) == 1, results
    assert all(code in (200, 302, 404) for code in results)
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 1
