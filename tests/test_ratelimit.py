"""The database-backed rate-limit storage: atomic counters shared by every app process."""

from __future__ import annotations

import time

from flask import Flask

from survey import create_app
from survey.ratelimit import DatabaseStorage


def test_counters_increase_expire_and_clear(app: Flask) -> None:
    storage = DatabaseStorage("survey+db://")
    with app.app_context():
        assert storage.check()
        assert [storage.incr("token/1.2.3.4", 60) for _ in range(3)] == [1, 2, 3]
        assert storage.get("token/1.2.3.4") == 3
        assert storage.get_expiry("token/1.2.3.4") > time.time()
        assert storage.incr("token/other", 60) == 1
        assert storage.incr("short", 0) == 1  # an expired window starts again
        assert storage.incr("short", 0) == 1
        storage.clear("token/1.2.3.4")
        assert storage.get("token/1.2.3.4") == 0


def test_counters_are_shared_between_app_processes(app: Flask, database_url: str) -> None:
    """Two app instances (as two gunicorn workers would be) see one counter."""
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    storage = DatabaseStorage("survey+db://")
    with app.app_context():
        storage.incr("login/10.0.0.1", 60)
    with other.app_context():
        assert storage.incr("login/10.0.0.1", 60) == 2
        from survey.extensions import db

        db.engine.dispose()
