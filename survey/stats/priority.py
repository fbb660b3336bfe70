"""Priority matrix: which service factors drive NKI, and where they stand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from survey.stats.interval import ConfidenceInterval, t_interval
from survey.stats.sufficient import centred_cross_products, scatter_matrix
from survey.stats.validation import as_matrix, as_vector, check_count

#: Effects are in NKI units per this many index units on the factor.
EFFECT_STEP = 5.0
#: Fewest complete respondents per factor for the multiple regression (rule of thumb of
#: 10 observations per predictor: fewer give coefficients too unstable to rank factors).
PER_FACTOR = 10
CONFIDENCE = 0.95
PRIORITISE = "Prioritera"
MAINTAIN = "Bevara"
IMPROVE_IF_POSSIBLE = "Förbättra om möjligt"
LOWER_PRIORITY = "Lägre prioritet"


@dataclass(frozen=True, slots=True)
class FactorEffect:
    """One factor in the priority matrix.

    Attributes
    ----------
    name : str
        The factor's name as given.
    index_mean : float or None
        Mean factor index over the respondents used (None without respondents).
    effect : float or None
        NKI units per +5 on the factor index; None when it cannot be estimated (no
        variance in the factor, or fewer than 2 respondents).
    quadrant : str or None
        "Prioritera", "Bevara", "Förbättra om möjligt" or "Lägre prioritet"; None when
        ``effect`` is None.
    ci : ConfidenceInterval or None
        95 % interval of ``effect`` (NKI units per +5); None without residual degrees of
        freedom.
    uncertain : bool
        The quadrant is not reliable: the effect is negative, or its interval is missing or
        contains the mean effect (the quadrant line), so the factor may lie on either side.
    """

    name: str
    index_mean: float | None
    effect: float | None
    quadrant: str | None
    ci: ConfidenceInterval | None = None
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class PriorityMatrix:
    """Effects of the service factors on NKI.

    Attributes
    ----------
    n : int
        Respondents with NKI and every factor index.
    r_squared : float or None
        Förklaringsgrad (coefficient of determination) of the OLS model; None for the
        correlation fallback or when NKI has no variance.
    method : str
        "ols" (multiple regression) or "correlation" (bivariate slopes, the fallback).
    fallback_reason : str or None
        Why the fallback was used, e.g. "too few respondents (n=12 < 30)".
    factors : tuple of FactorEffect
        One entry per factor, in the order of ``names``.
    """

    n: int
    r_squared: float | None
    method: str
    fallback_reason: str | None
    factors: tuple[FactorEffect, ...]

    @property
    def reliable(self) -> bool:
        """Whether every placed factor's quadrant holds (no factor is ``uncertain``)."""
        return not any(f.uncertain for f in self.factors if f.quadrant is not None)


def priority_matrix(
    nki: ArrayLike,
    factors: ArrayLike,
    *,
    names: Sequence[str],
    min_n: int = 30,
    max_condition: float = 1e6,
) -> PriorityMatrix:
    """Estimate each service factor's effect on NKI and place it in a quadrant.

    Rows with any NaN are dropped. NKI is regressed on the factor indices with an intercept by
    ordinary least squares; with centred scatter matrices ``S_xx`` (factors) and ``S_xy``
    (factors with NKI), ``β = S_xx⁻¹ S_xy`` (solved with ``numpy.linalg.lstsq``), the effect is
    ``5·β`` (NKI units per +5 on the factor) and ``R² = βᵀS_xy / S_yy`` is the
    förklaringsgrad. Each factor's quadrant compares its effect with the mean effect and its
    mean index with the mean of the factor indices ("at or above the mean" counts as high):
    "Prioritera" (low index, high effect), "Bevara" (high, high), "Förbättra om möjligt"
    (low, low), "Lägre prioritet" (high, low). See DESIGN.md, Statistics conventions.

    When ``n < min_n`` (the service asks ``max(30, 10·p)``), ``n < p + 2``, a factor has no
    variance, or the factors are collinear (condition number of their correlation matrix above
    ``max_condition``), the effects are bivariate slopes instead (correlation-based importance,
    as SCB's NKI model reports), ``5 · r · s_y / s_x = 5 · S_xy,j / S_xx,jj``, with
    ``method = "correlation"``, a ``fallback_reason`` and ``r_squared`` None.

    Each effect has a 95 % t interval ``5·(β ± t(0.975, df)·se)``. OLS: residual variance
    ``σ² = (S_yy - βᵀS_xy)/(n - p - 1)``, ``se_j = √(σ² (S_xx⁻¹)_jj)``, ``df = n - p - 1``.
    Slopes: ``se_j = √((S_yy - b_j S_xy,j)/(n - 2) / S_xx,jj)``, ``df = n - 2``. A factor is
    ``uncertain`` when its effect is negative or its interval contains the mean effect.

    Parameters
    ----------
    nki : array_like
        Respondent NKI, shape (n,).
    factors : array_like
        Respondent factor indices, shape (n, p).
    names : sequence of str
        The p factor names.
    min_n : int, default 30
        Fewest complete respondents for the regression.
    max_condition : float, default 1e6
        Largest condition number of the factors' correlation matrix for the regression.

    Returns
    -------
    PriorityMatrix

    Raises
    ------
    ValueError
        If the shapes do not match each other or ``names``, a value is infinite, or an
        option is out of range.
    """
    y = as_vector(nki, name="nki")
    x = as_matrix(factors, name="factors")
    if x.shape[0] != y.size:
        raise ValueError(f"factors has {x.shape[0]} rows but nki has {y.size} values")
    rows = np.column_stack([x, y])
    rows = rows[~np.isnan(rows).any(axis=1)]
    n = int(rows.shape[0])
    if n:
        means, scatter = scatter_matrix(rows)
    else:
        means, scatter = None, np.zeros((rows.shape[1], rows.shape[1]))
    return _matrix(n, means, scatter, names=names, min_n=min_n, max_condition=max_condition)


def priority_matrix_from_moments(
    n: int,
    sums: ArrayLike,
    cross_products: ArrayLike,
    *,
    names: Sequence[str],
    min_n: int = 30,
    max_condition: float = 1e6,
) -> PriorityMatrix:
    """Compute ``priority_matrix`` from sufficient statistics of complete respondents.

    ``sums`` is ``Σz`` and ``cross_products`` is ``Σzzᵀ`` over the augmented vector
    ``z = [factor_1, ..., factor_p, nki]`` of each respondent with no missing value; the
    scatter matrix is ``Σzzᵀ - (Σz)(Σz)ᵀ/n`` (see ``centred_cross_products``). Same method and
    result as ``priority_matrix``.

    Raises
    ------
    ValueError
        As ``priority_matrix``, and if ``sums`` and ``cross_products`` do not have shapes
        ``(p + 1,)`` and ``(p + 1, p + 1)`` or the matrix is not symmetric.
    """
    count = check_count(n, name="n")
    s = as_vector(sums, name="sums")
    if count:
        means, scatter = s / count, centred_cross_products(count, s, cross_products)
    else:
        means, scatter = None, np.zeros((s.size, s.size))
    return _matrix(count, means, scatter, names=names, min_n=min_n, max_condition=max_condition)


def _matrix(
    n: int,
    means: np.ndarray | None,
    scatter: np.ndarray,
    *,
    names: Sequence[str],
    min_n: int,
    max_condition: float,
) -> PriorityMatrix:
    """Fit and classify from the means and the scatter matrix of ``[factors..., nki]``."""
    p = scatter.shape[0] - 1
    labels = [str(name) for name in names]
    if len(labels) != p or p < 1:
        raise ValueError(f"names has {len(labels)} entries but there are {p} factors")
    threshold = check_count(min_n, name="min_n")
    if not max_condition > 1.0:
        raise ValueError(f"max_condition must exceed 1, got {max_condition!r}")
    s_xx, s_xy, s_yy = scatter[:p, :p], scatter[:p, p], float(scatter[p, p])
    reason = _fallback_reason(n, s_xx, labels, min_n=threshold, max_condition=max_condition)
    if reason is None:
        beta = np.linalg.lstsq(s_xx, s_xy, rcond=None)[0]
        effects: list[float | None] = [float(b) * EFFECT_STEP for b in beta]
        r_squared = float(beta @ s_xy) / s_yy if s_yy > 0 else None
        rss = max(s_yy - float(beta @ s_xy), 0.0)
        inverse = np.linalg.pinv(s_xx)
        errors = [_se(rss, n - p - 1, inverse[j, j]) for j in range(p)]
        df = n - p - 1
    else:
        slopes = [float(s_xy[j] / s_xx[j, j]) if s_xx[j, j] > 0 else None for j in range(p)]
        effects = [None if b is None else b * EFFECT_STEP for b in slopes]
        errors = [
            None if b is None else _se(max(s_yy - b * s_xy[j], 0.0), n - 2, 1 / s_xx[j, j])
            for j, b in enumerate(slopes)
        ]
        r_squared, df = None, n - 2
    intervals = [_interval(e, se, df) for e, se in zip(effects, errors, strict=True)]
    index_means: list[float | None] = [None] * p if means is None else [float(m) for m in means[:p]]
    quadrants = _quadrants(index_means, effects)
    unsure = _uncertain(effects, intervals)
    factors = tuple(map(FactorEffect, labels, index_means, effects, quadrants, intervals, unsure))
    method = "ols" if reason is None else "correlation"
    return PriorityMatrix(n, r_squared, method, reason, factors)


def _fallback_reason(
    n: int, s_xx: np.ndarray, names: list[str], *, min_n: int, max_condition: float
) -> str | None:
    """Say why OLS cannot be used, or return None when it can."""
    p = len(names)
    if n < min_n:
        return f"too few respondents (n={n} < {min_n})"
    if n < p + 2:
        return f"too few respondents (n={n}) for {p} factors"
    variances = np.diag(s_xx)
    if (variances <= 0).any():
        return f"factor {names[int(np.argmin(variances))]!r} has no variance"
    scale = np.sqrt(variances)
    if np.linalg.cond(s_xx / np.outer(scale, scale)) > max_condition:
        return "factors are collinear"
    return None


def _quadrants(
    index_means: Sequence[float | None], effects: Sequence[float | None]
) -> list[str | None]:
    """Place each factor by its effect and index relative to the means over the factors."""
    known = [(i, e) for i, e in zip(index_means, effects, strict=True) if e is not None]
    if not known or any(i is None for i, _ in known):
        return [None] * len(effects)
    mean_index = float(np.mean([i for i, _ in known]))
    mean_effect = float(np.mean([e for _, e in known]))
    table = {
        (False, True): PRIORITISE,
        (True, True): MAINTAIN,
        (False, False): IMPROVE_IF_POSSIBLE,
        (True, False): LOWER_PRIORITY,
    }
    return [
        None if e is None or i is None else table[(i >= mean_index, e >= mean_effect)]
        for i, e in zip(index_means, effects, strict=True)
    ]


def _se(rss: float, df: int, inverse_jj: float) -> float | None:
    """Return a coefficient's standard error ``√(rss/df · inverse_jj)``; None when df < 1."""
    if df < 1:
        return None
    return float(np.sqrt(rss / df * max(float(inverse_jj), 0.0)))


def _interval(effect: float | None, se: float | None, df: int) -> ConfidenceInterval | None:
    """Return the t interval of an effect (``se`` is of β, the effect is ``5·β``)."""
    if effect is None or se is None:
        return None
    return t_interval(effect, se * EFFECT_STEP, df, confidence=CONFIDENCE)


def _uncertain(
    effects: Sequence[float | None], intervals: Sequence[ConfidenceInterval | None]
) -> list[bool]:
    """Flag effects that are negative or whose interval reaches the mean effect."""
    known = [e for e in effects if e is not None]
    if not known:
        return [False] * len(effects)
    line = float(np.mean(known))
    return [
        e is not None and (e < 0 or ci is None or ci.low <= line <= ci.high)
        for e, ci in zip(effects, intervals, strict=True)
    ]
