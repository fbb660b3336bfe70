"""Before/after comparison of an index around an action: two periods, their means, Welch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from numpy.typing import ArrayLike

from survey.stats.change import Change, change, change_from_moments
from survey.stats.estimate import GroupEstimate, estimate, estimate_from_moments
from survey.stats.sufficient import Moments
from survey.stats.validation import check_count, check_finite


@dataclass(frozen=True, slots=True)
class BeforeAfter:
    """An index in the period before an action and in the period after it.

    This is a before/after comparison, not an estimate of the action's effect: anything
    else that changed between the periods (other work, the economy, who answered) moves
    the difference too, and there is no comparison group.

    Attributes
    ----------
    before, after : GroupEstimate
        Each period's mean index with its confidence interval (see ``estimate``).
    change : Change
        ``after - before`` with its Welch interval and p-value (see ``change``); suppressed
        when either period is.
    """

    before: GroupEstimate
    after: GroupEstimate
    change: Change


def before_after(
    before: ArrayLike, after: ArrayLike, *, min_n: int = 7, confidence: float = 0.95
) -> BeforeAfter:
    """Compare respondent-level index values of the period before and the period after.

    Each period's mean gets the t interval ``x̄ ± t(1 - α/2, n - 1) · s/√n`` and the
    difference ``d = x̄_after - x̄_before`` Welch's interval ``d ± t(1 - α/2, ν) · se`` with
    ``se = √(s_b²/n_b + s_a²/n_a)`` and the Welch-Satterthwaite ``ν`` (Welch 1947; DESIGN.md,
    Statistics conventions). A period with fewer than ``min_n`` values is suppressed, and
    the change with it.

    Parameters
    ----------
    before, after : array_like
        One-dimensional respondent-level index values of each period; NaN dropped.
    min_n : int, default 7
        The minimum group size (``SURVEY_MIN_GROUP_SIZE``).
    confidence : float, default 0.95
        Coverage of the intervals.

    Returns
    -------
    BeforeAfter

    Raises
    ------
    ValueError
        As ``estimate`` and ``change``.
    """
    return BeforeAfter(
        estimate(before, min_n=min_n, confidence=confidence),
        estimate(after, min_n=min_n, confidence=confidence),
        change(before, after, min_n=min_n, confidence=confidence),
    )


def before_after_from_moments(
    before: Moments, after: Moments, *, min_n: int = 7, confidence: float = 0.95
) -> BeforeAfter:
    """Compare the two periods from their sufficient statistics ``(n, Σx, Σx²)``.

    Same method and result as ``before_after`` (see ``estimate_from_moments`` and
    ``change_from_moments``).
    """
    options = {"min_n": min_n, "confidence": confidence}
    return BeforeAfter(
        estimate_from_moments(before.n, before.total, before.total_sq, **options),
        estimate_from_moments(after.n, after.total, after.total_sq, **options),
        change_from_moments(
            before.n, before.total, before.total_sq, after.n, after.total, after.total_sq,
            **options,
        ),
    )  # fmt: skip


def pooled(parts: Iterable[Moments]) -> Moments:
    """Return the moments of the union of disjoint groups: counts and sums add up.

    Raises
    ------
    ValueError
        If a count is negative or a sum is not finite.
    """
    n, total, total_sq = 0, 0.0, 0.0
    for part in parts:
        n += check_count(part.n, name="n")
        total += check_finite(part.total, name="total")
        total_sq += check_finite(part.total_sq, name="total_sq")
    return Moments(n, total, total_sq)
