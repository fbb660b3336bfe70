"""Add summed cells to ``index_rollups``: atomic ``x = x + excluded.x`` upserts.

Two writers adding to the same row both count: the upsert adds on the database side under
the row's lock. Rows go in key order, so concurrent writers take row locks in the same
order and cannot deadlock. One write path on both databases: the dialect's ``INSERT … ON
CONFLICT DO UPDATE``, executemany.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

import numpy as np
from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite

from survey.extensions import db
from survey.models.rollup import KEY_COLUMNS, VALUE_COLUMNS, index_rollups
from survey.services.statistics.cube import DIMENSIONS, Cells, Vectors, cells


def add_cells(battery_id: int, cells: Cells) -> None:
    """Add the cells to the battery's rollup rows (in the caller's transaction)."""
    if not cells.size:
        return
    names = (*KEY_COLUMNS, *VALUE_COLUMNS)
    rows = [dict(zip(names, (battery_id, *row), strict=True)) for row in cells.ordered().rows()]
    connection = db.session.connection()
    connection.execute(_upsert(connection.dialect.name), rows)


def add_one(
    battery_id: int,
    day: date,
    dims: Mapping[str, Any],
    values: Sequence[float],
    roles: int,
) -> None:
    """Add one response (a submit) to its rollup rows (in the caller's transaction).

    ``day`` is its local day, ``dims`` its dimension values (placeholders for none) and
    ``values`` its respondent indices in slot order.
    """
    vectors = Vectors(
        np.array([day], dtype="datetime64[D]"),
        {name: np.array([dims[name]], dtype=object) for name in DIMENSIONS},
        np.array([values], dtype=float),
    )
    add_cells(battery_id, cells(vectors, roles))


def delete_empty(battery_id: int) -> None:
    """Drop the battery's rows that no longer count any response (after removals)."""
    db.session.execute(
        index_rollups.delete().where(
            index_rollups.c.battery_id == battery_id, index_rollups.c.responses <= 0
        )
    )


@cache
def _upsert(dialect: str) -> Insert:
    """Return the dialect's ``INSERT … ON CONFLICT DO UPDATE`` that adds the value columns."""
    statement = (postgresql if dialect == "postgresql" else sqlite).insert(index_rollups)
    return statement.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={name: index_rollups.c[name] + statement.excluded[name] for name in VALUE_COLUMNS},
    )
