"""Change between two periods: difference of means with Welch's t-test."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from survey.stats.interval import ConfidenceInterval, t_interval
from survey.stats.sufficient import centred_sum_of_squares
from survey.stats.validation import as_vector, check_confidence, check_count, check_finite


@dataclass(frozen=True, slots=True)
class Change:
    """Difference ``after - before`` of two group means and its significance.

    Attributes
    ----------
    n_before, n_after : int
        Group sizes (non-missing values); always reported.
    mean_before, mean_after, difference : float or None
        Group means and ``mean_after - mean_before``.
    ci : ConfidenceInterval or None
        Welch interval of the difference.
    df : float or None
        Welch-Satterthwaite degrees of freedom; None when both groups have zero variance.
    p_value : float or None
        Two-sided Welch t-test p-value; None when both groups are constant (no test).
    significant : bool or None
        ``p_value < 1 - confidence`` (p < 0.05 by default), so it agrees with whether the
        interval excludes 0; None when there is no test.
    suppressed : bool
        True when a group has fewer than ``max(min_n, 2)`` values; then every field except
        the group sizes is None.
    """

    n_before: int
    n_after: int
    mean_before: float | None
    mean_after: float | None
    difference: float | None
    ci: ConfidenceInterval | None
    df: float | None
    p_value: float | None
    significant: bool | None
    suppressed: bool
    untested: str | None = None


def change(
    before: ArrayLike, after: ArrayLike, *, min_n: int = 7, confidence: float = 0.95
) -> Change:
    """Compare the means of two periods with Welch's unequal-variances t-test.

    With group sizes ``n_i``, means ``x̄_i`` and sample variances ``s_i²`` (ddof=1), the
    difference ``d = x̄_2 - x̄_1`` has ``se = √(s_1²/n_1 + s_2²/n_2)``, the Welch-Satterthwaite
    degrees of freedom ``ν = se⁴ / ((s_1²/n_1)²/(n_1 - 1) + (s_2²/n_2)²/(n_2 - 1))``, the
    interval ``d ± t(1 - α/2, ν) · se`` and the two-sided p-value of ``t = d/se`` on ``ν``
    degrees of freedom (Welch 1947; DESIGN.md, Statistics conventions). The p-value is
    computed by ``scipy.stats.ttest_ind_from_stats(equal_var=False)``, which equals
    ``scipy.stats.ttest_ind(before, after, equal_var=False)`` on the raw values.

    When both groups have zero variance the standard error is 0 and the test is undefined:
    a sample without spread says nothing about the spread of the population, so a
    zero-width interval and ``p = 0`` would claim a certainty the data cannot give. The
    difference is reported, but ``ci``, ``df``, ``p_value`` and ``significant`` are None
    and ``untested`` is ``"no_variance"``.

    Parameters
    ----------
    before, after : array_like
        One-dimensional respondent-level values of the earlier and later period; NaN dropped.
    min_n : int, default 7
        A group with fewer values (or fewer than 2) suppresses the comparison.
    confidence : float, default 0.95
        Coverage of the interval; significance is ``p < 1 - confidence``.

    Returns
    -------
    Change

    Raises
    ------
    ValueError
        If an input is not 1-D or holds infinity, ``min_n`` is negative, or ``confidence``
        is not in (0, 1).
    """
    groups = []
    for name, values in (("before", before), ("after", after)):
        x = as_vector(values, name=name)
        x = x[~np.isnan(x)]
        if x.size and (x == x[0]).all():
            groups.append((int(x.size), float(x[0]), 0.0))
        elif x.size:
            mean = float(x.mean())
            groups.append((int(x.size), mean, float(((x - mean) ** 2).sum())))
        else:
            groups.append((0, 0.0, 0.0))
    return _welch(*groups[0], *groups[1], min_n=min_n, confidence=confidence)


def change_from_moments(
    n_before: int,
    total_before: float,
    total_sq_before: float,
    n_after: int,
    total_after: float,
    total_sq_after: float,
    *,
    min_n: int = 7,
    confidence: float = 0.95,
) -> Change:
    """Compare two periods from their sufficient statistics ``(n, Σx, Σx²)`` each.

    Same method and result as ``change``; the centred sums of squares are computed as in
    ``estimate_from_moments`` (Welch 1947; DESIGN.md, Statistics conventions).

    Raises
    ------
    ValueError
        As ``change``, and if a count is negative or a sum is not finite.
    """
    groups = []
    for suffix, n, total, total_sq in (
        ("before", n_before, total_before, total_sq_before),
        ("after", n_after, total_after, total_sq_after),
    ):
        count = check_count(n, name=f"n_{suffix}")
        mean = check_finite(total, name=f"total_{suffix}") / count if count else 0.0
        groups.append((count, mean, centred_sum_of_squares(count, total, total_sq)))
    return _welch(*groups[0], *groups[1], min_n=min_n, confidence=confidence)


def _welch(
    n1: int,
    mean1: float,
    m2_1: float,
    n2: int,
    mean2: float,
    m2_2: float,
    *,
    min_n: int,
    confidence: float,
) -> Change:
    """Run Welch's test from group sizes, means and centred sums of squares."""
    level = check_confidence(confidence)
    threshold = max(check_count(min_n, name="min_n"), 2)
    if n1 < threshold or n2 < threshold:
        return Change(n1, n2, None, None, None, None, None, None, None, suppressed=True)
    var1, var2 = m2_1 / (n1 - 1), m2_2 / (n2 - 1)
    difference = mean2 - mean1
    se = math.sqrt(var1 / n1 + var2 / n2)
    if se == 0.0:
        return Change(
            n1, n2, mean1, mean2, difference, None, None, None, None, False, "no_variance"
        )
    df = se**4 / ((var1 / n1) ** 2 / (n1 - 1) + (var2 / n2) ** 2 / (n2 - 1))
    from scipy import stats as sps  # here, not at import: scipy is large to load

    result = sps.ttest_ind_from_stats(
        mean2, math.sqrt(var2), n2, mean1, math.sqrt(var1), n1, equal_var=False
    )
    p_value = float(result.pvalue)
    ci = t_interval(difference, se, df, confidence=level)
    significant = p_value < 1.0 - level
    return Change(n1, n2, mean1, mean2, difference, ci, df, p_value, significant, suppressed=False)
