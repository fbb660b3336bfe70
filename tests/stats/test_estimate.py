from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from survey.stats import (
    estimate,
    estimate_from_moments,
    item_index,
    moments,
    respondent_index,
)

# Ten respondents answering (NKI_HELHET, NKI_FORVANTAN, NKI_IDEAL) on a 1-6 scale.
NKI_ANSWERS = np.array(
    [
        [6, 6, 5],
        [5, 5, 5],
        [6, 5, 5],
        [4, 4, 3],
        [5, 5, 4],
        [6, 6, 6],
        [3, 3, 2],
        [5, 4, 4],
        [6, 5, 5],
        [4, 4, 4],
    ]
)


def nki_values() -> np.ndarray:
    return respondent_index(item_index(NKI_ANSWERS, k=6))


def test_estimate_hand_worked_nki_group() -> None:
    # Respondent NKI: 93.33 80 86.67 53.33 73.33 100 33.33 66.67 86.67 60; mean 733.33/10.
    # s = 20.367; t(0.975, 9) = 2.2622; half-width 2.2622 · 20.367/√10 = 14.570, so the
    # interval is 58.764-87.903 (the brief's "87.91" is 73.333 + 14.570 misrounded).
    result = estimate(nki_values())
    assert result.n == 10
    assert result.mean == pytest.approx(73.33, abs=0.005)
    assert result.sd == pytest.approx(20.37, abs=0.005)
    assert result.ci is not None
    assert result.ci.low == pytest.approx(58.76, abs=0.005)
    assert result.ci.high == pytest.approx(87.90, abs=0.005)
    assert result.grade == "högt"
    assert result.suppressed is False


def test_estimate_finite_population_correction() -> None:
    # 14.570 · √((25 - 10)/(25 - 1)) = 14.570 · 0.7906 = 11.52.
    result = estimate(nki_values(), population=25)
    assert result.ci is not None
    assert result.ci.half_width == pytest.approx(11.5, abs=0.05)
    assert result.mean == pytest.approx(73.33, abs=0.005)


def test_estimate_whole_population_has_zero_width() -> None:
    result = estimate(nki_values(), population=10)
    assert result.ci is not None and result.ci.half_width == 0.0


def test_estimate_matches_scipy_t_interval() -> None:
    values = nki_values()
    low, high = sps.t.interval(0.9, 9, loc=values.mean(), scale=sps.sem(values))
    result = estimate(values, confidence=0.9)
    assert result.ci is not None
    assert (result.ci.low, result.ci.high) == pytest.approx((low, high), rel=1e-12)


def test_estimate_drops_nan() -> None:
    values = np.append(nki_values(), [np.nan, np.nan])
    assert estimate(values) == estimate(nki_values())


def test_estimate_suppresses_small_group_but_keeps_n() -> None:
    result = estimate([80.0, 90.0, 70.0])
    assert result.n == 3 and result.suppressed
    assert (result.mean, result.sd, result.se, result.ci, result.grade) == (None,) * 5


def test_estimate_constant_sample_has_no_interval() -> None:
    # s = 0: a zero-width interval would claim the population has no spread either.
    result = estimate([200 / 3] * 8)
    assert result.sd == 0.0 and result.mean == 200 / 3 and result.grade == "godkänt"
    assert (result.ci, result.se, result.no_interval) == (None, None, "no_variance")


def test_estimate_single_value_has_no_spread_and_no_grade() -> None:
    # A minimum group size of 1 shows the value, but a grade needs GRADE_MIN_N = 7 answers.
    result = estimate([55.0], min_n=1)
    assert (result.n, result.mean, result.sd, result.se, result.ci) == (1, 55.0, None, None, None)
    assert (result.grade, result.no_interval) == (None, "one_value")


@pytest.mark.parametrize(("n", "grade"), [(6, None), (7, "högt")])
def test_estimate_grade_needs_seven_answers_whatever_min_n(n: int, grade: str | None) -> None:
    # 80 and 60 alternate from 80: mean 70 (n = 6) or (4·80 + 3·60)/7 = 71.43 (n = 7): "högt".
    result = estimate(([80.0, 60.0] * 4)[:n], min_n=2)
    assert not result.suppressed and result.grade == grade and result.ci is not None


def test_estimate_empty_group() -> None:
    result = estimate([], min_n=0)
    assert result.n == 0 and not result.suppressed and result.mean is None


def test_estimate_from_moments_equals_raw() -> None:
    values = nki_values()
    m = moments(values)
    raw = estimate(values, population=40)
    rolled = estimate_from_moments(m.n, m.total, m.total_sq, population=40)
    assert rolled.mean == pytest.approx(raw.mean, abs=1e-9)
    assert rolled.sd == pytest.approx(raw.sd, abs=1e-9)
    assert rolled.ci is not None and raw.ci is not None
    assert rolled.ci.low == pytest.approx(raw.ci.low, abs=1e-9)


def test_estimate_from_moments_clips_negative_variance() -> None:
    # 3 · 0.1² computed in floating point is slightly below (0.3)²/3.
    result = estimate_from_moments(3, 0.3, 3 * 0.1**2 - 1e-18, min_n=1)
    assert result.sd == 0.0 and not math.isnan(result.mean)
