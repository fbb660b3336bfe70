from __future__ import annotations

import pytest

from survey.stats import grade_band
from survey.stats.grades import round_half_up


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (0.0, "mycket lågt"),
        (49.4, "mycket lågt"),
        (49.5, "lågt"),
        (61.49, "lågt"),
        (61.5, "godkänt"),
        (62.0, "godkänt"),
        (69.49, "godkänt"),
        (69.5, "högt"),
        (79.49, "högt"),
        (79.5, "mycket högt"),
        (80.0, "mycket högt"),
        (100.0, "mycket högt"),
    ],
)
def test_grade_band_edges_round_half_up(value: float, grade: str) -> None:
    assert grade_band(value) == grade


def test_grade_band_rounds_half_up_not_to_even() -> None:
    # round(62.5) == 62 in Python; half-up gives 63, still "godkänt", and 69.5 -> 70 "högt".
    assert grade_band(62.5) == "godkänt"
    assert grade_band(69.5) == "högt"


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_grade_band_rejects_non_finite(value: float) -> None:
    with pytest.raises(ValueError, match="value"):
        grade_band(value)


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        # 69.5 reached through rollup sums is 69.49999999999999 (the case); it is
        # rounded to 9 decimals (69.5) before half-up (70): "högt".
        (69.49999999999999, "högt"),
        (69.50000000000001, "högt"),
        (61.49999999999999, "godkänt"),
        (79.49999999999999, "mycket högt"),
        (49.49999999999999, "lågt"),
        # A real difference from the half (1e-6) is kept.
        (69.499999, "godkänt"),
    ],
)
def test_grade_band_is_not_decided_by_float_noise(value: float, grade: str) -> None:
    assert grade_band(value) == grade


def test_printed_integer_and_grade_agree_on_noise() -> None:
    assert round_half_up(69.49999999999999) == 70 and grade_band(69.49999999999999) == "högt"
    assert round_half_up(69.499999) == 69 and grade_band(69.499999) == "godkänt"
