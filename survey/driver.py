"""Run a hot Core statement on psycopg's own cursor, compiled once by SQLAlchemy.

SQLAlchemy's execution of a Core statement costs some 70-110 µs of Python on top of
psycopg's 40 (its execution context, parameter processing, result objects), as much as a
respondent's whole validation. The statements of every respondent request on PostgreSQL
(the rate-limit hit with the token lookup read along, `survey.ratelimit`, and the
one-statement submission) run on the request's autocommit connection (`survey.autocommit`),
so they are compiled once with
SQLAlchemy (the same SQL and bind casts, PostgreSQL's $n placeholders) and executed on a
psycopg RawCursor, which sends the text as it is: the columns'
own type processors convert parameters and results as SQLAlchemy would, its cursor events
are fired for listeners, and a driver error is handed to SQLAlchemy's own handling (wrapped
as `sqlalchemy.exc.DBAPIError`, a lost connection invalidated with the pool). Anywhere else
(SQLite, a connection inside a transaction) the statement goes through SQLAlchemy.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from psycopg import RawCursor
from sqlalchemy import Select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import Executable


@dataclass(frozen=True)
class _Compiled:
    sql: str  # with PostgreSQL's own $1, $2 … placeholders
    order: tuple[str, ...]  # the parameter of each placeholder
    defaults: dict[str, Any]  # values the statement carries itself (literals)
    binds: dict[str, Callable[[Any], Any]]  # parameter converters, where a type has one
    results: tuple[Callable[[Any], Any] | None, ...]  # result converters, by column


class DriverStatement:
    """A Core statement executed on the driver's cursor on autocommit PostgreSQL connections."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def first(self, connection: Connection, parameters: Mapping[str, Any]) -> tuple | None:
        """Execute; return the first row as a tuple (None when there is none)."""
        if not _direct(connection):
            row = connection.execute(self.statement, parameters).first()
            return None if row is None else tuple(row)
        compiled = self._compile(connection.dialect)
        row = self._run(connection, compiled, parameters)
        if row is None or not compiled.results:
            return row
        return tuple(
            value if convert is None else convert(value)
            for value, convert in zip(row, compiled.results, strict=True)
        )

    def scalar(self, connection: Connection, parameters: Mapping[str, Any]) -> Any:
        """Execute; return the first column of the first row (None when there is none)."""
        row = self.first(connection, parameters)
        return None if row is None else row[0]

    def _compile(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is not None:
            return found
        # Compiled with $n placeholders, run on a RawCursor: psycopg then sends the text as
        # it is, instead of parsing it for %(name)s on every execution (which it keeps only
        # for texts up to 4 KB; the submission's is longer).
        numbered = copy.copy(dialect)
        numbered.paramstyle, numbered.positional = "numeric_dollar", True
        compiled = self.statement.compile(dialect=numbered)
        defaults, binds = {}, {}
        for name, bind in compiled.binds.items():
            if not bind.required:
                defaults[name] = bind.effective_value
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                binds[name] = processor
        # A SELECT's columns are converted by their types; what an INSERT/UPDATE … RETURNING
        # or a text statement returns comes as the driver gives it.
        columns = self.statement.selected_columns if isinstance(self.statement, Select) else ()
        results = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        )
        order = tuple(compiled.positiontup or ())
        found = _Compiled(compiled.string, order, defaults, binds, results)
        self._compiled[dialect.name] = found
        return found

    @staticmethod
    def _run(
        connection: Connection, compiled: _Compiled, parameters: Mapping[str, Any]
    ) -> tuple | None:
        row = None
        named = {**compiled.defaults, **parameters}
        for name, convert in compiled.binds.items():
            named[name] = convert(named[name])
        values = [named[name] for name in compiled.order]
        events = connection.dispatch
        cursor = None
        try:
            cursor = RawCursor(connection.connection.driver_connection)
            sql = compiled.sql
            for listener in events.before_cursor_execute:
                listener(connection, cursor, sql, values, None, False)
            cursor.execute(sql, values)
            row = cursor.fetchone() if cursor.description else None
            for listener in events.after_cursor_execute:
                listener(connection, cursor, sql, values, None, False)
        except Exception as error:  # noqa: BLE001 - SQLAlchemy wraps, invalidates and raises
            connection._handle_dbapi_exception(error, compiled.sql, values, cursor, None)
        finally:
            if cursor is not None:
                cursor.close()
        return row


def _direct(connection: Connection) -> bool:
    """Tell whether the statement may run on the driver: PostgreSQL, autocommit."""
    return (
        connection.dialect.name == "postgresql"
        and connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
    )
