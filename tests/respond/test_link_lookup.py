"""A token page counts one rate-limit hit and reads its link with one statement."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from survey import create_app
from survey.extensions import db

ALREADY = "Redan besvarad"


@contextmanager
def _statements(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL of every statement the app's engine runs meanwhile."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def note(_connection, _cursor, sql, *_args) -> None:  # noqa: ANN001
        seen.append(" ".join(sql.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _lookups(seen: list[str]) -> list[str]:
    return [sql for sql in seen if "invitations.token_hash =" in sql]


def test_a_page_hits_its_counter_once_and_reads_its_link_once(app: Flask, client, token) -> None:
    with _statements(app) as seen:
        page = client.get(f"/s/{token}/all")
    assert page.status_code == 200 and "Vad tyckte ni om vårt besök?" in page.get_data(True)
    # Not reads, nor the expired counters' removal that about one hit in a hundred does.
    hits = [
        sql for sql in seen if "rate_limits" in sql and not sql.startswith(("SELECT", "DELETE"))
    ]
    assert len(hits) == 1  # the link's own counter; the address's guesses are only read
    assert len(_lookups(seen)) == 1 and _lookups(seen) != hits


def test_an_unknown_token_is_the_neutral_page(app: Flask, client) -> None:
    unknown = client.get("/s/" + "x" * 43)
    assert unknown.status_code == 404
    assert "Länken fungerar inte" in unknown.get_data(as_text=True)


def test_a_submission_is_stored_and_then_already_answered(app: Flask, client, token) -> None:
    from survey.models import Response

    page = client.get(f"/s/{token}/all").get_data(as_text=True)
    csrf = page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    answers = {"BESOK_VART_TIDEN": "5", "NKI_HELHET": "4", "csrf_token": csrf,
               "action": "submit"}  # fmt: skip
    response = client.post(f"/s/{token}/all", data=answers)
    assert response.status_code == 302 and response.location.endswith("/thanks")
    with app.app_context():
        assert db.session.query(Response).count() == 1
    again = client.get(f"/s/{token}/all")
    assert ALREADY in again.get_data(as_text=True)


def test_with_the_limiter_off_pages_still_read_their_link(database_url, token) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "RATELIMIT_ENABLED": False})  # fmt: skip
    try:
        with _statements(app) as seen:
            page = app.test_client().get(f"/s/{token}/all")
        assert page.status_code == 200
        assert not [sql for sql in seen if "rate_limits" in sql]
        assert len(_lookups(seen)) == 1
    finally:
        with app.app_context():
            db.engine.dispose()
