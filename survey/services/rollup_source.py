"""Read stored responses as rollup vectors: local day, dimensions and respondent indices.

The indices are computed by the statistics' own pivot (statistics_matrix.respondents) from
the same answers the raw path reads, so rollups and raw statistics agree by construction.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import ColumnElement, select

from survey.extensions import db
from survey.models import Answer, BatteryVersion, Question, Response
from survey.models.rollup import SLOTS
from survey.services.periods import local_offsets, to_instants
from survey.services.rollup_cube import DIMENSIONS, Vectors
from survey.services.statistics_matrix import respondents
from survey.services.statistics_query import IndexItem, ItemRows, zone

#: Responses read per query when many are rolled up at once (bounded memory).
CHUNK = 20_000


def slot_roles(items: Sequence[IndexItem]) -> list[str]:
    """Return the battery's index roles in slot order (questionnaire order)."""
    return list(dict.fromkeys(item.role for item in items))


def response_ids(battery_id: int, *, after: int = 0) -> list[int]:
    """Return the ids of the battery's responses (above ``after``), ascending."""
    versions = select(BatteryVersion.id).where(BatteryVersion.battery_id == battery_id)
    return list(
        db.session.scalars(
            select(Response.id)
            .where(Response.battery_version_id.in_(versions), Response.id > after)
            .order_by(Response.id)
        )
    )


def vectors(battery_id: int, items: Sequence[IndexItem], ids: Sequence[int]) -> Vectors:
    """Return the vectors of the given responses of one battery (ids ascending, any number)."""
    parts = [
        _chunk(battery_id, items, ids[start : start + CHUNK]) for start in range(0, len(ids), CHUNK)
    ]
    if not parts:
        return _chunk(battery_id, items, [])
    return Vectors(
        day=np.concatenate([p.day for p in parts]),
        dims={name: np.concatenate([p.dims[name] for p in parts]) for name in DIMENSIONS},
        values=np.vstack([p.values for p in parts]),
    )


def _in(column: ColumnElement, ids: Sequence[int]) -> ColumnElement[bool]:
    """Select ``ids`` by range when they are consecutive (index range scan), else by list."""
    if ids and ids[-1] - ids[0] + 1 == len(ids):
        return column.between(ids[0], ids[-1])
    return column.in_(list(ids))


def _chunk(battery_id: int, items: Sequence[IndexItem], ids: Sequence[int]) -> Vectors:
    versions = select(BatteryVersion.id).where(BatteryVersion.battery_id == battery_id)
    connection = db.session.connection()
    context = connection.execute(
        select(Response.id, Response.submitted_at, *(getattr(Response, d) for d in DIMENSIONS))
        .where(_in(Response.id, ids), Response.battery_version_id.in_(versions))
        .order_by(Response.id)
    ).all()
    columns = list(zip(*context, strict=True)) if context else [()] * (2 + len(DIMENSIONS))
    found = np.array(columns[0], dtype=np.int64)
    instants = to_instants(columns[1])
    local = instants + local_offsets(instants, zone()).astype("timedelta64[s]")
    dims = {
        name: np.array([placeholder if v is None else v for v in columns[2 + i]], dtype=object)
        for i, (name, placeholder) in enumerate(DIMENSIONS.items())
    }
    return Vectors(local.astype("datetime64[D]"), dims, _indices(versions, items, found))


def _indices(versions: ColumnElement, items: Sequence[IndexItem], ids: np.ndarray) -> np.ndarray:
    """Return the (responses, SLOTS) respondent indices of ``ids``, NaN where none."""
    result = np.full((ids.size, SLOTS), np.nan)
    roles = slot_roles(items)
    if not ids.size or not roles:
        return result
    rows = (
        db.session.connection()
        .execute(
            select(
                Answer.response_id,
                Question.key,
                Answer.value_number,
                Answer.dont_know,
                Question.scale_min,
                Question.scale_max,
            )
            .join(Question, Answer.question_id == Question.id)
            .where(
                _in(Answer.response_id, ids.tolist()),
                Question.version_id.in_(versions),
                Question.index_role.in_(roles),
                Question.type == "scale",
            )
        )
        .all()
    )
    if not rows:
        return result
    data = respondents(_item_rows(rows), list(items))
    answered = np.unique(np.array([row[0] for row in rows], dtype=np.int64))
    where = np.searchsorted(ids, answered)
    for slot, role in enumerate(roles):
        result[where, slot] = data.indices[role]
    return result


def _item_rows(rows: list) -> ItemRows:
    """Build the long-format rows the statistics' pivot takes (times and splits unused)."""
    ids, keys, numbers, dont_know, lows, highs = zip(*rows, strict=True)
    value = np.array([np.nan if v is None else v for v in numbers], dtype=float)
    value[np.array(dont_know, dtype=bool)] = np.nan
    size = len(ids)
    return ItemRows(
        response_id=np.array(ids, dtype=np.int64),
        submitted_at=np.zeros(size, dtype="datetime64[s]"),
        split=np.full(size, None, dtype=object),
        role=np.full(size, None, dtype=object),
        key=np.array(keys, dtype=object),
        value=value,
        scale_min=np.array(lows, dtype=float),
        scale_max=np.array(highs, dtype=float),
    )
