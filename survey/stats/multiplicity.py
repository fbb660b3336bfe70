"""Multiple comparisons: Holm's step-down adjustment of a family of p-values."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def holm(p_values: Sequence[float | None], *, alpha: float = 0.05) -> list[float | None]:
    """Adjust a family of p-values by Holm's step-down method (None entries are no test).

    With the ``m`` tested p-values sorted ascending, ``p_(1) <= … <= p_(m)``, the adjusted
    value is ``p̃_(i) = min(1, max_{j<=i} (m - j + 1) · p_(j))``; a hypothesis is rejected at
    family-wise error rate ``alpha`` when ``p̃ < alpha``, which keeps the chance of one or
    more false "significant" labels in the family at most ``alpha`` whatever the dependence
    between the tests (Holm 1979, "A simple sequentially rejective multiple test procedure";
    equals ``statsmodels.stats.multitest.multipletests(method="holm")``).

    Parameters
    ----------
    p_values : sequence of float or None
        The family's raw p-values in [0, 1]; None (no test) is kept as None and not counted
        in ``m``.
    alpha : float, default 0.05
        Only checked to lie in (0, 1): the adjustment itself does not depend on it.

    Returns
    -------
    list of float or None
        Adjusted p-values in the input's order.

    Raises
    ------
    ValueError
        If a p-value is NaN or outside [0, 1], or ``alpha`` is not in (0, 1).
    """
    if not 0.0 < float(alpha) < 1.0:
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha!r}")
    tested = [i for i, p in enumerate(p_values) if p is not None]
    raw = np.array([float(p_values[i]) for i in tested], dtype=float)  # type: ignore[arg-type]
    if raw.size and (np.isnan(raw).any() or (raw < 0).any() or (raw > 1).any()):
        raise ValueError(f"p-values must lie in [0, 1], got {raw.tolist()!r}")
    order = np.argsort(raw, kind="stable")
    m = raw.size
    stepped = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * raw[order]))
    adjusted: list[float | None] = [None] * len(p_values)
    for rank, position in enumerate(order):
        adjusted[tested[position]] = float(stepped[rank])
    return adjusted
