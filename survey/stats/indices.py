"""Item and respondent indices on the 0-100 scale (DESIGN.md, Statistics conventions)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from survey.stats.validation import as_matrix, check_count


def scale_bounds(
    *, k: int | None = None, scale_min: int = 1, scale_max: int | None = None
) -> tuple[int, int]:
    """Return ``(scale_min, scale_max)`` of a scale given as ``k`` points or as its maximum.

    Raises
    ------
    ValueError
        If neither or inconsistent ``k`` and ``scale_max`` are given, or the scale has fewer
        than 2 points.
    """
    if k is None and scale_max is None:
        raise ValueError("give the scale as k (number of points) or scale_max")
    low = check_count(scale_min, name="scale_min", minimum=None)
    if k is not None:
        points = check_count(k, name="k", minimum=2)
        high = low + points - 1
        if scale_max is not None and scale_max != high:
            raise ValueError(
                f"scale_max={scale_max!r} contradicts k={k!r} with scale_min={scale_min!r}"
            )
        return low, high
    high = check_count(scale_max, name="scale_max", minimum=None)
    if high <= low:
        raise ValueError(
            f"a scale needs at least 2 points, got scale_min={scale_min!r}, scale_max={scale_max!r}"
        )
    return low, high


def item_index(
    values: ArrayLike, *, k: int | None = None, scale_min: int = 1, scale_max: int | None = None
) -> np.ndarray:
    """Convert answers on a rating scale to indices on 0-100.

    ``I(x) = (x - scale_min) / (scale_max - scale_min) * 100``; on the usual k-point scale
    starting at 1 this is ``(x - 1) / (k - 1) * 100`` (DESIGN.md, Statistics conventions).
    "Vet ej / ej aktuellt" is passed in as NaN and stays NaN, so it is never counted.

    Parameters
    ----------
    values : array_like
        Answers, any shape; NaN marks a missing or "vet ej" answer.
    k : int, optional
        Number of scale points; give this or ``scale_max``.
    scale_min : int, default 1
        Lowest scale value.
    scale_max : int, optional
        Highest scale value; give this or ``k``.

    Returns
    -------
    numpy.ndarray
        Float array of the same shape as ``values``.

    Raises
    ------
    ValueError
        If the scale has fewer than 2 points or a value lies outside the scale.
    """
    low, high = scale_bounds(k=k, scale_min=scale_min, scale_max=scale_max)
    array = np.asarray(values, dtype=float)
    bad = ~np.isnan(array) & ((array < low) | (array > high))
    if bad.any():
        raise ValueError(f"value {array[bad].flat[0]!r} is outside the scale {low}-{high}")
    return (array - low) / (high - low) * 100.0


def respondent_index(
    item_indices: ArrayLike, *, weights: ArrayLike | None = None, min_answered: int = 2
) -> np.ndarray:
    """Combine each respondent's item indices into one index.

    For row ``i`` with answered items ``A_i``: ``R_i = Σ_{j∈A_i} w_ij I_ij / Σ_{j∈A_i} w_ij``,
    and ``R_i = NaN`` when ``|A_i| < min_answered``. The weights are the items' (``w_j``) or
    each respondent's own (``w_ij``: those of the battery version the respondent answered, so
    a later version never changes an earlier respondent's index). Respondent NKI uses the
    three NKI items with ``min_answered=2`` (the default); factor indices are built the same
    way, with ``min_answered=required_items(k)`` for an index of ``k`` items (DESIGN.md,
    Statistics conventions).

    Parameters
    ----------
    item_indices : array_like
        Matrix of shape (n_respondents, n_items) of item indices; NaN marks an unanswered item.
    weights : array_like, optional
        Positive weight per item, shape (n_items,), or per respondent and item, shape
        (n_respondents, n_items), where entries of unanswered items are ignored; equal
        weights by default.
    min_answered : int, default 2
        Fewest answered items for a respondent to get an index.

    Returns
    -------
    numpy.ndarray
        One index per respondent, NaN where too few items were answered.

    Raises
    ------
    ValueError
        If the matrix is not 2-D, the weights do not match the items or are not positive, or
        ``min_answered`` is not between 1 and the number of items.
    """
    matrix = as_matrix(item_indices, name="item_indices")
    n_items = matrix.shape[1]
    needed = check_count(min_answered, name="min_answered", minimum=1)
    if needed > n_items:
        raise ValueError(f"min_answered={min_answered!r} exceeds the {n_items} items")
    answered = ~np.isnan(matrix)
    if weights is None:
        w = np.ones(matrix.shape)
    else:
        w = np.asarray(weights, dtype=float)
        if w.shape == (n_items,):
            used, w = w, np.broadcast_to(w, matrix.shape)
        elif w.shape == matrix.shape:
            used = w[answered]
        else:
            raise ValueError(
                f"weights must have shape ({n_items},) or {matrix.shape}, got {w.shape}"
            )
        if not (np.isfinite(used) & (used > 0)).all():
            raise ValueError(f"weights must be positive and finite, got {used.tolist()!r}")
    w = np.where(answered, w, 0.0)
    weight_sum = w.sum(axis=1)
    weighted = (np.where(answered, matrix, 0.0) * w).sum(axis=1)
    enough = answered.sum(axis=1) >= needed
    result = np.full(matrix.shape[0], np.nan)
    np.divide(weighted, weight_sum, out=result, where=enough)
    return result


def required_items(n_items: int) -> int:
    """Return how many of an index's ``k`` items a respondent must answer: ``⌈2k/3⌉``.

    NKI needs 2 of its 3 items (DESIGN.md, Statistics conventions) and factor indices are
    built "the same way": the same share, two thirds rounded up, for every index. So 1 of 1,
    2 of 2, 2 of 3, 3 of 4, 4 of 5 or 6: one answered item never stands for an index of
    several, and a respondent's index always rests on most of its items.

    Raises
    ------
    ValueError
        If ``n_items`` is not a positive integer.
    """
    k = check_count(n_items, name="n_items", minimum=1)
    return (2 * k + 2) // 3
