"""A `limits` storage backend on our own database, so Flask-Limiter's counters are shared.

Registered under the scheme ``survey+db://`` (the default `RATELIMIT_STORAGE_URI`). Each
hit is one atomic upsert, committed on its own, on SQLite and PostgreSQL alike; set
`RATELIMIT_STORAGE_URI=redis://...` to keep the counters in Redis instead.

A request may ask its hit to bring one row along (`accompany`): on PostgreSQL the hit and
that read are then one statement, one round trip where they were two. The respondent pages
read their token's link so; the page takes the row with `take_companion_row` (once: a
second read in the same request goes to the database again). Where the hit does not run
on the request's connection (SQLite, Redis, the limiter off), nothing is read along and the
page reads the row itself.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import g, has_request_context
from limits.storage import Storage
from sqlalchemy import Float, Integer, Select, String, bindparam, case, delete, func, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from survey.autocommit import request_connection
from survey.driver import DriverStatement
from survey.models.ratelimit import RateLimitCounter

TABLE = RateLimitCounter.__table__


def _engine() -> Engine:
    from survey.extensions import db

    return db.engine


@contextmanager
def _hit_connection(engine: Engine) -> Iterator[Connection]:
    """Yield an autocommit connection for a hit or a read: each statement commits on its own,
    in one round trip.

    In a request on PostgreSQL it is the request's own (`survey.autocommit`), which its
    token lookup and submission use too: one checkout from the pool for all of them.
    """
    shared = request_connection()
    if shared is not None:
        yield shared
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


@cache
def _upsert(dialect: str) -> DriverStatement:
    """Return the counter upsert for a dialect (a new window replaces an expired one).

    On PostgreSQL the row comes from a one-row subquery that sets `synchronous_commit` off
    for the statement's own transaction (autocommit), so its commit does not wait for the
    write-ahead log to reach the disk, with no extra round trip for a SET.
    """
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    amount = bindparam("amount", type_=Integer)
    now, expires = bindparam("now", type_=Float), bindparam("expires", type_=Float)
    expired = TABLE.c.expires_at <= now
    row = select(bindparam("key", type_=String), amount, expires)
    if dialect == "postgresql":
        unlogged = select(func.set_config("synchronous_commit", "off", True)).subquery()
        row = row.select_from(unlogged)
    return DriverStatement(
        insert(TABLE)
        .from_select(["key", "count", "expires_at"], row)
        .on_conflict_do_update(
            index_elements=[TABLE.c.key],
            set_={
                "count": case((expired, amount), else_=TABLE.c.count + amount),
                "expires_at": case((expired, expires), else_=TABLE.c.expires_at),
            },
        )
        .returning(TABLE.c.count)
    )


_COMPANION = "survey_ratelimit_companion"
_READ = "survey_ratelimit_read"
#: `take_companion_row`: the hit did not read the row along (read it yourself).
NOT_READ: Any = object()


@dataclass(frozen=True)
class _Companion:
    query: Select
    parameters: dict[str, Any]


def accompany(query: Select, parameters: Mapping[str, Any]) -> None:
    """Ask this request's next counter hit to read ``query``'s first row in its statement.

    The query's first column must never be NULL in a row it returns (a primary key): a
    NULL there means it found no row. Its parameters must not be named like the hit's
    (key, amount, now, expires).
    """
    if has_request_context():
        g.pop(_READ, None)
        setattr(g, _COMPANION, _Companion(query, dict(parameters)))


def take_companion_row(query: Select, parameters: Mapping[str, Any]) -> tuple | None:
    """Return the row this request's hit read for ``query`` with these parameters (None:
    no row), once; NOT_READ when it read nothing for them."""
    read = g.pop(_READ, None) if has_request_context() else None
    if read is None or read[0] is not query or read[1] != parameters:
        return NOT_READ
    return read[2]


@cache
def _upsert_with(dialect: str, query: Select) -> DriverStatement:
    """Return the counter upsert that also reads ``query``'s first row: (count, *row)."""
    hit = _upsert(dialect).statement.cte("hit")
    read = query.subquery("companion")
    return DriverStatement(
        select(hit.c.count, *read.c).select_from(hit.outerjoin(read, true())).limit(1)
    )


def _hit_with_companion(connection: Connection, dialect: str, values: dict[str, Any]) -> int:
    """Run the hit with the request's companion read, if one waits; keep what it read."""
    companion: _Companion | None = g.pop(_COMPANION, None)
    if companion is None:
        return int(_upsert(dialect).scalar(connection, values))
    statement = _upsert_with(dialect, companion.query)
    count, *row = statement.first(connection, {**values, **companion.parameters})
    found = None if row[0] is None else tuple(row)
    setattr(g, _READ, (companion.query, companion.parameters, found))
    return int(count)


class DatabaseStorage(Storage):
    """Fixed-window rate-limit counters in the `rate_limits` table."""

    STORAGE_SCHEME = ["survey+db"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` hits to `key`, starting a new window when the old one expired.

        One prebuilt upsert on an autocommit connection. On PostgreSQL its commit does not
        wait for the write-ahead log to reach the disk (a crash may forget the last hits,
        which is harmless for a rate limit, and the fsync would cost more than the rest of
        the hit). About once in a hundred hits the expired counters are removed (an index
        range on expires_at), never on every request.
        """
        now = time.time()
        engine = _engine()
        values = {"key": key, "amount": amount, "now": now, "expires": now + expiry}
        with _hit_connection(engine) as connection:
            if connection is request_connection():  # PostgreSQL, in a request
                count = _hit_with_companion(connection, engine.dialect.name, values)
            else:
                count = _upsert(engine.dialect.name).scalar(connection, values)
            if random.random() < 0.01:  # noqa: S311 - housekeeping, not security
                connection.execute(delete(TABLE).where(TABLE.c.expires_at <= now))
        return int(count)

    def _row(self, key: str) -> tuple[int, float] | None:
        with _hit_connection(_engine()) as connection:
            row = connection.execute(
                select(TABLE.c.count, TABLE.c.expires_at).where(TABLE.c.key == key)
            ).first()
        if row is None or row.expires_at <= time.time():
            return None
        return int(row.count), float(row.expires_at)

    def get(self, key: str) -> int:
        """Return the hits in the current window of `key`."""
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        """Return when the current window of `key` ends (seconds since the epoch)."""
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        """Tell whether the database answers."""
        try:
            with _engine().connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Remove every counter."""
        with _engine().begin() as connection:
            return connection.execute(delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        """Remove the counter of `key`."""
        with _engine().begin() as connection:
            connection.execute(delete(TABLE).where(TABLE.c.key == key))
