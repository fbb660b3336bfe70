from __future__ import annotations

import numpy as np
import pytest

from survey.stats import cronbach_alpha, cronbach_alpha_from_moments, cross_moments

ITEMS = np.array([[1, 2, 3], [2, 3, 3], [3, 3, 4], [4, 5, 5], [2, 2, 2]], dtype=float)


def test_cronbach_alpha_hand_worked() -> None:
    # Item variances 1.3, 1.5, 1.3 (sum 4.1); totals 6 8 10 14 6 have variance 11.2.
    # α = 3/2 · (1 - 4.1/11.2) = 0.950893.
    result = cronbach_alpha(ITEMS)
    assert (result.n, result.k, result.reason) == (5, 3, None)
    assert result.alpha == pytest.approx(1.5 * (1 - 4.1 / 11.2), rel=1e-12)


def test_cronbach_alpha_matches_covariance_form() -> None:
    # Standardised form α = k·c̄ / (v̄ + (k - 1)·c̄) with mean variance v̄, mean covariance c̄.
    rng = np.random.default_rng(5)
    items = rng.integers(1, 6, (40, 4)).astype(float) + rng.integers(0, 2, (40, 1))
    cov = np.cov(items, rowvar=False)
    k = 4
    v_bar = np.trace(cov) / k
    c_bar = (cov.sum() - np.trace(cov)) / (k * (k - 1))
    assert cronbach_alpha(items).alpha == pytest.approx(k * c_bar / (v_bar + (k - 1) * c_bar))


def test_cronbach_alpha_listwise_deletion() -> None:
    with_missing = np.vstack([ITEMS, [[np.nan, 1, 1]]])
    assert cronbach_alpha(with_missing) == cronbach_alpha(ITEMS)


def test_cronbach_alpha_zero_total_variance() -> None:
    result = cronbach_alpha([[1, 5], [5, 1], [3, 3]])
    assert result.alpha is None and result.reason == "the total score has no variance"


def test_cronbach_alpha_too_few_rows() -> None:
    assert cronbach_alpha([[1, 2]]).reason == "fewer than 2 complete respondents (n=1)"


def test_cronbach_alpha_from_moments_equals_raw() -> None:
    m = cross_moments(ITEMS)
    rolled = cronbach_alpha_from_moments(m.n, m.sums, m.cross_products)
    assert rolled.alpha == pytest.approx(cronbach_alpha(ITEMS).alpha, abs=1e-9)


def test_cronbach_alpha_from_moments_zero_total_variance() -> None:
    m = cross_moments([[1, 5], [5, 1], [3, 3]])
    assert cronbach_alpha_from_moments(m.n, m.sums, m.cross_products).alpha is None
