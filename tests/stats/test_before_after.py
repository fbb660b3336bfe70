"""Before/after figures of an action against hand-worked values."""

from __future__ import annotations

import math

import pytest
from scipy import stats as sps

from survey.stats import Moments, before_after, before_after_from_moments, moments, pooled

#: Factor indices (0-100) of the respondents of the 12 months before and after an action.
BEFORE = [40, 60, 60, 80, 40, 60, 80]
AFTER = [60, 80, 80, 100, 60, 80, 100, 80]


def test_before_after_hand_worked() -> None:
    """Worked by hand:

    before: n = 7, x̄ = 420/7 = 60, deviations -20 0 0 20 -20 0 20, Σd² = 1600,
            s² = 1600/6 = 266.67, se = √(266.67/7) = 6.172,
            t(0.975, 6) = 2.4469, CI 60 ± 15.10 = 44.90 – 75.10.
    after:  n = 8, x̄ = 640/8 = 80, deviations -20 0 0 20 -20 0 20 0, Σd² = 1600,
            s² = 1600/7 = 228.57, se = √(228.57/8) = 5.345,
            t(0.975, 7) = 2.3646, CI 80 ± 12.64 = 67.36 – 92.64.
    difference: d = 80 - 60 = 20; se² = 266.67/7 + 228.57/8 = 800/21 + 600/21 = 1400/21
            = 66.667, se = 8.165;
            Welch ν = (1400/21)² / ((800/21)²/6 + (200/7)²/7) = 4444.4 / (241.87 + 116.62)
            = 12.398; t(0.975, 12.398) = 2.1719, CI 20 ± 17.73 = 2.27 – 37.73;
            t = 20/8.165 = 2.449, two-sided p = 0.0302.
    """
    result = before_after(BEFORE, AFTER)
    before, after, change = result.before, result.after, result.change
    assert (before.n, before.mean, after.n, after.mean) == (7, 60.0, 8, 80.0)
    assert before.sd**2 == pytest.approx(1600 / 6)
    assert after.sd**2 == pytest.approx(1600 / 7)
    assert (before.ci.low, before.ci.high) == pytest.approx((44.90, 75.10), abs=0.01)
    assert (after.ci.low, after.ci.high) == pytest.approx((67.36, 92.64), abs=0.01)
    assert change.difference == 20.0
    assert change.df == pytest.approx(12.398, abs=5e-4)
    assert (change.ci.low, change.ci.high) == pytest.approx((2.27, 37.73), abs=0.01)
    assert change.p_value == pytest.approx(0.0302, abs=5e-4)
    assert change.significant is True
    se = math.sqrt(1400 / 21)
    exact = (1400 / 21) ** 2 / ((800 / 21) ** 2 / 6 + (200 / 7) ** 2 / 7)
    assert change.df == pytest.approx(exact, rel=1e-12)
    assert change.p_value == pytest.approx(2 * sps.t.sf(20 / se, exact), rel=1e-9)


def test_before_after_from_moments_matches_raw_values() -> None:
    raw = before_after(BEFORE, AFTER)
    halves = pooled([moments(BEFORE[:3]), moments(BEFORE[3:])])
    summed = before_after_from_moments(halves, moments(AFTER))
    assert summed.before.mean == pytest.approx(raw.before.mean)
    assert summed.after.ci.low == pytest.approx(raw.after.ci.low)
    assert summed.change.p_value == pytest.approx(raw.change.p_value, rel=1e-9)
    assert summed.change.ci.high == pytest.approx(raw.change.ci.high)


def test_before_after_suppresses_a_small_period_and_the_change() -> None:
    """Six answers after (under the minimum of 7): no figure after, no difference."""
    result = before_after(BEFORE, AFTER[:6], min_n=7)
    assert result.before.mean == 60.0 and result.before.suppressed is False
    assert result.after.suppressed is True and result.after.mean is None
    assert result.after.n == 6
    assert result.change.suppressed is True and result.change.difference is None


def test_pooled_adds_counts_and_sums() -> None:
    assert pooled([Moments(2, 3.0, 5.0), Moments(1, 4.0, 16.0)]) == Moments(3, 7.0, 21.0)
    assert pooled([]) == Moments(0, 0.0, 0.0)
    with pytest.raises(ValueError, match="n"):
        pooled([Moments(-1, 0.0, 0.0)])
