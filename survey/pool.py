"""Pessimistic disconnect handling without a round trip per checkout under load.

SQLAlchemy's `pool_pre_ping` pings the database at every checkout: one more round trip for
each connection a request takes (a respondent's submission takes two: the rate-limit hit
and the request's own), a visible share of its cost. A connection dies while it sits in the
pool (a database restart, a cut network), so only one that was idle for longer than a
moment is pinged here, as connection pools such as HikariCP do ("alive bypass window"). One
used a moment ago is handed out as it is: if the database went away within that moment, the
statement fails, the request gets the 503 page (survey.web.errors) and SQLAlchemy's
disconnect handling discards the whole pool, so the next request starts on fresh
connections. A restart takes far longer than the window, so after one every connection is
pinged and replaced before use.
"""

from __future__ import annotations

import time
from typing import Any
from weakref import WeakSet

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

#: A connection returned to the pool longer ago than this is pinged before it is handed out.
ALIVE_WINDOW_SECONDS = 0.1
_RETURNED = "survey_returned_at"
_WATCHED: WeakSet[Engine] = WeakSet()


def ping_idle_connections(engine: Engine) -> None:
    """Make the engine's pool ping a connection at checkout unless it was just in use."""
    if engine in _WATCHED:
        return
    _WATCHED.add(engine)
    ping = engine.dialect.do_ping

    def checkin(dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        returned = record.info.get(_RETURNED)
        if returned is None or time.monotonic() - returned < ALIVE_WINDOW_SECONDS:
            return  # new, or in use a moment ago
        try:
            ping(dbapi_connection)
        except Exception as error:
            # The pool then retries the checkout with a new connection.
            raise DisconnectionError(f"an idle database connection is gone: {error}") from error

    event.listen(engine, "checkin", checkin)
    event.listen(engine, "checkout", checkout)
