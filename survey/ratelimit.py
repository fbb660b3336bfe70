"""A `limits` storage backend on our own database, so Flask-Limiter's counters are shared.

Registered under the scheme ``survey+db://`` (the default `RATELIMIT_STORAGE_URI`). Each
hit is one atomic upsert, committed on its own connection (autocommit), on SQLite and
PostgreSQL alike; set `RATELIMIT_STORAGE_URI=redis://...` to keep the counters in Redis
instead.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from limits.storage import Storage
from sqlalchemy import Float, Insert, Integer, String, bindparam, case, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from survey.models.ratelimit import RateLimitCounter

TABLE = RateLimitCounter.__table__


def _engine() -> Engine:
    from survey.extensions import db

    return db.engine


@contextmanager
def _hit_connection(engine: Engine) -> Iterator[Connection]:
    """Yield an autocommit connection: a counter's hit commits on its own, whatever the
    request's session does."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


@cache
def _upsert(dialect: str) -> Insert:
    """Return the counter upsert for a dialect (a new window replaces an expired one).

    On PostgreSQL the row comes from a one-row subquery that sets `synchronous_commit` off
    for the statement's own transaction: a crash may forget the last hits, which is harmless
    for a rate limit.
    """
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    amount = bindparam("amount", type_=Integer)
    now, expires = bindparam("now", type_=Float), bindparam("expires", type_=Float)
    expired = TABLE.c.expires_at <= now
    row = select(bindparam("key", type_=String), amount, expires)
    if dialect == "postgresql":
        unlogged = select(func.set_config("synchronous_commit", "off", True)).subquery()
        row = row.select_from(unlogged)
    return (
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

        One upsert on an autocommit connection. About once in a hundred hits the expired
        counters are removed (an index range on expires_at), never on every request.
        """
        now = time.time()
        engine = _engine()
        values = {"key": key, "amount": amount, "now": now, "expires": now + expiry}
        with _hit_connection(engine) as connection:
            count = connection.execute(_upsert(engine.dialect.name), values).scalar_one()
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
