"""Trend over time: OLS slope per year on respondent-level values."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from survey.stats.interval import ConfidenceInterval, t_interval
from survey.stats.sufficient import CANCELLATION_TOLERANCE, centred_sum_of_squares
from survey.stats.validation import as_vector, check_confidence, check_count

#: Fewest distinct times for a slope with a residual degree of freedom.
MIN_TIMES = 3


@dataclass(frozen=True, slots=True)
class Trend:
    """Linear trend of a value over time.

    Attributes
    ----------
    n : int
        Number of respondents with both a time and a value.
    n_times : int
        Number of distinct times among them.
    slope : float or None
        Change of the value per year (OLS).
    se : float or None
        Standard error of the slope.
    ci : ConfidenceInterval or None
        t interval of the slope on ``n - 2`` degrees of freedom.
    p_value : float or None
        Two-sided p-value of ``slope = 0``; None (with ``ci``) when the fit is exact.
    significant : bool or None
        ``p_value < 1 - confidence``.
    reason : str or None
        Why there is no slope, e.g. "fewer than 3 distinct times (2)", or no interval and test
        ("no variation around the line"); None otherwise.
    """

    n: int
    n_times: int
    slope: float | None
    se: float | None
    ci: ConfidenceInterval | None
    p_value: float | None
    significant: bool | None
    reason: str | None


def trend(
    times: ArrayLike, values: ArrayLike, *, confidence: float = 0.95, min_times: int = MIN_TIMES
) -> Trend:
    """Fit an OLS line ``y = a + b·t`` through respondent-level values over time.

    ``t`` is each respondent's time as a decimal year (e.g. the period midpoint), so ``b`` is
    the change per year. With centred sums ``S_tt = Σ(t - t̄)²``, ``S_ty = Σ(t - t̄)(y - ȳ)``:
    ``b = S_ty / S_tt``, residual sum of squares ``RSS = Σ(y - ȳ - b(t - t̄))²``,
    ``se(b) = √(RSS / (n - 2) / S_tt)``, the interval ``b ± t(1 - α/2, n - 2) · se(b)`` and the
    two-sided p-value of ``b / se(b)`` on ``n - 2`` degrees of freedom (ordinary least squares;
    DESIGN.md, Statistics conventions). An exact fit (``RSS = 0``) gives a zero-width interval
    and ``p_value`` 0.0, or None when the slope is also 0.

    Parameters
    ----------
    times : array_like
        One-dimensional decimal years, one per respondent.
    values : array_like
        One-dimensional values (e.g. respondent NKI) of the same length; pairs with a NaN
        time or value are dropped.
    confidence : float, default 0.95
        Coverage of the slope's interval.
    min_times : int, default 3
        Fewest distinct times for a slope; with fewer, the result has only ``reason``.

    Returns
    -------
    Trend

    Raises
    ------
    ValueError
        If the inputs are not 1-D of equal length, hold infinity, ``min_times < 3``, or
        ``confidence`` is not in (0, 1).
    """
    t = as_vector(times, name="times")
    y = as_vector(values, name="values")
    if t.shape != y.shape:
        raise ValueError(f"times and values differ in length: {t.size} != {y.size}")
    keep = ~(np.isnan(t) | np.isnan(y))
    t, y = t[keep], y[keep]
    n, n_times = int(t.size), int(np.unique(t).size)
    needed = check_count(min_times, name="min_times", minimum=MIN_TIMES)
    if n_times < needed:
        return _no_trend(n, n_times, needed, confidence=confidence)
    tc = t - t.mean()
    yc = y - y.mean() if (y != y[0]).any() else np.zeros_like(y)
    s_tt, s_ty = float(tc @ tc), float(tc @ yc)
    residuals = yc - (s_ty / s_tt) * tc
    rss = _snap(float(residuals @ residuals), float(y @ y))
    return _fit(n, n_times, s_tt, s_ty, rss, confidence=confidence)


def trend_from_groups(
    times: ArrayLike,
    ns: ArrayLike,
    totals: ArrayLike,
    totals_sq: ArrayLike,
    *,
    confidence: float = 0.95,
    min_times: int = MIN_TIMES,
) -> Trend:
    """Fit the same respondent-level trend as ``trend`` from per-period rollups.

    Each period ``g`` has a time ``t_g``, a count ``n_g``, ``Σy`` and ``Σy²`` over its
    respondents. Because every respondent of a period shares its time, the respondent-level
    sums follow exactly: with ``t̄ = Σ n_g t_g / n``, ``S_tt = Σ n_g (t_g - t̄)²``,
    ``S_ty = Σ (t_g - t̄)(Σy_g - n_g ȳ)`` (0 when ``S_yy`` is 0) and ``RSS = S_yy - b·S_ty``,
    where ``S_yy`` is the centred sum of squares of all values (see
    ``centred_sum_of_squares``). Same result as ``trend``.

    Raises
    ------
    ValueError
        If the arrays are not 1-D of equal length, a count is negative or not an integer,
        a value is NaN or infinite, or as ``trend``.
    """
    arrays = [
        as_vector(a, name=name)
        for a, name in ((times, "times"), (ns, "ns"), (totals, "totals"), (totals_sq, "totals_sq"))
    ]
    if len({a.shape for a in arrays}) != 1:
        raise ValueError(
            f"times, ns, totals, totals_sq differ in length: {[a.size for a in arrays]}"
        )
    if any(np.isnan(a).any() for a in arrays):
        raise ValueError("times, ns, totals and totals_sq must not contain NaN")
    t, counts, sums, sums_sq = arrays
    if ((counts < 0) | (counts != np.round(counts))).any():
        raise ValueError(f"ns must be non-negative integers, got {counts.tolist()!r}")
    present = counts > 0
    n, n_times = int(counts.sum()), int(np.unique(t[present]).size)
    needed = check_count(min_times, name="min_times", minimum=MIN_TIMES)
    if n_times < needed:
        return _no_trend(n, n_times, needed, confidence=confidence)
    tc = t - float(counts @ t) / n
    s_yy = centred_sum_of_squares(n, float(sums.sum()), float(sums_sq.sum()))
    deviations = sums - counts * (float(sums.sum()) / n)
    s_tt, s_ty = float(counts @ tc**2), float(tc @ deviations) if s_yy > 0 else 0.0
    rss = _snap(s_yy - (s_ty / s_tt) * s_ty, float(sums_sq.sum()))
    return _fit(n, n_times, s_tt, s_ty, rss, confidence=confidence)


def _snap(rss: float, total_sq: float) -> float:
    """Return ``rss``, or 0 when it is rounding noise relative to ``Σy²``."""
    return 0.0 if rss <= CANCELLATION_TOLERANCE * total_sq else rss


def _no_trend(n: int, n_times: int, needed: int, *, confidence: float) -> Trend:
    """Return the result without a slope, saying why."""
    check_confidence(confidence)
    reason = f"fewer than {needed} distinct times ({n_times})"
    return Trend(n, n_times, None, None, None, None, None, reason)


def _fit(n: int, n_times: int, s_tt: float, s_ty: float, rss: float, *, confidence: float) -> Trend:
    """Return the slope and its inference from the centred sums and the residual sum."""
    level = check_confidence(confidence)
    slope = s_ty / s_tt
    se = math.sqrt(rss / (n - 2) / s_tt)
    if se == 0.0:
        # An exact fit says nothing about the spread around the line: no interval, no test.
        return Trend(n, n_times, slope, se, None, None, None, "no variation around the line")
    from scipy import stats as sps  # here, not at import: scipy is large to load

    p_value = float(2.0 * sps.t.sf(abs(slope / se), n - 2))
    ci = t_interval(slope, se, n - 2, confidence=level)
    return Trend(n, n_times, slope, se, ci, p_value, p_value < 1.0 - level, None)
