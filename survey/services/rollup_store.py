"""Add summed cells to ``index_rollups``: atomic ``x = x + excluded.x`` upserts.

Two writers adding to the same row both count: the upsert adds on the database side under
the row's lock. Rows go in key order, so concurrent writers take row locks in the same
order and cannot deadlock. Many rows on PostgreSQL go through ``COPY`` into a temporary
table and one ``INSERT … SELECT … ON CONFLICT``; otherwise Core executemany of the same
upsert (SQLite and PostgreSQL both have ``ON CONFLICT … DO UPDATE``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.dialects import postgresql, sqlite

from survey.extensions import db
from survey.models.rollup import COUNT_COLUMNS, KEY_COLUMNS, VALUE_COLUMNS, index_rollups
from survey.services.rollup_cube import Cells

#: From this many rows on, PostgreSQL merges through COPY instead of executemany.
COPY_ROWS = 2_000
DELTA = "rollup_delta"


def add_cells(battery_id: int, cells: Cells) -> None:
    """Add the cells to the battery's rollup rows (in the caller's transaction)."""
    if not cells.keys:
        return
    order = sorted(range(len(cells.keys)), key=cells.keys.__getitem__)
    counts = len(COUNT_COLUMNS)
    rows = [
        (
            battery_id,
            *cells.keys[i],
            *(int(round(v)) for v in cells.values[i, :counts].tolist()),
            *cells.values[i, counts:].tolist(),
        )
        for i in order
    ]
    connection = db.session.connection()
    if connection.dialect.name == "postgresql" and len(rows) >= COPY_ROWS:
        _copy_merge(connection, rows)
    else:
        _upsert(connection, rows)


def delete_empty(battery_id: int) -> None:
    """Drop the battery's rows that no longer count any response (after removals)."""
    db.session.execute(
        index_rollups.delete().where(
            index_rollups.c.battery_id == battery_id, index_rollups.c.responses <= 0
        )
    )


def _upsert(connection: Connection, rows: list[tuple]) -> None:
    insert = (postgresql if connection.dialect.name == "postgresql" else sqlite).insert
    statement = insert(index_rollups)
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={name: index_rollups.c[name] + statement.excluded[name] for name in VALUE_COLUMNS},
    )
    names = (*KEY_COLUMNS, *VALUE_COLUMNS)
    connection.execute(statement, [dict(zip(names, row, strict=True)) for row in rows])


def _copy_merge(connection: Connection, rows: list[tuple]) -> None:
    """COPY the rows into a temporary table, then add them in one upsert."""
    columns = ", ".join((*KEY_COLUMNS, *VALUE_COLUMNS))
    keys = ", ".join(KEY_COLUMNS)
    connection.execute(
        text(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {DELTA} "
            f"(LIKE index_rollups INCLUDING DEFAULTS) ON COMMIT DROP"
        )
    )
    connection.execute(text(f"TRUNCATE {DELTA}"))
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {DELTA} ({columns}) FROM STDIN") as copy:
        copy.write("".join(_line(row) for row in rows))
    updates = ", ".join(f"{c} = index_rollups.{c} + excluded.{c}" for c in VALUE_COLUMNS)
    connection.execute(
        text(
            f"INSERT INTO index_rollups ({columns}) SELECT {columns} FROM {DELTA} "
            f"ORDER BY {keys} ON CONFLICT ({keys}) DO UPDATE SET {updates}"
        )
    )


def _line(row: tuple[Any, ...]) -> str:
    """Format one row for COPY's text format (floats as their exact shortest repr)."""
    return "\t".join(map(_cell, row)) + "\n"


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
