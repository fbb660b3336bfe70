"""Add summed cells to ``index_rollups``: atomic ``x = x + excluded.x`` upserts.

Two writers adding to the same row both count: the upsert adds on the database side under
the row's lock. Rows go in key order, so concurrent writers take row locks in the same
order and cannot deadlock. On PostgreSQL a few rows (a submit's 8) go as one JSON parameter
of one prepared ``INSERT … SELECT … ON CONFLICT``, many rows through a binary ``COPY`` into a
temporary table and one such upsert; on SQLite, Core executemany of ``INSERT … ON CONFLICT
DO UPDATE`` (in process, no round trips).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Connection, text
from sqlalchemy.dialects import sqlite

from survey.extensions import db
from survey.models.rollup import (
    COUNT_COLUMNS,
    GRAINS,
    KEY_COLUMNS,
    SUM_COLUMNS,
    VALUE_COLUMNS,
    index_rollups,
)
from survey.services.rollup_cube import (
    COMBINATIONS,
    DIMENSIONS,
    Cells,
    Vectors,
    cells,
    contribution_row,
)

#: From this many rows on, PostgreSQL merges through COPY instead of executemany.
COPY_ROWS = 2_000
DELTA = "rollup_delta"
PG_EPOCH_DAYS = 10_957  # 2000-01-01, PostgreSQL's day zero, in days since 1970-01-01
DELTA_TABLE = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {DELTA} (battery_id integer, grain smallint, "
    "cuboid smallint, period date, survey_id integer, service_area_id integer, "
    "sni_section smallint, size_class smallint, collection_mode smallint, "
    + ", ".join(f"{c} integer" for c in COUNT_COLUMNS)
    + ", "
    + ", ".join(f"{c} double precision" for c in SUM_COLUMNS)
    + ") ON COMMIT DROP"
)


def add_cells(battery_id: int, cells: Cells) -> None:
    """Add the cells to the battery's rollup rows (in the caller's transaction)."""
    if not cells.size:
        return
    ordered = cells.ordered()
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        _upsert(connection, [(battery_id, *row) for row in ordered.rows()])
    elif ordered.size >= COPY_ROWS:
        _copy_merge(connection, battery_id, ordered)
    else:
        _json_upsert(connection, [(battery_id, *row) for row in ordered.rows()])


def add_one(
    battery_id: int,
    day: date,
    dims: Mapping[str, Any],
    values: Sequence[float],
    roles: int,
) -> None:
    """Add one response (a submit) to its rollup rows (in the caller's transaction).

    ``day`` is its local day, ``dims`` its dimension values (placeholders for none) and
    ``values`` its respondent indices in slot order. On PostgreSQL the day, month, dimension
    values and the one row of value columns go as parameters of one prepared statement that
    makes the rows (one per grain and cuboid, the same rows ``cells`` gives) in SQL, in key
    order; elsewhere through ``add_cells``.
    """
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        vectors = Vectors(
            np.array([day], dtype="datetime64[D]"),
            {name: np.array([dims[name]], dtype=object) for name in DIMENSIONS},
            np.array([values], dtype=float),
        )
        add_cells(battery_id, cells(vectors, roles))
        return
    connection.execute(ONE_UPSERT, one_parameters(battery_id, day, dims, values, roles))


def one_parameters(
    battery_id: int,
    day: date,
    dims: Mapping[str, Any],
    values: Sequence[float],
    roles: int,
    prefix: str = "",
) -> dict[str, Any]:
    """Return the parameters of ``one_upsert_sql`` (named with ``prefix``) for one response."""
    parameters = {
        "battery_id": battery_id,
        "day": day,
        "month": day.replace(day=1),
        **{name: dims[name] for name in DIMENSIONS},
        "vals": contribution_row(values, roles),
    }
    return {prefix + name: value for name, value in parameters.items()}


def delete_empty(battery_id: int) -> None:
    """Drop the battery's rows that no longer count any response (after removals)."""
    db.session.execute(
        index_rollups.delete().where(
            index_rollups.c.battery_id == battery_id, index_rollups.c.responses <= 0
        )
    )


def _upsert(connection: Connection, rows: list[tuple]) -> None:
    """Add rows with ``INSERT … ON CONFLICT DO UPDATE`` executemany (SQLite: in process)."""
    names = (*KEY_COLUMNS, *VALUE_COLUMNS)
    statement = sqlite.insert(index_rollups)
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={name: index_rollups.c[name] + statement.excluded[name] for name in VALUE_COLUMNS},
    )
    connection.execute(statement, [dict(zip(names, row, strict=True)) for row in rows])


def _json_upsert(connection: Connection, rows: list[tuple]) -> None:
    """Add rows in one statement with one parameter: the rows as JSON, turned back into
    records by ``json_populate_recordset`` (in order), ``ON CONFLICT DO UPDATE``. The text
    is constant, so PostgreSQL prepares it once; floats keep their exact shortest repr."""
    names = (*KEY_COLUMNS, *VALUE_COLUMNS)
    payload = [dict(zip(names, row, strict=True)) for row in rows]
    connection.execute(JSON_UPSERT, {"rows": json.dumps(payload, default=date.isoformat)})


_COLUMNS = ", ".join((*KEY_COLUMNS, *VALUE_COLUMNS))
JSON_UPSERT = text(
    f"INSERT INTO index_rollups ({_COLUMNS}) SELECT {_COLUMNS} "
    "FROM json_populate_recordset(NULL::index_rollups, CAST(:rows AS json)) "
    f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO UPDATE SET "
    + ", ".join(f"{c} = index_rollups.{c} + excluded.{c}" for c in VALUE_COLUMNS)
)


def _copy_merge(connection: Connection, battery_id: int, cells: Cells) -> None:
    """COPY the rows (binary, straight from the arrays) into a temporary table of codes,
    then add them in one upsert that turns the codes back into texts."""
    connection.execute(text(DELTA_TABLE))
    connection.execute(text(f"TRUNCATE {DELTA}"))
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {DELTA} FROM STDIN WITH (FORMAT binary)") as copy:
        copy.write(_binary(battery_id, cells))
    decoded = {
        "grain": "(CAST(:grains AS text[]))[grain + 1]",
        **{name: f"(CAST(:{name} AS text[]))[{name} + 1]" for name in cells.labels},
    }
    select_list = ", ".join(decoded.get(c, c) for c in (*KEY_COLUMNS, *VALUE_COLUMNS))
    columns = ", ".join((*KEY_COLUMNS, *VALUE_COLUMNS))
    keys = ", ".join(KEY_COLUMNS)
    updates = ", ".join(f"{c} = index_rollups.{c} + excluded.{c}" for c in VALUE_COLUMNS)
    connection.execute(
        text(
            f"INSERT INTO index_rollups ({columns}) SELECT {select_list} FROM {DELTA} "
            f"ORDER BY {keys} ON CONFLICT ({keys}) DO UPDATE SET {updates}"
        ),
        {"grains": list(GRAINS), **cells.labels},
    )


def _binary(battery_id: int, cells: Cells) -> bytes:
    """Encode the rows in PostgreSQL's binary COPY format with one numpy record per row."""
    counts = len(COUNT_COLUMNS)
    columns: list[tuple[str, str, np.ndarray]] = [
        ("battery_id", ">i4", np.full(cells.size, battery_id)),
        ("grain", ">i2", cells.keys[:, 0]),
        ("cuboid", ">i2", cells.keys[:, 1]),
        ("period", ">i4", cells.keys[:, 2] - PG_EPOCH_DAYS),
        *(
            (name, ">i2" if name in cells.labels else ">i4", cells.keys[:, 3 + i])
            for i, name in enumerate(DIMENSIONS)
        ),
        *((name, ">i4", np.rint(cells.values[:, i])) for i, name in enumerate(COUNT_COLUMNS)),
        *((name, ">f8", cells.values[:, counts + i]) for i, name in enumerate(SUM_COLUMNS)),
    ]
    dtype = [("fields", ">i2")]
    for name, kind, _ in columns:
        dtype += [(f"{name}_size", ">i4"), (name, kind)]
    records = np.empty(cells.size, dtype=dtype)
    records["fields"] = len(columns)
    for name, kind, values in columns:
        records[f"{name}_size"] = np.dtype(kind).itemsize
        records[name] = values
    header = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, header extension
    return header + records.tobytes() + b"\xff\xff"


def one_upsert_sql(*, prefix: str = "", source: str = "", condition: str = "") -> str:
    """Return the SQL of ``add_one``: a response's rows built in SQL from parameters.

    Parameters are named with ``prefix`` (see ``one_parameters``). ``source`` is one more
    FROM item (a row per response to add: none, no rows), ``condition`` a WHERE clause.
    """
    grains = ", ".join(f"('{GRAINS[g]}', {cuboid})" for g, cuboid in COMBINATIONS.tolist())
    keyed = [
        f"CASE WHEN c.cuboid & {1 << bit} <> 0 THEN CAST(:{prefix}{name} AS "
        f"{_SQL_TYPES[name]}) ELSE {placeholder!r} END"
        for bit, (name, placeholder) in enumerate(DIMENSIONS.items())
    ]
    counts = len(COUNT_COLUMNS)
    values = [
        f"v.x[{i + 1}]::integer" if i < counts else f"v.x[{i + 1}]"
        for i in range(len(VALUE_COLUMNS))
    ]
    select_list = ", ".join(
        [
            f"CAST(:{prefix}battery_id AS integer)",
            "c.grain",
            "c.cuboid",
            f"CASE c.grain WHEN 'D' THEN CAST(:{prefix}day AS date) "
            f"ELSE CAST(:{prefix}month AS date) END",
            *keyed,
            *values,
        ]
    )
    positions = ", ".join(str(i + 1) for i in range(len(KEY_COLUMNS)))
    # Short, so that psycopg keeps its parse of the text when it is part of a submission's
    # statement (it keeps those of up to 4096 characters).
    return (
        f"INSERT INTO index_rollups AS r ({_COLUMNS}) SELECT {select_list} "
        f"FROM {source + ', ' if source else ''}(VALUES {grains}) AS c (grain, cuboid), "
        f"(SELECT CAST(:{prefix}vals AS double precision[]) AS x) AS v "
        f"{condition}ORDER BY {positions} "
        f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO UPDATE SET "
        + ", ".join(f"{c} = r.{c} + excluded.{c}" for c in VALUE_COLUMNS)
    )


_SQL_TYPES = {
    "survey_id": "integer",
    "service_area_id": "integer",
    "sni_section": "text",
    "size_class": "text",
    "collection_mode": "text",
}
ONE_UPSERT = text(one_upsert_sql())
