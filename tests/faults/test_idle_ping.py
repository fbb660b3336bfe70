"""A pooled connection whose server process is gone is replaced before use (pool_pre_ping)."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from sqlalchemy import create_engine, text


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


def test_a_dead_pooled_connection_is_replaced_before_use(app: Flask) -> None:
    from survey.extensions import db

    with app.app_context():
        db.engine.dispose()
        first = _backend_pid(app)
        _terminate(app, first)
        assert _backend_pid(app) != first  # pinged, found dead, replaced: no error
