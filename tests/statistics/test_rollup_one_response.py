"""A submit's rollup contribution, worked out in plain Python, equals the arrays' path."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from survey.models.rollup import SLOTS
from survey.services.respondents.answers import QuestionRow
from survey.services.statistics.cube import contribution_row, contributions
from survey.services.statistics.rollup_source import (
    AnswerArrays,
    IndexQuestions,
    _indices,
    response_indices,
)
from survey.services.statistics.sql import IndexItem

# Two versions' worth of roles: NKI (three items, one weighted double) and three factors,
# one of them on another scale; a 0-10 question and a text question that are no items.
ITEMS = [
    IndexItem("NKI_1", "nki", 1.0),
    IndexItem("NKI_2", "nki", 2.0),
    IndexItem("NKI_3", "nki", 1.0),
    IndexItem("BEM", "bemotande", 1.0),
    IndexItem("INFO_1", "information", 1.0),
    IndexItem("INFO_2", "information", 1.5),
    IndexItem("TID", "tid", 1.0),
]
QUESTIONS = [
    QuestionRow(11, "NKI_1", "scale", "nki", 1, 10),
    QuestionRow(12, "NKI_2", "scale", "nki", 1, 10, 2.0),
    QuestionRow(13, "NKI_3", "scale", "nki", 1, 10),
    QuestionRow(14, "BEM", "scale", "bemotande", 1, 6),
    QuestionRow(15, "INFO_1", "scale", "information", 1, 6),
    QuestionRow(16, "INFO_2", "scale", "information", 0, 4, 1.5),
    QuestionRow(17, "TID", "scale", "tid", 1, 6),
    QuestionRow(18, "NPS", "nps", None, None, None),
    QuestionRow(19, "KOMMENTAR", "long_text", None, None, None),
]


def _arrays_path(answers: list[tuple[int, float | None, bool]]) -> list[float]:
    scales = sorted((q for q in QUESTIONS if q.type == "scale"), key=lambda q: q.id)
    questions = IndexQuestions(
        np.array([q.id for q in scales], dtype=np.int64),
        np.array([q.key for q in scales], dtype=object),
        np.array([q.scale_min for q in scales], dtype=float),
        np.array([q.scale_max for q in scales], dtype=float),
        np.array([q.weight for q in scales], dtype=float),
    )
    arrays = AnswerArrays(
        np.full(len(answers), 7, dtype=np.int64),
        np.array([a[0] for a in answers], dtype=np.int64),
        np.array([a[1] for a in answers], dtype=float),
        np.array([a[2] for a in answers], dtype=bool),
    )
    return _indices(ITEMS, questions, np.array([7]), arrays)[0].tolist()


def _random_answers(rng: random.Random) -> list[tuple[int, float | None, bool]]:
    answers = []
    for question in QUESTIONS:
        roll = rng.random()
        if roll < 0.2:
            continue  # unanswered
        if question.type == "scale" and roll < 0.3:
            answers.append((question.id, None, True))  # vet ej
        elif question.type == "scale":
            level = rng.randint(question.scale_min, question.scale_max)
            answers.append((question.id, float(level), False))
        elif question.type == "nps":
            answers.append((question.id, float(rng.randint(0, 10)), False))
        else:
            answers.append((question.id, None, False))
    return answers


@pytest.mark.parametrize("seed", range(5))
def test_one_response_indices_equal_the_statistics_pivot(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        answers = _random_answers(rng)
        got, want = response_indices(ITEMS, QUESTIONS, answers), _arrays_path(answers)
        assert len(got) == SLOTS
        for a, b in zip(got, want, strict=True):
            assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12)


def test_nki_needs_two_items_and_a_factor_one() -> None:
    one_nki = [(11, 10.0, False), (14, 6.0, False)]
    got = response_indices(ITEMS, QUESTIONS, one_nki)
    assert math.isnan(got[0]) and got[1] == 100.0
    two_nki = [(11, 10.0, False), (12, 1.0, False)]
    assert response_indices(ITEMS, QUESTIONS, two_nki)[0] == pytest.approx(100 / 3)


@pytest.mark.parametrize("roles", [0, 2, 4, SLOTS])
def test_one_contribution_row_equals_the_arrays(roles: int) -> None:
    rng = np.random.default_rng(roles)
    for _ in range(100):
        values = rng.uniform(0, 100, SLOTS)
        values[rng.random(SLOTS) < 0.3] = np.nan
        want = contributions(values.reshape(1, -1), roles)[0].tolist()
        assert contribution_row(values.tolist(), roles) == want
