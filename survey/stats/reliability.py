"""Internal consistency of a multi-item scale: Cronbach's alpha."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from survey.stats.sufficient import (
    CANCELLATION_TOLERANCE,
    centred_cross_products,
    scatter_matrix,
)
from survey.stats.validation import as_matrix, as_vector, check_count


@dataclass(frozen=True, slots=True)
class Alpha:
    """Cronbach's alpha over ``n`` complete respondents and ``k`` items.

    ``alpha`` is None when it is undefined, and ``reason`` then says why.
    """

    n: int
    k: int
    alpha: float | None
    reason: str | None


def cronbach_alpha(items: ArrayLike) -> Alpha:
    """Compute Cronbach's alpha of a respondents × items matrix.

    Rows with any NaN are dropped (listwise deletion). With item variances ``s_i²`` and the
    variance ``s_T²`` of the row totals, ``α = k/(k - 1) · (1 - Σ s_i² / s_T²)``
    (Cronbach 1951). Alpha is undefined, and None with a ``reason``, with fewer than 2
    complete rows or when the totals have no variance.

    Parameters
    ----------
    items : array_like
        Matrix of shape (n_respondents, k) with ``k >= 2``.

    Returns
    -------
    Alpha

    Raises
    ------
    ValueError
        If ``items`` is not 2-D with at least 2 columns or holds infinity.
    """
    x = as_matrix(items, name="items")
    k = _check_items(x.shape[1])
    x = x[~np.isnan(x).any(axis=1)]
    n = int(x.shape[0])
    scatter = scatter_matrix(x)[1] if n else np.zeros((k, k))
    total = x.sum(axis=1)
    constant_total = n == 0 or bool((total == total[0]).all())
    return _alpha(n, k, scatter, constant_total=constant_total)


def cronbach_alpha_from_moments(n: int, sums: ArrayLike, cross_products: ArrayLike) -> Alpha:
    """Compute Cronbach's alpha from ``n``, ``Σx`` and ``Σxxᵀ`` over complete rows.

    The covariance matrix is the scatter ``Σxxᵀ - (Σx)(Σx)ᵀ/n`` over ``n - 1`` (see
    ``centred_cross_products``); ``Σ s_i²`` is its trace and ``s_T²`` the sum of all its
    entries. Same result as ``cronbach_alpha`` (Cronbach 1951).

    Raises
    ------
    ValueError
        If the shapes do not match, ``k < 2``, or a value is not finite.
    """
    count = check_count(n, name="n")
    s = as_vector(sums, name="sums")
    k = _check_items(s.size)
    if count == 0:
        return _alpha(0, k, np.zeros((k, k)), constant_total=True)
    scatter = centred_cross_products(count, s, cross_products)
    total_scatter = float(scatter.sum())
    noise = CANCELLATION_TOLERANCE * float(np.asarray(cross_products, dtype=float).sum())
    return _alpha(count, k, scatter, constant_total=total_scatter <= noise)


def _check_items(k: int) -> int:
    """Return the number of items after checking there are at least 2."""
    if k < 2:
        raise ValueError(f"Cronbach's alpha needs at least 2 items, got {k}")
    return k


def _alpha(n: int, k: int, scatter: np.ndarray, *, constant_total: bool) -> Alpha:
    """Return alpha from the items' scatter matrix (the ``n - 1`` divisor cancels)."""
    if n < 2:
        return Alpha(n, k, None, f"fewer than 2 complete respondents (n={n})")
    total_scatter = float(scatter.sum())
    if constant_total or total_scatter <= 0.0:
        return Alpha(n, k, None, "the total score has no variance")
    alpha = k / (k - 1) * (1.0 - float(np.trace(scatter)) / total_scatter)
    return Alpha(n, k, alpha, None)
