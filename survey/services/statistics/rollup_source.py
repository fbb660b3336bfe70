"""Turn responses into rollup vectors: local day, dimensions and respondent indices.

The indices are computed by the statistics' own pivot (statistics_matrix.respondents) from
the same answers the raw path reads (scale questions with an index role of the battery),
so rollups and raw statistics agree by construction. Responses come from the database
(``fetch_vectors``) or, for the generator, straight from its arrays (``vectors_of``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select

from survey.extensions import db
from survey.models import Answer, BatteryVersion, Question, Response
from survey.models.rollup import SLOTS
from survey.services.statistics.cube import DIMENSIONS, Vectors
from survey.services.statistics.periods import local_offsets, to_instants
from survey.services.statistics.pivot import min_answered, respondents
from survey.services.statistics.sql import IndexItem, ItemRows, zone

#: Responses read per query when many are rolled up (bounded memory, IN lists).
CHUNK = 10_000


@dataclass(frozen=True)
class AnswerArrays:
    """Answers in long format: response id, question id, number (NaN if none), vet ej."""

    response_id: np.ndarray
    question_id: np.ndarray
    value: np.ndarray
    dont_know: np.ndarray


@dataclass(frozen=True)
class IndexQuestions:
    """The battery's index scale questions by id: key, scale and weight, for the pivot."""

    ids: np.ndarray  # sorted question ids
    keys: np.ndarray  # object
    scale_min: np.ndarray
    scale_max: np.ndarray
    weight: np.ndarray  # the weight in the question's own version


def slot_roles(items: Sequence[IndexItem]) -> list[str]:
    """Return the battery's index roles in slot order (questionnaire order)."""
    return list(dict.fromkeys(item.role for item in items))


def index_questions(battery_id: int, items: Sequence[IndexItem]) -> IndexQuestions:
    """Return the battery's scale questions (any version) whose role is one of the items'."""
    rows = db.session.execute(
        select(Question.id, Question.key, Question.scale_min, Question.scale_max, Question.weight)
        .join(BatteryVersion, Question.version_id == BatteryVersion.id)
        .where(
            BatteryVersion.battery_id == battery_id,
            Question.index_role.in_(slot_roles(items)),
            Question.type == "scale",
        )
        .order_by(Question.id)
    ).all()
    ids, keys, lows, highs, weights = zip(*rows, strict=True) if rows else ((),) * 5
    return IndexQuestions(
        np.array(ids, dtype=np.int64),
        np.array(keys, dtype=object),
        np.array(lows, dtype=float),
        np.array(highs, dtype=float),
        np.array(weights, dtype=float),
    )


def response_ids(battery_id: int) -> list[int]:
    """Return the ids of the battery's responses in order of submission."""
    versions = select(BatteryVersion.id).where(BatteryVersion.battery_id == battery_id)
    return list(
        db.session.scalars(
            select(Response.id)
            .where(Response.battery_version_id.in_(versions))
            .order_by(Response.submitted_at, Response.id)
        )
    )


def fetch_vectors(
    battery_id: int, items: Sequence[IndexItem], questions: IndexQuestions, ids: Sequence[int]
) -> Vectors:
    """Read the vectors of some responses of one battery (at most CHUNK ids)."""
    wanted = sorted(ids)
    versions = select(BatteryVersion.id).where(BatteryVersion.battery_id == battery_id)
    connection = db.session.connection()
    context = connection.execute(
        select(Response.id, Response.submitted_at, *(getattr(Response, d) for d in DIMENSIONS))
        .where(Response.id.in_(wanted), Response.battery_version_id.in_(versions))
        .order_by(Response.id)
    ).all()
    columns = list(zip(*context, strict=True)) if context else [()] * (2 + len(DIMENSIONS))
    dims = {name: np.array(columns[2 + i], dtype=object) for i, name in enumerate(DIMENSIONS)}
    answers = connection.execute(
        select(Answer.response_id, Answer.question_id, Answer.value_number, Answer.dont_know).where(
            Answer.response_id.in_(wanted), Answer.question_id.in_(questions.ids.tolist())
        )
    ).all()
    found = list(zip(*answers, strict=True)) if answers else [()] * 4
    arrays = AnswerArrays(
        np.array(found[0], dtype=np.int64),
        np.array(found[1], dtype=np.int64),
        np.array(found[2], dtype=float),  # None becomes NaN
        np.array(found[3], dtype=bool),
    )
    ids_found = np.array(columns[0], dtype=np.int64)
    return vectors_of(items, questions, ids_found, to_instants(columns[1]), dims, arrays)


def vectors_of(
    items: Sequence[IndexItem],
    questions: IndexQuestions,
    ids: np.ndarray,
    instants: np.ndarray,
    dims: dict[str, np.ndarray],
    answers: AnswerArrays,
) -> Vectors:
    """Build vectors from arrays: ``ids`` ascending, ``instants`` UTC ``datetime64[s]``."""
    local = instants + local_offsets(instants, zone()).astype("timedelta64[s]")
    placeheld = {
        name: np.array([placeholder if v is None else v for v in dims[name]], dtype=object)
        for name, placeholder in DIMENSIONS.items()
    }
    return Vectors(
        local.astype("datetime64[D]"), placeheld, _indices(items, questions, ids, answers)
    )


def _indices(
    items: Sequence[IndexItem], questions: IndexQuestions, ids: np.ndarray, answers: AnswerArrays
) -> np.ndarray:
    """Return the (responses, SLOTS) respondent indices of ``ids``, NaN where none."""
    result = np.full((ids.size, SLOTS), np.nan)
    position = np.searchsorted(questions.ids, answers.question_id)
    position = np.minimum(position, max(questions.ids.size - 1, 0))
    index = (questions.ids[position] == answers.question_id) if questions.ids.size else position < 0
    if not index.any():
        return result
    value = np.where(answers.dont_know[index], np.nan, answers.value[index])
    chosen = position[index]
    rows = ItemRows(
        response_id=answers.response_id[index],
        submitted_at=np.zeros(value.size, dtype="datetime64[s]"),
        split=np.full(value.size, None, dtype=object),
        role=np.full(value.size, None, dtype=object),
        key=questions.keys[chosen],
        value=value,
        scale_min=questions.scale_min[chosen],
        scale_max=questions.scale_max[chosen],
        weight=questions.weight[chosen],
    )
    data = respondents(rows, list(items))
    where = np.searchsorted(ids, np.unique(rows.response_id))
    for slot, role in enumerate(slot_roles(items)):
        result[where, slot] = data.indices[role]
    return result


def response_indices(
    items: Sequence[IndexItem],
    questions: Iterable[Any],
    answers: Iterable[tuple[int, float | None, bool]],
) -> list[float]:
    """Return one response's respondent indices in slot order (NaN where none), SLOTS long.

    The same rule as ``_indices`` (the statistics' pivot), in plain Python for a single
    response (a submit): ``questions`` are the answered version's question rows (id, key,
    type, index_role, scale_min, scale_max, weight), ``answers`` its (question id, number,
    vet ej). Weights are the answered version's. A test holds the two equal.
    """
    roles = slot_roles(items)
    indexed = set(roles)
    scales = {q.id: q for q in questions if q.type == "scale" and q.index_role in indexed}
    item_index: dict[str, tuple[float, float]] = {}
    for question_id, number, dont_know in answers:
        question = scales.get(question_id)
        if question is None or dont_know or number is None or math.isnan(number):
            continue
        low, high = float(question.scale_min), float(question.scale_max)
        value = (float(number) - low) / (high - low) * 100.0
        item_index[question.key] = (value, float(question.weight))
    result = [math.nan] * SLOTS
    for slot, role in enumerate(roles):
        chosen = [item for item in items if item.role == role]
        answered = [item_index[i.key] for i in chosen if i.key in item_index]
        if answered and len(answered) >= min_answered(role, len(chosen)):
            weighted = sum(value * weight for value, weight in answered)
            result[slot] = weighted / sum(weight for _, weight in answered)
    return result
