"""Keep the index rollups in step with the responses, and rebuild them from raw answers.

Every write of responses calls ``add_responses`` (or ``remove_responses`` before deleting)
in its own transaction, so the rollups commit or roll back with the answers. Writers hold
the battery's layout row ``FOR SHARE`` (no-op on SQLite, which has one writer at a time)
and a rebuild holds it ``FOR UPDATE``: a rebuild never misses or double-counts a response
committed while it runs. A battery is rolled up only when its published index items fit
the slots (NKI and up to six factors) and each question key keeps its index role across
versions; otherwise, and until a rebuild, its statistics come from raw answers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import Select, bindparam, func, select

from survey.extensions import db
from survey.models import Battery, BatteryVersion, Question, Response, RollupLayout
from survey.models.rollup import SLOTS, index_rollups
from survey.services.statistics import sql
from survey.services.statistics.cube import DIMENSIONS, Vectors, cells, join
from survey.services.statistics.rollup_source import (
    CHUNK,
    AnswerArrays,
    fetch_vectors,
    index_questions,
    response_ids,
    response_indices,
    slot_roles,
    vectors_of,
)
from survey.services.statistics.rollup_store import add_cells, add_one, delete_empty
from survey.services.statistics.sql import IndexItem, index_items

log = logging.getLogger(__name__)

#: A changed index definition is rebuilt at publishing up to this many responses; larger
#: batteries fall back to raw answers until `survey stats rebuild-rollups` has run.
INLINE_REBUILD_LIMIT = 20_000
#: Responses summed into cells at a time when many are added (bounded memory).
WRITE_SLICE = 100_000


def layout_items(battery_id: int, *, lock: str | None = None) -> list[IndexItem] | None:
    """Return the items the battery's rollups use, or None when it has no rollups.

    ``lock`` "share" (writers) or "update" (rebuild) locks the layout row to the end of the
    transaction.
    """
    stored = _layout(battery_id, lock)
    return None if stored is None else list(_parsed_items(stored))


def _layout(battery_id: int, lock: str | None) -> str | None:
    """Return the battery's stored layout (its items' JSON), locked as asked, or None."""
    statement = _LAYOUT_QUERIES[lock]
    return db.session.connection().execute(statement, {"battery": battery_id}).scalar()


_LAYOUTS = RollupLayout.__table__
_LAYOUT_QUERY = select(_LAYOUTS.c["items"]).where(_LAYOUTS.c.battery_id == bindparam("battery"))
_LAYOUT_QUERIES = {
    None: _LAYOUT_QUERY,
    "share": _LAYOUT_QUERY.with_for_update(read=True),
    "update": _LAYOUT_QUERY.with_for_update(),
}


@lru_cache(maxsize=64)
def _parsed_items(stored: str) -> tuple[IndexItem, ...]:
    return tuple(IndexItem(key, role, float(weight)) for key, role, weight in json.loads(stored))


def add_responses(battery_id: int, ids: Sequence[int]) -> None:
    """Add flushed responses of one battery to its rollups; flush only."""
    _apply(battery_id, ids, sign=1.0)


@dataclass(frozen=True)
class OneResponse:
    """One response as its rollup rows need it, from memory (a submit: no read-back).

    ``dims`` holds the response's DIMENSIONS, ``answers`` its (question id, number, vet ej)
    and ``questions`` the answered version's question rows (id, key, type, index_role,
    scale_min, scale_max).
    """

    battery_id: int
    submitted_at: datetime
    dims: Mapping[str, Any]
    answers: Sequence[tuple[int, float | None, bool]]
    questions: Sequence[Any]


@dataclass(frozen=True)
class OneRow:
    """What one response adds under a layout: its local day, dimension values (placeholders
    for none), respondent indices in slot order and the number of roles."""

    day: date
    dims: dict[str, Any]
    values: list[float]
    roles: int


def one_row(response: OneResponse, layout: str) -> OneRow:
    """Work out one response's rollup row under a stored layout, in plain Python (numpy's
    per-call cost would be most of the work), by the same rules as the arrays of many."""
    items = _parsed_items(layout)
    moment = response.submitted_at
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    placeheld = {
        name: placeholder if response.dims[name] is None else response.dims[name]
        for name, placeholder in DIMENSIONS.items()
    }
    return OneRow(
        moment.astimezone(sql.zone()).date(),
        placeheld,
        response_indices(items, response.questions, response.answers),
        len(slot_roles(items)),
    )


def add_response(response: OneResponse) -> None:
    """Add one just-inserted response to its battery's rollups; in the caller's transaction."""
    stored = _layout(response.battery_id, "share")
    if stored is None:
        return
    row = one_row(response, stored)
    add_one(response.battery_id, row.day, row.dims, row.values, row.roles)


def remove_responses(battery_id: int, ids: Sequence[int]) -> None:
    """Subtract responses of one battery from its rollups before they are deleted."""
    _apply(battery_id, ids, sign=-1.0)
    delete_empty(battery_id)


def vectors_for(
    battery_id: int,
    ids: np.ndarray,
    instants: np.ndarray,
    dims: dict[str, np.ndarray],
    answers: AnswerArrays,
) -> Vectors | None:
    """Build the vectors of responses held as arrays (the generator); None without rollups."""
    items = layout_items(battery_id, lock="share")
    if items is None:
        return None
    return vectors_of(items, index_questions(battery_id, items), ids, instants, dims, answers)


def add_vectors(battery_id: int, parts: Sequence[Vectors | None]) -> None:
    """Add responses given as vectors (from ``vectors_for``) to the battery's rollups."""
    items = layout_items(battery_id, lock="share")
    chosen = [part for part in parts if part is not None and part.size]
    if items is None or not chosen:
        return
    _write(battery_id, len(slot_roles(items)), join(chosen), sign=1.0)


def _apply(battery_id: int, ids: Sequence[int], *, sign: float) -> None:
    items = layout_items(battery_id, lock="share")
    if items is None or not ids:
        return
    questions = index_questions(battery_id, items)
    ordered = sorted(ids)
    parts = [
        fetch_vectors(battery_id, items, questions, ordered[start : start + CHUNK])
        for start in range(0, len(ordered), CHUNK)
    ]
    _write(battery_id, len(slot_roles(items)), join(parts), sign=sign)


def _write(battery_id: int, roles: int, vectors: Vectors, *, sign: float) -> None:
    """Add the vectors in slices of consecutive days, so slices share few rollup rows."""
    order = np.argsort(vectors.day, kind="stable")
    for start in range(0, vectors.size, WRITE_SLICE):
        part = vectors.take(order[start : start + WRITE_SLICE])
        add_cells(battery_id, cells(part, roles, sign=sign))


def eligible_items(battery_id: int) -> list[IndexItem] | None:
    """Return the battery's current index items if its rollups can serve them, else None."""
    key = db.session.scalar(select(Battery.key).where(Battery.id == battery_id))
    items = index_items(key)
    if len(slot_roles(items)) > SLOTS:
        return None
    roles = {item.key: item.role for item in items}
    pairs = db.session.execute(
        select(Question.key, Question.index_role)
        .distinct()
        .join(BatteryVersion, Question.version_id == BatteryVersion.id)
        .where(
            BatteryVersion.battery_id == battery_id,
            BatteryVersion.status == "published",
            Question.index_role.is_not(None),
            Question.type == "scale",
        )
    ).all()
    if any(roles.get(key) != role for key, role in pairs):
        return None
    return items


def rebuild(battery_id: int, progress: Callable[[int], None] | None = None) -> int | None:
    """Recompute the battery's rollups from its raw answers; flush only.

    Returns the number of responses rolled up, or None when the battery cannot be rolled
    up (its rows and layout are then removed and statistics use raw answers). `progress`
    hears of each chunk of responses rolled up.
    """
    _ensure_layout_row(battery_id)
    layout_items(battery_id, lock="update")
    db.session.execute(index_rollups.delete().where(index_rollups.c.battery_id == battery_id))
    items = eligible_items(battery_id)
    layout = db.session.get(RollupLayout, battery_id)
    if items is None:
        db.session.delete(layout)
        db.session.flush()
        return None
    layout.items = _layout_json(items)
    db.session.flush()
    ids = response_ids(battery_id)  # in order of submission: chunks share few rows
    questions = index_questions(battery_id, items)
    roles = len(slot_roles(items))
    for start in range(0, len(ids), CHUNK):
        chunk = fetch_vectors(battery_id, items, questions, ids[start : start + CHUNK])
        add_cells(battery_id, cells(chunk, roles))
        if progress is not None:
            progress(len(ids[start : start + CHUNK]))
    return len(ids)


def _ensure_layout_row(battery_id: int) -> None:
    if db.session.get(RollupLayout, battery_id) is None:
        db.session.add(RollupLayout(battery_id=battery_id, items="[]"))
        db.session.flush()


def definition_published(battery_id: int) -> None:
    """Bring the rollups in line with a newly published version's index items; flush only.

    Unchanged index items need nothing. New weights only update the layout: each response
    is rolled up with the weights of the version it answered, so no sum changes. Otherwise
    the rollups are rebuilt when the battery is small; a large battery's layout is dropped
    (raw statistics until a rebuild).
    """
    db.session.flush()
    current = layout_items(battery_id, lock="update")
    items = eligible_items(battery_id)
    if current is not None and items is not None and _slots(items) == _slots(current):
        if items != current:
            db.session.get_one(RollupLayout, battery_id).items = _layout_json(items)
            db.session.flush()
        return
    versions = select(BatteryVersion.id).where(BatteryVersion.battery_id == battery_id)
    count = db.session.scalar(
        select(func.count(Response.id)).where(Response.battery_version_id.in_(versions))
    )
    if count <= INLINE_REBUILD_LIMIT:
        rebuild(battery_id)
        return
    log.warning("battery %s: index items changed; run `survey stats rebuild-rollups`", battery_id)
    # Without a layout the rows are ignored (and left for the rebuild to replace).
    layout = db.session.get(RollupLayout, battery_id)
    if layout is not None:
        db.session.delete(layout)
    db.session.flush()


def _layout_json(items: Sequence[IndexItem]) -> str:
    return json.dumps([[i.key, i.role, i.weight] for i in items])


def _slots(items: Sequence[IndexItem]) -> list[tuple[str, str]]:
    """Return what the rollups depend on of the index items: each key with its role."""
    return [(item.key, item.role) for item in items]


def rebuild_rollups(
    battery_key: str | None = None, progress: Callable[[int], None] | None = None
) -> dict[str, int | None]:
    """Rebuild the rollups of one battery (or all) from raw answers and commit.

    Returns responses rolled up per battery key (None: served from raw answers).
    """
    query = _batteries(battery_key)
    result = {key: rebuild(ident, progress) for ident, key in db.session.execute(query).all()}
    db.session.commit()
    return result


def responses_to_rebuild(battery_key: str | None = None) -> int:
    """Count the responses a rebuild of one battery (or all) goes through (a progress bar's
    length)."""
    ids = _batteries(battery_key).with_only_columns(Battery.id).scalar_subquery()
    query = (
        select(func.count(Response.id))
        .join(BatteryVersion)
        .where(BatteryVersion.battery_id.in_(ids))
    )
    return db.session.scalar(query) or 0


def _batteries(battery_key: str | None) -> Select[tuple[int, str]]:
    query = select(Battery.id, Battery.key).order_by(Battery.key)
    if battery_key is not None:
        query = query.where(Battery.id == sql.battery_id(battery_key))
    return query
