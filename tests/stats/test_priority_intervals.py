"""Each effect's 95 % interval and when a factor's quadrant is not reliable (hand-worked)."""

from __future__ import annotations

import numpy as np
import pytest

from survey.stats import priority_matrix

X1 = [40, 60, 40, 60]
X2 = [50, 50, 70, 70]
Y = [60, 70, 66, 80]


def test_ols_effect_interval_hand_worked() -> None:
    # As test_priority: β = (0.6, 0.4), effects (3, 2), S_yy = 212, βᵀS_xy = 208.
    # RSS = 212 - 208 = 4 on df = n - p - 1 = 1: σ² = 4, (S_xx⁻¹)_jj = 1/400,
    # se(β) = √(4/400) = 0.1, se(effect) = 0.5; t(0.975, 1) = 12.7062: half-width 6.3531.
    result = priority_matrix(Y, np.column_stack([X1, X2]), names=["a", "b"], min_n=4)
    a, b = result.factors
    assert (a.ci.low, a.ci.high) == (
        pytest.approx(-3.3531, abs=1e-4),
        pytest.approx(9.3531, abs=1e-4),
    )
    assert (b.ci.low, b.ci.high) == (
        pytest.approx(-4.3531, abs=1e-4),
        pytest.approx(8.3531, abs=1e-4),
    )
    # Both intervals contain the quadrant line (mean effect 2.5): neither quadrant holds.
    assert (a.uncertain, b.uncertain, result.reliable) == (True, True, False)


def test_correlation_effect_interval_hand_worked() -> None:
    # Fallback (n=4 < 30): slope b1 = S_1y/S_11 = 240/400 = 0.6; RSS = 212 - 0.6·240 = 68 on
    # df = n - 2 = 2; se(b1) = √(68/2/400) = 0.29155, se(effect) = 1.45774;
    # t(0.975, 2) = 4.30265: half-width 6.27214.
    result = priority_matrix(Y, np.column_stack([X1, X2]), names=["a", "b"])
    a, _b = result.factors
    assert result.method == "correlation"
    assert (a.ci.low, a.ci.high) == (
        pytest.approx(-3.27214, abs=1e-5),
        pytest.approx(9.27214, abs=1e-5),
    )


def test_clear_effects_make_the_quadrants_reliable() -> None:
    # Five respondents, factors orthogonal after centring (S_11 = S_22 = 400, S_12 = 0):
    # NKI = 20 + 0.8·x1 + 0.1·x2 + e with e = (1, -1, -1, 1, 0), orthogonal to both factors,
    # so β = (0.8, 0.1) exactly, effects (4.0, 0.5), mean effect 2.25. RSS = Σe² = 4 on
    # df = 2: σ² = 2, se(effect) = 5·√(2/400) = 0.35355; t(0.975, 2)·0.35355 = 1.52121.
    # Intervals (2.47879, 5.52121) and (-1.02121, 2.02121) both miss 2.25.
    x1, x2 = [40, 60, 40, 60, 50], [50, 50, 70, 70, 60]
    nki = [58, 72, 58, 76, 66]
    result = priority_matrix(nki, np.column_stack([x1, x2]), names=["a", "b"], min_n=5)
    a, b = result.factors
    assert (a.effect, b.effect) == (pytest.approx(4.0), pytest.approx(0.5))
    assert (a.ci.low, a.ci.high) == (
        pytest.approx(2.47879, abs=1e-5),
        pytest.approx(5.52121, abs=1e-5),
    )
    assert (b.ci.low, b.ci.high) == (
        pytest.approx(-1.02121, abs=1e-5),
        pytest.approx(2.02121, abs=1e-5),
    )
    assert (a.uncertain, b.uncertain, result.reliable) == (False, False, True)


def test_negative_effect_is_flagged() -> None:
    # NKI (66, 60, 80, 70): centred (-3, -9, 11, 1); S_1y = -160, S_2y = 240: effects (-2, 3).
    result = priority_matrix([66, 60, 80, 70], np.column_stack([X1, X2]), names=["a", "b"], min_n=4)
    a, _b = result.factors
    assert a.effect == pytest.approx(-2.0)
    assert a.uncertain and not result.reliable
