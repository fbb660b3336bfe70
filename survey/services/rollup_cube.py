"""Which rollup rows a response adds to, and their sums: the cube of the index rollups.

A response adds to one row per materialised cuboid and grain (see survey.models.rollup):
by month, every cuboid of at most two dimensions plus the full one (17 rows); by day, the
cuboid of no dimension, those of one dimension and the full one (7 rows). A statistic whose
filters and split use dimensions ``N`` reads the month cuboid ``N`` (or the full one when
``N`` has more than two) for whole months and the day cuboid ``N`` (or the full one) for
the days of a month cut by a date filter, so what it reads depends on the months and groups
shown, not on the number of responses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from survey.models.rollup import PAIRS, SLOTS, VALUE_COLUMNS

#: Dimensions in bit order of ``cuboid``, with the placeholder of "none / not grouped".
DIMENSIONS = {
    "survey_id": 0,
    "service_area_id": 0,
    "sni_section": "",
    "size_class": "",
    "collection_mode": "",
}
FULL = (1 << len(DIMENSIONS)) - 1
MONTH_MAX_DIMENSIONS = 2
DAY_MAX_DIMENSIONS = 1
GRAIN_LIMITS = {"M": MONTH_MAX_DIMENSIONS, "D": DAY_MAX_DIMENSIONS}


def _materialised(grain: str) -> tuple[int, ...]:
    limit = GRAIN_LIMITS[grain]
    return (*(m for m in range(FULL) if m.bit_count() <= limit), FULL)


CUBOIDS = {grain: _materialised(grain) for grain in GRAIN_LIMITS}


def mask_of(dimensions: set[str]) -> int:
    """Return the cuboid bit set of the named dimensions."""
    return sum(1 << i for i, name in enumerate(DIMENSIONS) if name in dimensions)


def cuboid_for(mask: int, grain: str) -> int:
    """Return the materialised cuboid of this grain that holds the dimensions of ``mask``."""
    return mask if mask in CUBOIDS[grain] else FULL


@dataclass(frozen=True)
class Vectors:
    """Responses as the rollups see them: local day, dimension values and index values."""

    day: np.ndarray  # datetime64[D], the local day of submission
    dims: dict[str, np.ndarray]  # per dimension, the value or its placeholder (object)
    values: np.ndarray  # (responses, SLOTS) respondent indices in slot order, NaN if none

    @property
    def size(self) -> int:
        return int(self.day.size)


@dataclass(frozen=True)
class Cells:
    """Summed rollup rows: keys ``(grain, cuboid, period, *dimensions)`` and value columns."""

    keys: list[tuple]
    values: np.ndarray  # (rows, len(VALUE_COLUMNS)), counts as exact floats


def contributions(values: np.ndarray, roles: int) -> np.ndarray:
    """Return each response's addition to every value column (see survey.models.rollup).

    ``roles`` is how many slots the battery uses; a respondent is complete when it has all
    of them (the listwise rule of the priority matrix).
    """
    x = np.asarray(values, dtype=float).reshape(-1, SLOTS)
    known = ~np.isnan(x)
    filled = np.where(known, x, 0.0)
    complete = known[:, :roles].all(axis=1) if roles else np.zeros(x.shape[0], dtype=bool)
    z = np.where(complete[:, None], filled, 0.0)
    pairs = np.column_stack([z[:, i] * z[:, j] for i, j in PAIRS])
    return np.column_stack(
        [
            np.ones(x.shape[0]),
            known.astype(float),
            complete.astype(float),
            filled,
            filled * filled,
            z,
            pairs,
        ]
    )


def cells(vectors: Vectors, roles: int, *, sign: float = 1.0) -> Cells:
    """Sum the responses into the rows of every materialised cuboid (``sign`` -1 removes)."""
    if vectors.size == 0:
        return Cells([], np.empty((0, len(VALUE_COLUMNS))))
    added = contributions(vectors.values, roles) * sign
    codes, labels = _codes(vectors.dims)
    periods = {"D": vectors.day, "M": vectors.day.astype("datetime64[M]").astype("datetime64[D]")}
    keys: list[tuple] = []
    blocks: list[np.ndarray] = []
    for grain, cuboids in CUBOIDS.items():
        days = periods[grain].astype(np.int64)
        for cuboid in cuboids:
            grouped = [codes[i] if cuboid >> i & 1 else None for i in range(len(DIMENSIONS))]
            key_columns = [days, *(c for c in grouped if c is not None)]
            order = np.lexsort(key_columns[::-1])
            sorted_keys = np.column_stack([c[order] for c in key_columns])
            starts = np.flatnonzero(np.r_[True, (np.diff(sorted_keys, axis=0) != 0).any(axis=1)])
            blocks.append(np.add.reduceat(added[order], starts, axis=0))
            keys.extend(_keys(grain, cuboid, sorted_keys[starts], grouped, labels))
    return Cells(keys, np.vstack(blocks))


def _codes(dims: dict[str, np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Return integer codes of each dimension's values and the values they stand for."""
    codes, labels = [], []
    for name, placeholder in DIMENSIONS.items():
        column = np.array([placeholder if v is None else v for v in dims[name]], dtype=object)
        distinct, inverse = np.unique(column.astype(str if placeholder == "" else np.int64),
                                      return_inverse=True)  # fmt: skip
        codes.append(inverse.reshape(-1).astype(np.int64))
        labels.append(distinct)
    return codes, labels


def _keys(
    grain: str,
    cuboid: int,
    rows: np.ndarray,
    grouped: list[np.ndarray | None],
    labels: list[np.ndarray],
) -> list[tuple]:
    """Turn coded key rows back into ``(grain, cuboid, period, *dimension values)``."""
    result = []
    placeholders = list(DIMENSIONS.values())
    for row in rows.tolist():
        values, column = [], 1
        for i, codes in enumerate(grouped):
            if codes is None:
                values.append(placeholders[i])
            else:
                label = labels[i][row[column]]
                values.append(int(label) if placeholders[i] == 0 else str(label))
                column += 1
        period = date.fromordinal(date(1970, 1, 1).toordinal() + row[0])
        result.append((grain, cuboid, period, *values))
    return result
