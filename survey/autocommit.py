"""One autocommit connection per request for statements that are atomic on their own.

psycopg sends BEGIN and COMMIT as round trips of their own, so a statement that needs no
transaction around it (a rate-limit hit, the token lookup, a submission written in one
statement) costs three round trips on the session and one here. On PostgreSQL a request runs
such statements on one autocommit connection, taken from the pool at its first use and given
back when the request ends; the isolation level is reset as the pool takes it back. Work of
several statements that must commit together stays on the session. SQLite keeps everything
on the session (it has no round trips to save): `request_connection` returns None there.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context
from sqlalchemy.engine import Connection

_KEY = "survey_autocommit_connection"


def request_connection() -> Connection | None:
    """Return this request's autocommit connection (PostgreSQL), or None (SQLite, or no
    request: a command or a bare app context takes a connection of its own)."""
    if not has_request_context():
        return None
    connection = g.get(_KEY)
    if connection is None or connection.closed or connection.invalidated:
        from survey.extensions import db  # survey.extensions imports this module's users

        engine = db.engine
        if engine.dialect.name != "postgresql":
            return None
        if connection is not None:
            connection.close()  # lost with the database: back to the pool, to be replaced
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        setattr(g, _KEY, connection)
    return connection


def close_request_connection(_error: BaseException | None = None) -> None:
    """Give the connection back to the pool when the app context ends."""
    connection = g.pop(_KEY, None)
    if connection is not None:
        connection.close()


def register(app: Flask) -> None:
    """Close the request's autocommit connection when its app context is torn down."""
    app.teardown_appcontext(close_request_connection)
