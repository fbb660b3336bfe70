from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from survey.stats import change, change_from_moments, moments

BEFORE = [3, 4, 5, 6, 7, 8, 9]
AFTER = [8, 8, 9, 10, 11, 12, 12, 10]


def test_change_hand_worked_welch() -> None:
    # before: n=7, mean 6, s² = 28/6; after: n=8, mean 10, s² = 18/7.
    # se² = (28/6)/7 + (18/7)/8 = 2/3 + 9/28 = 83/84; d = 4; t = 4/√(83/84) = 4.0241.
    # ν = (83/84)² / ((2/3)²/6 + (9/28)²/7) = 10.991.
    se = math.sqrt(83 / 84)
    df = (83 / 84) ** 2 / ((2 / 3) ** 2 / 6 + (9 / 28) ** 2 / 7)
    p = 2 * sps.t.sf(4 / se, df)
    half = sps.t.ppf(0.975, df) * se
    result = change(BEFORE, AFTER)
    assert result.difference == pytest.approx(4.0)
    assert result.df == pytest.approx(df, rel=1e-12)
    assert df == pytest.approx(10.991, abs=5e-4)
    assert result.p_value == pytest.approx(p, rel=1e-9)
    assert result.ci is not None
    assert (result.ci.low, result.ci.high) == pytest.approx((4 - half, 4 + half))
    assert result.significant is True and result.suppressed is False


def test_change_matches_scipy_ttest_ind() -> None:
    rng = np.random.default_rng(7)
    before, after = rng.normal(60, 20, 23), rng.normal(66, 12, 17)
    expected = sps.ttest_ind(after, before, equal_var=False)
    result = change(before, after)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert result.df == pytest.approx(expected.df, rel=1e-9)
    low, high = expected.confidence_interval(0.95)
    assert result.ci is not None
    assert (result.ci.low, result.ci.high) == pytest.approx((low, high), rel=1e-9)


def test_change_not_significant_when_interval_covers_zero() -> None:
    result = change([50, 60, 70, 80, 55, 65, 75], [52, 62, 72, 82, 57, 67, 77])
    assert result.significant is False
    assert result.ci is not None and result.ci.low < 0 < result.ci.high


def test_change_suppressed_when_a_group_is_small() -> None:
    result = change(BEFORE, AFTER[:5])
    assert result.suppressed and (result.n_before, result.n_after) == (7, 5)
    hidden = (result.mean_before, result.mean_after, result.difference, result.ci)
    assert hidden == (None,) * 4
    assert (result.df, result.p_value, result.significant) == (None,) * 3


def test_change_needs_two_values_even_without_min_n() -> None:
    assert change([1.0], [2.0, 3.0], min_n=0).suppressed


@pytest.mark.parametrize(("after", "difference"), [(70.0, 0.0), (80.0, 10.0)])
def test_change_constant_groups_are_not_tested(after: float, difference: float) -> None:
    # s1 = s2 = 0 gives se = 0: a zero-width interval and p = 0 would claim certainty a
    # sample without spread cannot give, so the difference is reported but not tested.
    result = change([70.0] * 8, [after] * 9)
    assert result.difference == difference
    assert (result.ci, result.df, result.p_value, result.significant) == (None,) * 4
    assert result.untested == "no_variance" and not result.suppressed


def test_change_one_constant_group_uses_other_variance() -> None:
    result = change([70.0] * 8, [75.0, 85.0] * 4)
    assert result.df == pytest.approx(7.0)
    assert result.p_value is not None and 0 < result.p_value < 0.05


def test_change_from_moments_equals_raw() -> None:
    a, b = moments(BEFORE), moments(AFTER)
    rolled = change_from_moments(a.n, a.total, a.total_sq, b.n, b.total, b.total_sq)
    raw = change(BEFORE, AFTER)
    assert rolled.p_value == pytest.approx(raw.p_value, rel=1e-9)
    assert rolled.difference == pytest.approx(raw.difference, abs=1e-9)
