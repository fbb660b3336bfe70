"""Group estimate: mean index with its confidence interval, grade and suppression."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from survey.stats.grades import grade_band
from survey.stats.interval import ConfidenceInterval, t_interval
from survey.stats.sufficient import centred_sum_of_squares
from survey.stats.validation import as_vector, check_confidence, check_count, check_finite


@dataclass(frozen=True, slots=True)
class GroupEstimate:
    """Mean of a group with its uncertainty.

    Attributes
    ----------
    n : int
        Number of non-missing values; always reported, also when suppressed.
    mean, sd, se : float or None
        Mean, sample standard deviation (ddof=1) and standard error (with the finite-population
        correction when a population was given). None when suppressed; ``sd`` and ``se`` are
        also None when ``n < 2``, and everything is None when ``n == 0``.
    ci : ConfidenceInterval or None
        t-based interval of the mean; None when suppressed, ``n < 2`` or ``sd == 0``.
    grade : str or None
        SKR grade band of the mean (see ``grade_band``); None when suppressed or
        ``n < GRADE_MIN_N``.
    suppressed : bool
        True when ``n < min_n``: the group is too small to report (DESIGN.md, Invariants).
    no_interval : str or None
        Why a reported group has no interval: ``"one_value"`` (``n < 2``: no spread to
        estimate) or ``"no_variance"`` (every value equal: ``s = 0`` would give a zero-width
        interval that claims certainty a sample cannot give); None otherwise.
    """

    n: int
    mean: float | None
    sd: float | None
    se: float | None
    ci: ConfidenceInterval | None
    grade: str | None
    suppressed: bool
    no_interval: str | None = None


#: Fewest values a group needs for a grade band, whatever the suppression threshold: a grade
#: judges the group against SKR's bands, and under 7 answers (the default minimum group size)
#: a 95 % interval is typically wider than any band (s = 20: ± 18 index points).
GRADE_MIN_N = 7


def estimate(
    values: ArrayLike,
    *,
    population: int | None = None,
    min_n: int = 7,
    confidence: float = 0.95,
) -> GroupEstimate:
    """Estimate a group's mean index with a t-based confidence interval.

    NaN values are dropped. With ``n`` values, mean ``x̄`` and sample standard deviation ``s``
    (ddof=1), the standard error is ``se = s/√n · √((N - n)/(N - 1))`` where the second factor,
    the finite-population correction, is used only when the population size ``N`` (number of
    invited companies) is given; the interval is ``x̄ ± t(1 - α/2, n - 1) · se`` with
    ``α = 1 - confidence`` (DESIGN.md, Statistics conventions; Student's t interval).

    Parameters
    ----------
    values : array_like
        One-dimensional respondent-level values, e.g. respondent NKI; NaN marks missing.
    population : int, optional
        Population size ``N >= n`` for the finite-population correction.
    min_n : int, default 7
        Groups with fewer values are suppressed: mean, sd, se, ci and grade are None. A
        grade also needs ``n >= GRADE_MIN_N``; an interval needs ``n >= 2`` and ``s > 0``.
    confidence : float, default 0.95
        Coverage of the interval, strictly between 0 and 1.

    Returns
    -------
    GroupEstimate

    Raises
    ------
    ValueError
        If ``values`` is not 1-D or holds infinity, ``population < n``, ``min_n`` is
        negative, or ``confidence`` is not in (0, 1).
    """
    x = as_vector(values)
    x = x[~np.isnan(x)]
    n = int(x.size)
    if n == 0:
        return _build(0, 0.0, 0.0, population=population, min_n=min_n, confidence=confidence)
    if (x == x[0]).all():
        mean, m2 = float(x[0]), 0.0
    else:
        mean = float(x.mean())
        m2 = float(((x - mean) ** 2).sum())
    return _build(n, mean, m2, population=population, min_n=min_n, confidence=confidence)


def estimate_from_moments(
    n: int,
    total: float,
    total_sq: float,
    *,
    population: int | None = None,
    min_n: int = 7,
    confidence: float = 0.95,
) -> GroupEstimate:
    """Estimate a group's mean index from its sufficient statistics.

    Same method and result as ``estimate``, from ``n``, ``total = Σx`` and
    ``total_sq = Σx²`` (e.g. SQL ``COUNT``, ``SUM``, ``SUM(x*x)``): ``x̄ = Σx/n`` and
    ``s² = (Σx² - (Σx)²/n)/(n - 1)``, where a centred sum of squares that is rounding noise
    (including a tiny negative one) is taken as 0 (see ``centred_sum_of_squares``).

    Raises
    ------
    ValueError
        As ``estimate``, and if ``n`` is negative or a sum is not finite.
    """
    count = check_count(n, name="n")
    mean = check_finite(total, name="total") / count if count else 0.0
    m2 = centred_sum_of_squares(count, total, total_sq)
    return _build(count, mean, m2, population=population, min_n=min_n, confidence=confidence)


def _build(
    n: int, mean: float, m2: float, *, population: int | None, min_n: int, confidence: float
) -> GroupEstimate:
    """Assemble the estimate from ``n``, the mean and the centred sum of squares ``m2``."""
    level = check_confidence(confidence)
    threshold = check_count(min_n, name="min_n")
    fpc = _finite_population_factor(n, population)
    if n < threshold or n == 0:
        return GroupEstimate(n, None, None, None, None, None, suppressed=n < threshold)
    grade = grade_band(mean) if n >= GRADE_MIN_N else None
    if n < 2:
        return GroupEstimate(n, mean, None, None, None, grade, False, "one_value")
    sd = math.sqrt(m2 / (n - 1))
    if sd == 0.0:
        return GroupEstimate(n, mean, 0.0, None, None, grade, False, "no_variance")
    se = sd / math.sqrt(n) * fpc
    ci = t_interval(mean, se, n - 1, confidence=level)
    return GroupEstimate(n, mean, sd, se, ci, grade, suppressed=False)


def _finite_population_factor(n: int, population: int | None) -> float:
    """Return ``√((N - n)/(N - 1))``, or 1 without a population."""
    if population is None:
        return 1.0
    size = check_count(population, name="population")
    if size < n:
        raise ValueError(f"population={population!r} is smaller than the sample size n={n}")
    if size <= 1:
        return 1.0
    return math.sqrt((size - n) / (size - 1))
