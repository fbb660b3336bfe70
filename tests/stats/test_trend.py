from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from survey.stats import trend, trend_from_groups

TIMES = np.array([2021.5] * 3 + [2022.5] * 4 + [2023.5] * 3)
VALUES = np.array([60, 64, 56, 62, 66, 70, 62, 70, 74, 66], dtype=float)


def test_trend_hand_worked() -> None:
    # t̄ = 2022.5; S_tt = 3 + 0 + 3 = 6; ȳ = 65; S_ty = -1·(-15) + 1·(+15) = 30.
    # b = 30/6 = 5 per year; RSS = S_yy - b·S_ty = 258 - 150 = 108; se = √(108/8/6) = 1.5.
    result = trend(TIMES, VALUES)
    assert result.slope == pytest.approx(5.0)
    assert result.se == pytest.approx(1.5)
    assert (result.n, result.n_times, result.reason) == (10, 3, None)


def test_trend_matches_polyfit_and_linregress() -> None:
    rng = np.random.default_rng(11)
    t = rng.choice([2020.5, 2021.5, 2022.5, 2023.5], 80)
    y = 55 + 2 * (t - 2020) + rng.normal(0, 15, 80)
    expected = sps.linregress(t, y)
    result = trend(t, y)
    assert result.slope == pytest.approx(np.polyfit(t, y, 1)[0], rel=1e-9)
    assert result.se == pytest.approx(expected.stderr, rel=1e-9)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    half = sps.t.ppf(0.975, 78) * expected.stderr
    assert result.ci is not None
    assert result.ci.low == pytest.approx(expected.slope - half, rel=1e-9)


def test_trend_needs_three_distinct_times() -> None:
    result = trend([2022.5, 2022.5, 2023.5, 2023.5], [60, 70, 65, 75])
    assert result.slope is None and result.p_value is None
    assert result.reason == "fewer than 3 distinct times (2)"


def test_trend_drops_missing_pairs() -> None:
    result = trend(np.append(TIMES, [np.nan, 2024.5]), np.append(VALUES, [50.0, np.nan]))
    assert result.n == 10 and result.slope == pytest.approx(5.0)


def test_trend_exact_flat_line() -> None:
    result = trend([2021, 2022, 2023], [60.0, 60.0, 60.0])
    # An exact fit has no residual spread: no interval and no test (not "significant").
    assert (result.slope, result.se, result.p_value, result.significant) == (0.0, 0.0, None, None)
    assert result.ci is None and result.reason == "no variation around the line"


def test_trend_from_groups_equals_raw() -> None:
    periods = np.unique(TIMES)
    ns = [int((TIMES == p).sum()) for p in periods]
    totals = [VALUES[TIMES == p].sum() for p in periods]
    totals_sq = [(VALUES[TIMES == p] ** 2).sum() for p in periods]
    rolled = trend_from_groups(periods, ns, totals, totals_sq)
    raw = trend(TIMES, VALUES)
    assert rolled.slope == pytest.approx(raw.slope, abs=1e-9)
    assert rolled.se == pytest.approx(raw.se, abs=1e-9)
    assert rolled.p_value == pytest.approx(raw.p_value, abs=1e-9)
