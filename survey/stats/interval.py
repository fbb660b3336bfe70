"""The confidence interval result shared by every statistic, and the t-based interval."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ConfidenceInterval:
    """A two-sided confidence interval ``[low, high]``."""

    low: float
    high: float

    @property
    def half_width(self) -> float:
        """Half the width of the interval, ``(high - low) / 2``."""
        return (self.high - self.low) / 2.0


def t_interval(centre: float, se: float, df: float, *, confidence: float) -> ConfidenceInterval:
    """Return ``centre ± t(1 - (1 - confidence)/2, df) · se``.

    Parameters
    ----------
    centre : float
        Point estimate at the centre of the interval.
    se : float
        Standard error of the estimate (zero gives a zero-width interval).
    df : float
        Degrees of freedom of Student's t distribution (positive, may be fractional).
    confidence : float
        Coverage, strictly between 0 and 1.
    """
    if se == 0.0:
        return ConfidenceInterval(centre, centre)
    from scipy import special  # here, not at import: scipy is large to load

    # The ufunc behind scipy.stats.t.ppf(q, df), without its argument checks: the same
    # value, and a dashboard computes hundreds of intervals (benchmarks/README.md).
    quantile = float(special.stdtrit(df, 0.5 + confidence / 2.0))
    half = quantile * se
    if not math.isfinite(half):
        raise ValueError(f"interval half-width is not finite (se={se!r}, df={df!r})")
    return ConfidenceInterval(centre - half, centre + half)
