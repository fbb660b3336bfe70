"""Sufficient statistics: counts, sums and cross-products, and stable centring of them.

Dashboards aggregate in SQL (``COUNT``, ``SUM(x)``, ``SUM(x*x)``, ``SUM(x*y)``) and hand the
rollups to the ``*_from_moments`` functions, which give the same results as the raw-data
functions (DESIGN.md, Architecture and Statistics conventions).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from survey.stats.validation import as_matrix, as_vector, check_count, check_finite

#: Centred sums of squares below this multiple of machine epsilon times the raw sum of squares
#: are cancellation noise: ``Σx² - (Σx)²/n`` cannot be computed more accurately than that.
CANCELLATION_TOLERANCE = 64.0 * float(np.finfo(float).eps)


@dataclass(frozen=True, slots=True)
class Moments:
    """Sufficient statistics of one variable: ``n``, ``total = Σx`` and ``total_sq = Σx²``."""

    n: int
    total: float
    total_sq: float


@dataclass(frozen=True, slots=True)
class CrossMoments:
    """Sufficient statistics of several variables: ``n``, ``sums = Σz``, ``cross = Σzzᵀ``."""

    n: int
    sums: np.ndarray
    cross_products: np.ndarray


def moments(values: ArrayLike) -> Moments:
    """Return the count, sum and sum of squares of the non-NaN values."""
    x = as_vector(values)
    x = x[~np.isnan(x)]
    return Moments(int(x.size), float(x.sum()), float(x @ x))


def cross_moments(rows: ArrayLike) -> CrossMoments:
    """Return ``n``, ``Σz`` and ``Σzzᵀ`` over the rows of a matrix without NaN (listwise)."""
    z = as_matrix(rows, name="rows")
    z = z[~np.isnan(z).any(axis=1)]
    return CrossMoments(int(z.shape[0]), z.sum(axis=0), z.T @ z)


def centred_sum_of_squares(n: int, total: float, total_sq: float) -> float:
    """Return ``M2 = Σ(x - x̄)² = Σx² - (Σx)²/n`` from sufficient statistics.

    Results within ``CANCELLATION_TOLERANCE · Σx²`` of zero, including tiny negative ones from
    rounding, are returned as exactly 0, so a constant sample has zero variance.

    Raises
    ------
    ValueError
        If ``n`` is negative, a sum is not finite, or ``total_sq`` is negative.
    """
    count = check_count(n, name="n")
    s = check_finite(total, name="total")
    ss = check_finite(total_sq, name="total_sq")
    if ss < 0:
        raise ValueError(f"total_sq must not be negative, got {total_sq!r}")
    if count == 0:
        return 0.0
    m2 = ss - s * (s / count)
    return 0.0 if m2 <= CANCELLATION_TOLERANCE * ss else m2


def centred_cross_products(n: int, sums: ArrayLike, cross_products: ArrayLike) -> np.ndarray:
    """Return the scatter matrix ``S = Σzzᵀ - (Σz)(Σz)ᵀ/n`` from sufficient statistics.

    A variable whose centred sum of squares is cancellation noise (see
    ``centred_sum_of_squares``) is treated as constant: its row and column of ``S`` are 0.

    Raises
    ------
    ValueError
        If the shapes do not match, a value is not finite, or the matrix is not symmetric.
    """
    count = check_count(n, name="n", minimum=1)
    s = as_vector(sums, name="sums")
    c = as_matrix(cross_products, name="cross_products")
    if c.shape != (s.size, s.size):
        raise ValueError(f"cross_products must have shape {(s.size, s.size)}, got {c.shape}")
    if np.isnan(s).any() or np.isnan(c).any():
        raise ValueError("sums and cross_products must not contain NaN")
    if not np.allclose(c, c.T, rtol=1e-12, atol=0.0):
        raise ValueError("cross_products must be a symmetric matrix")
    scatter = c - np.outer(s, s / count)
    scatter = (scatter + scatter.T) / 2.0
    constant = np.diag(scatter) <= CANCELLATION_TOLERANCE * np.abs(np.diag(c))
    scatter[constant, :] = 0.0
    scatter[:, constant] = 0.0
    return scatter


def scatter_matrix(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the column means and the two-pass scatter matrix ``Σ(z - z̄)(z - z̄)ᵀ``."""
    means = rows.mean(axis=0)
    centred = rows - means
    constant = (rows == rows[:1]).all(axis=0)
    centred[:, constant] = 0.0
    return means, centred.T @ centred
