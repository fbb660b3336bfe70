"""A database that cannot be reached gives the friendly 503 page, not a 500 or a trace.

In-process and without a server to stop: the app is pointed at a PostgreSQL port where
nothing listens, or at an SQLite file in a directory that does not exist. The restart of a
real server under load is tested in test_database_restart.py.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from tests.faults.cluster import free_port

TEXTS = {
    "sv": ("Tjänsten är tillfälligt otillgänglig", "Försök igen om en stund"),
    "en": ("The service is temporarily unavailable", "Try again in a moment"),
}


@pytest.fixture(params=["postgresql", "sqlite"])
def down_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An app whose database cannot be reached (nothing listening / no such directory)."""
    from survey import create_app
    from survey.extensions import db

    url = {
        "postgresql": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/survey",
        "sqlite": f"sqlite:///{tmp_path / 'no-such-directory' / 'survey.db'}",
    }[request.param]
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": None})
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_database_down_gives_the_friendly_503_page(down_app: Flask, language: str) -> None:
    token = secrets.token_urlsafe(32)
    reply = down_app.test_client().get(f"/s/{token}", headers={"Accept-Language": language})
    page = reply.get_data(as_text=True)
    assert reply.status_code == 503
    assert reply.headers["Retry-After"] == "30"
    assert f'<html lang="{language}">' in page
    assert all(text in page for text in TEXTS[language]), page
    assert "Traceback" not in page and "OperationalError" not in page


def test_api_answers_503_as_json_when_the_database_is_down(down_app: Flask) -> None:
    reply = down_app.test_client().get(
        "/api/v1/batteries", headers={"Authorization": "Bearer fe_" + secrets.token_urlsafe(32)}
    )
    assert reply.status_code == 503
    assert reply.is_json and set(reply.get_json()) == {"error"}


def test_logged_in_official_gets_the_503_page_too(app: Flask, login_as) -> None:
    """The page must not need the database: the usual layout would look up the user."""
    from survey import create_app
    from survey.extensions import db

    cookie = login_as("official").get_cookie("session")
    assert cookie is not None
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/survey"
    down = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": None})
    client = down.test_client()
    client.set_cookie("session", cookie.value)
    reply = client.get("/")
    assert reply.status_code == 503
    assert TEXTS["sv"][0] in reply.get_data(as_text=True)
    with down.app_context():
        db.engine.dispose()


@pytest.mark.postgres  # SQLite has no server connection to drop
def test_connection_dropped_after_the_view_still_sends_its_response(database_url: str) -> None:
    """A view is done while a read transaction is open; the server drops the connection
    before the teardown's ROLLBACK. The finished response must still go out."""
    from survey import create_app
    from survey.extensions import db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})  # adds a route

    killer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT")

    def finished_then_dropped() -> str:
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with killer.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            gone = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
            while connection.execute(gone, {"pid": pid}).scalar_one():
                time.sleep(0.01)
        return "done"

    app.add_url_rule("/finished-then-dropped", view_func=finished_then_dropped)
    reply = app.test_client().get("/finished-then-dropped")
    killer.dispose()
    with app.app_context():
        db.engine.dispose()
    assert (reply.status_code, reply.get_data(as_text=True)) == (200, "done")
