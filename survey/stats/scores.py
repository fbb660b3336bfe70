"""Summary scores: Net Promoter Score, CSAT and response rate."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from survey.stats.indices import scale_bounds
from survey.stats.interval import ConfidenceInterval
from survey.stats.validation import as_vector, check_confidence, check_count


@dataclass(frozen=True, slots=True)
class Score:
    """A percentage-type score over ``n`` answers; ``value`` is None when ``n == 0``."""

    n: int
    value: float | None


@dataclass(frozen=True, slots=True)
class Rate:
    """Response rate in percent (0-100) with its Wilson score interval, also in percent.

    ``rate`` and ``ci`` are None when nobody was invited.
    """

    responded: int
    invited: int
    rate: float | None
    ci: ConfidenceInterval | None


def nps(scores: ArrayLike) -> Score:
    """Compute the Net Promoter Score of answers on the 0-10 recommendation scale.

    ``NPS = 100 · (#{x >= 9} - #{x <= 6}) / n``: the percentage of promoters (9-10) minus
    the percentage of detractors (0-6), between -100 and 100 (Reichheld 2003; DESIGN.md,
    Statistics conventions). NaN ("vet ej") is dropped and not counted in ``n``.

    Raises
    ------
    ValueError
        If ``scores`` is not 1-D or a score is not an integer from 0 to 10.
    """
    x = _on_scale(scores, 0, 10)
    if x.size == 0:
        return Score(0, None)
    promoters = int(np.count_nonzero(x >= 9))
    detractors = int(np.count_nonzero(x <= 6))
    return Score(int(x.size), 100.0 * (promoters - detractors) / x.size)


def csat(values: ArrayLike, *, scale_min: int = 1, scale_max: int, top: int = 2) -> Score:
    """Compute CSAT: the percentage of answers in the top ``top`` boxes of the scale.

    ``CSAT = 100 · #{x >= scale_max - top + 1} / n`` (top-two-box share by default;
    DESIGN.md, Statistics conventions). NaN ("vet ej") is dropped and not counted in ``n``.

    Raises
    ------
    ValueError
        If the scale has fewer than 2 points, ``top`` is not between 1 and the number of
        points, or a value is not an integer on the scale.
    """
    low, high = scale_bounds(scale_min=scale_min, scale_max=scale_max)
    boxes = check_count(top, name="top", minimum=1)
    if boxes > high - low + 1:
        raise ValueError(f"top={top!r} exceeds the {high - low + 1} points of the scale")
    x = _on_scale(values, low, high)
    if x.size == 0:
        return Score(0, None)
    return Score(int(x.size), 100.0 * int(np.count_nonzero(x >= high - boxes + 1)) / x.size)


def response_rate(responded: int, invited: int, *, confidence: float = 0.95) -> Rate:
    """Compute the response rate in percent with a Wilson score interval.

    With ``p̂ = r/n`` and ``z = Φ⁻¹(1 - α/2)``, the interval is
    ``(p̂ + z²/2n ± z·√(p̂(1 - p̂)/n + z²/4n²)) / (1 + z²/n)`` (Wilson 1927), which stays
    inside [0, 1] and behaves well for small ``n`` and rates near 0 or 1. Rate and interval
    are returned in percent, 0-100.

    Raises
    ------
    ValueError
        If a count is negative or not an integer, ``responded > invited``, or ``confidence``
        is not in (0, 1).
    """
    r = check_count(responded, name="responded")
    n = check_count(invited, name="invited")
    if r > n:
        raise ValueError(f"responded={responded!r} exceeds invited={invited!r}")
    level = check_confidence(confidence)
    if n == 0:
        return Rate(r, n, None, None)
    p = r / n
    from scipy import stats as sps  # here, not at import: scipy is large to load

    z = float(sps.norm.ppf(0.5 + level / 2.0))
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1.0 - p) / n + z * z / (4 * n * n)) / denominator
    low, high = max(centre - half, 0.0), min(centre + half, 1.0)
    return Rate(r, n, 100.0 * p, ConfidenceInterval(100.0 * low, 100.0 * high))


def _on_scale(values: ArrayLike, low: int, high: int) -> np.ndarray:
    """Return the non-NaN values after checking they are integers from ``low`` to ``high``."""
    x = as_vector(values)
    x = x[~np.isnan(x)]
    bad = (x < low) | (x > high) | (x != np.floor(x))
    if bad.any():
        raise ValueError(f"value {x[bad][0]!r} is not an integer on the scale {low}-{high}")
    return x
