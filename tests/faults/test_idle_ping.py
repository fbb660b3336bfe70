"""Connections idle for more than a moment are pinged before use; busy ones are not (survey.pool).

A connection whose server process was terminated while it sat in the pool is replaced at
checkout once it has been idle longer than the window; within the window it is handed out as
it is (the documented trade-off: the statement fails, and the pool is discarded).
"""

from __future__ import annotations

import time

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

import survey.pool


def _backend_pid(app: Flask) -> int:
    from survey.extensions import db

    with db.engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(app: Flask, pid: int) -> None:
    killer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT")
    with killer.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        gone = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
        while connection.execute(gone, {"pid": pid}).scalar_one():
            time.sleep(0.01)
    killer.dispose()


# SQLite has no server connection to drop.
pytestmark = pytest.mark.postgres


def test_a_dead_idle_connection_is_replaced_before_use(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from survey.extensions import db

    monkeypatch.setattr(survey.pool, "ALIVE_WINDOW_SECONDS", 0.05)
    with app.app_context():
        db.engine.dispose()
        first = _backend_pid(app)
        _terminate(app, first)
        time.sleep(0.1)
        assert _backend_pid(app) != first  # pinged, found dead, replaced: no error


def test_a_connection_in_use_a_moment_ago_is_not_pinged(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from survey.extensions import db

    monkeypatch.setattr(survey.pool, "ALIVE_WINDOW_SECONDS", 3600.0)  # "a moment", however slow
    with app.app_context():
        db.engine.dispose()
        first = _backend_pid(app)
        _terminate(app, first)
        with pytest.raises(OperationalError):  # no ping within the window: the statement fails
            with db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        assert _backend_pid(app) != first  # and the pool starts on fresh connections
