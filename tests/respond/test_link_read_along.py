"""The token pages' rate-limit hit reads the token's link in the same statement (PostgreSQL).

One round trip where the hit and the lookup took two; the page takes the row once, and
reads it itself wherever the hit did not bring it along (SQLite, the limiter off, a second
read in the same request).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from survey import create_app
from survey.extensions import db
from survey.ratelimit import NOT_READ, DatabaseStorage, accompany, take_companion_row
from survey.services.invitations import hash_token
from survey.services.links import LINK_QUERY

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


def test_the_hit_and_the_lookup_are_one_statement(app: Flask, client, token, backend) -> None:
    with _statements(app) as seen:
        page = client.get(f"/s/{token}/all")
    assert page.status_code == 200 and "Vad tyckte ni om vårt besök?" in page.get_data(True)
    # Not reads, nor the expired counters' removal that about one hit in a hundred does.
    hits = [
        sql for sql in seen if "rate_limits" in sql and not sql.startswith(("SELECT", "DELETE"))
    ]
    assert len(hits) == 1  # the link's own counter; the address's guesses are only read
    if backend == "postgresql":
        assert _lookups(seen) == hits  # the lookup is the hit's own statement
    else:
        assert len(_lookups(seen)) == 1 and _lookups(seen) != hits  # two statements


def test_an_unknown_token_read_along_is_the_neutral_page(app: Flask, client) -> None:
    unknown = client.get("/s/" + "x" * 43)
    assert unknown.status_code == 404
    assert "Länken fungerar inte" in unknown.get_data(as_text=True)


def test_a_submission_with_the_link_read_along_is_stored(app: Flask, client, token) -> None:
    from survey.models import Response

    page = client.get(f"/s/{token}/all").get_data(as_text=True)
    csrf = page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    answers = {"BESOK_VART_TIDEN": "5", "NKI_HELHET": "4", "csrf_token": csrf,
               "action": "submit"}  # fmt: skip
    response = client.post(f"/s/{token}/all", data=answers)
    assert response.status_code == 302 and response.location.endswith("/thanks")
    with app.app_context():
        assert db.session.query(Response).count() == 1
    again = client.get(f"/s/{token}/all")  # read along again: now submitted
    assert ALREADY in again.get_data(as_text=True)


def test_the_row_read_along_is_taken_once_and_only_for_its_parameters(
    app: Flask, token, backend
) -> None:
    storage = DatabaseStorage("survey+db://")
    mine = {"token_hash": hash_token(token)}
    with app.test_request_context("/"):
        accompany(LINK_QUERY.statement, mine)
        assert storage.incr("token/10.1.1.1", 60) == 1
        other = {"token_hash": hash_token("someone-else")}
        assert take_companion_row(LINK_QUERY.statement, other) is NOT_READ
    with app.test_request_context("/"):
        accompany(LINK_QUERY.statement, mine)
        assert storage.incr("token/10.1.1.1", 60) == 2  # still counts
        row = take_companion_row(LINK_QUERY.statement, mine)
        if backend == "postgresql":
            assert row is not NOT_READ and row[0] is not None  # the invitation's id
            assert row == LINK_QUERY.first(db.session.connection(), mine)
        else:
            assert row is NOT_READ  # SQLite: no round trip to save, read as before
        assert take_companion_row(LINK_QUERY.statement, mine) is NOT_READ  # once
        db.session.rollback()
    with app.test_request_context("/"):
        accompany(LINK_QUERY.statement, {"token_hash": hash_token("unknown")})
        storage.incr("token/10.1.1.1", 60)
        found = take_companion_row(LINK_QUERY.statement, {"token_hash": hash_token("unknown")})
        assert found is (None if backend == "postgresql" else NOT_READ)


def test_with_the_limiter_off_pages_read_the_link_themselves(database_url, token) -> None:
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
