from __future__ import annotations

import numpy as np
import pytest

from survey.stats import cross_moments, priority_matrix, priority_matrix_from_moments

# Two factors, orthogonal after centring, hand-solved below.
X1 = [40, 60, 40, 60]
X2 = [50, 50, 70, 70]
Y = [60, 70, 66, 80]


def test_priority_matrix_hand_solved_two_factors() -> None:
    # Centred: x1 = ±10, x2 = ±10, S_11 = S_22 = 400, S_12 = 0; ȳ = 69, y - ȳ = -9 1 -3 11.
    # S_1y = 240, S_2y = 160: β = (0.6, 0.4), effects 5β = (3, 2).
    # R² = (0.6·240 + 0.4·160) / S_yy = 208/212.
    # Mean effect 2.5, mean index 55: x1 (index 50) Prioritera, x2 (index 60) Lägre prioritet.
    result = priority_matrix(Y, np.column_stack([X1, X2]), names=["a", "b"], min_n=4)
    assert (result.n, result.method, result.fallback_reason) == (4, "ols", None)
    assert result.r_squared == pytest.approx(208 / 212)
    a, b = result.factors
    assert (a.name, a.index_mean, a.effect, a.quadrant) == (
        "a",
        pytest.approx(50.0),
        pytest.approx(3.0),
        "Prioritera",
    )
    assert (b.index_mean, b.effect, b.quadrant) == (
        pytest.approx(60.0),
        pytest.approx(2.0),
        "Lägre prioritet",
    )


def test_priority_matrix_matches_lstsq_with_intercept() -> None:
    rng = np.random.default_rng(3)
    factors = rng.uniform(30, 95, (80, 4))
    nki = 5 + factors @ [0.3, 0.1, 0.4, 0.05] + rng.normal(0, 6, 80)
    design = np.column_stack([np.ones(80), factors])
    beta, residual, *_ = np.linalg.lstsq(design, nki, rcond=None)
    result = priority_matrix(nki, factors, names=["a", "b", "c", "d"])
    assert [f.effect for f in result.factors] == pytest.approx(5 * beta[1:], rel=1e-9)
    r_squared = 1 - residual[0] / ((nki - nki.mean()) ** 2).sum()
    assert result.r_squared == pytest.approx(r_squared, rel=1e-9)


def test_priority_matrix_drops_rows_with_nan() -> None:
    factors = np.column_stack([X1 + [np.nan, 50], X2 + [60, 60]])
    result = priority_matrix(Y + [70, np.nan], factors, names=["a", "b"], min_n=4)
    assert result.n == 4 and result.factors[0].effect == pytest.approx(3.0)


def test_priority_matrix_falls_back_when_too_few() -> None:
    rng = np.random.default_rng(4)
    factors = rng.uniform(30, 95, (12, 2))
    nki = factors.sum(axis=1) / 2 + rng.normal(0, 5, 12)
    result = priority_matrix(nki, factors, names=["a", "b"])
    assert result.method == "correlation" and result.r_squared is None
    assert result.fallback_reason == "too few respondents (n=12 < 30)"
    slopes = [np.polyfit(factors[:, j], nki, 1)[0] * 5 for j in range(2)]
    assert [f.effect for f in result.factors] == pytest.approx(slopes, rel=1e-9)


def test_priority_matrix_falls_back_when_collinear() -> None:
    rng = np.random.default_rng(6)
    x = rng.uniform(30, 95, 50)
    factors = np.column_stack([x, 100 - x, rng.uniform(30, 95, 50)])
    nki = x * 0.5 + rng.normal(0, 5, 50)
    result = priority_matrix(nki, factors, names=["a", "b", "c"])
    assert (result.method, result.fallback_reason) == ("correlation", "factors are collinear")
    assert result.factors[0].effect == pytest.approx(-result.factors[1].effect)


def test_priority_matrix_factor_without_variance() -> None:
    factors = np.column_stack([X1, [50] * 4])
    result = priority_matrix(Y, factors, names=["a", "b"], min_n=4)
    assert result.fallback_reason == "factor 'b' has no variance"
    assert result.factors[1].effect is None and result.factors[1].quadrant is None


def test_priority_matrix_all_four_quadrants() -> None:
    # Bivariate slopes of y = 0 10 20 30 on x = c + d·(0 1 2 3) are 10/d: effects 10, 10, 1, 1
    # (·5 = 50, 50, 5, 5; mean 27.5); index means 40, 80, 40, 80 (mean 60).
    step = np.arange(4.0)
    factors = np.column_stack([38.5 + step, 78.5 + step, 25 + 10 * step, 65 + 10 * step])
    result = priority_matrix(10 * step, factors, names=list("abcd"))
    assert [f.quadrant for f in result.factors] == [
        "Prioritera",
        "Bevara",
        "Förbättra om möjligt",
        "Lägre prioritet",
    ]


def test_priority_matrix_from_moments_equals_raw() -> None:
    rng = np.random.default_rng(8)
    factors = rng.uniform(30, 95, (60, 3))
    nki = 10 + factors @ [0.3, 0.5, 0.05] + rng.normal(0, 5, 60)
    m = cross_moments(np.column_stack([factors, nki]))
    rolled = priority_matrix_from_moments(m.n, m.sums, m.cross_products, names="abc")
    raw = priority_matrix(nki, factors, names="abc")
    assert rolled.r_squared == pytest.approx(raw.r_squared, rel=1e-9)
    assert [f.effect for f in rolled.factors] == pytest.approx(
        [f.effect for f in raw.factors], rel=1e-9
    )
    assert [f.quadrant for f in rolled.factors] == [f.quadrant for f in raw.factors]


def test_priority_matrix_without_respondents() -> None:
    result = priority_matrix([], np.empty((0, 2)), names=["a", "b"])
    assert result.n == 0 and all(f.effect is None for f in result.factors)
