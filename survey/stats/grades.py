"""Grade bands for indices on the 0-100 scale.

The bands are those used by SKR (Sveriges Kommuner och Regioner) in the SBA
(Insikt) benchmark of municipal business services; see DESIGN.md, Statistics conventions.
"""

from __future__ import annotations

import math

#: Lower bound of each band on the rounded index, highest first.
GRADE_BANDS: tuple[tuple[int, str], ...] = (
    (80, "mycket högt"),
    (70, "högt"),
    (62, "godkänt"),
    (50, "lågt"),
)
LOWEST_GRADE = "mycket lågt"
#: Decimals an index is rounded to before rounding to an integer: far below any real difference
#: between two group means, far above float noise (69.5 summed from rollups can come out as
#: 69.49999999999999), so the same mean gives the same integer and grade on every data path.
EXACT_DECIMALS = 9


def round_half_up(value: float) -> int:
    """Round an index to the nearest integer, halves upwards (69.5 -> 70, -0.5 -> 0).

    ``r = floor(round(value, EXACT_DECIMALS) + 0.5)``: the value is first rounded to
    ``EXACT_DECIMALS`` decimals so float noise cannot move it across a half (69.49999999999999
    is 69.5, so 70). Python's ``round`` to an integer rounds halves to even
    (``round(62.5) == 62``), which is not what a reader of a report expects. Every page,
    report and table prints an index with this function, and the grade bands use it too, so
    the printed integer and the grade never disagree (DESIGN.md, Statistics conventions).
    """
    return math.floor(round(float(value), EXACT_DECIMALS) + 0.5)


def grade_band(value: float) -> str:
    """Name the SKR grade band of an index value.

    The value is first rounded half-up to an integer ``r`` as printed (see ``round_half_up``); then
    ``r >= 80`` "mycket högt", ``70 <= r <= 79`` "högt", ``62 <= r <= 69`` "godkänt",
    ``50 <= r <= 61`` "lågt" and ``r < 50`` "mycket lågt" (SKR/SBA grade bands; DESIGN.md,
    Statistics conventions). So 69.49 is "godkänt" and 69.5 (also 69.49999999999999,
    float noise of 69.5) is "högt".

    Parameters
    ----------
    value : float
        An index on the 0-100 scale (values outside it still get the nearest band).

    Returns
    -------
    str
        The Swedish band name.

    Raises
    ------
    ValueError
        If ``value`` is NaN or infinite.
    """
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"value must be a finite number, got {value!r}")
    rounded = round_half_up(number)
    for lower, name in GRADE_BANDS:
        if rounded >= lower:
            return name
    return LOWEST_GRADE
