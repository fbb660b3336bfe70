"""Which rollup rows a response adds to, and their sums: the cube of the index rollups.

A response adds to one row per materialised cuboid and grain (see survey.models.rollup):
by month, the cuboid of no dimension, those of one dimension and the full one (7 rows); by
day, the full one only (1 row). A statistic whose filters and split use dimensions ``N``
reads the month cuboid ``N`` (or the full one when ``N`` has two or more) for whole months,
and the full day cuboid for the days of a month cut by a date filter, so what it reads
depends on the months and groups shown (and, in the full cuboid, on how many combinations of
dimension values occur), not on the number of responses.

Each materialised row is one more row that every submission updates under its row lock, so
the cube is kept small: 8 rows per response (24 until 2026-12, when the two-dimension month
cuboids and the smaller day cuboids were dropped; migration 0003 removed their rows).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from survey.models.rollup import COUNT_COLUMNS, GRAINS, PAIRS, SLOTS, VALUE_COLUMNS

#: Dimensions in bit order of ``cuboid``, with the placeholder of "none / not grouped".
DIMENSIONS = {
    "survey_id": 0,
    "service_area_id": 0,
    "sni_section": "",
    "size_class": "",
    "collection_mode": "",
}
FULL = (1 << len(DIMENSIONS)) - 1
#: Per grain, the most dimensions of a materialised cuboid besides the full one (None: the
#: full one only). Migration 0003 removes the rows of cuboids materialised before.
GRAIN_LIMITS: dict[str, int | None] = {"M": 1, "D": None}


def _materialised(grain: str) -> tuple[int, ...]:
    limit = GRAIN_LIMITS[grain]
    smaller = () if limit is None else tuple(m for m in range(FULL) if m.bit_count() <= limit)
    return (*smaller, FULL)


CUBOIDS = {grain: _materialised(grain) for grain in GRAIN_LIMITS}
#: (grain index, cuboid) of every row a response adds to.
COMBINATIONS = np.array(
    [(GRAINS.index(grain), cuboid) for grain, cuboids in CUBOIDS.items() for cuboid in cuboids]
)


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

    def take(self, rows: np.ndarray) -> Vectors:
        """Return the vectors of the given rows."""
        dims = {name: column[rows] for name, column in self.dims.items()}
        return Vectors(self.day[rows], dims, self.values[rows])


def join(parts: list[Vectors]) -> Vectors:
    """Concatenate vectors."""
    if len(parts) == 1:
        return parts[0]
    return Vectors(
        np.concatenate([p.day for p in parts]),
        {name: np.concatenate([p.dims[name] for p in parts]) for name in DIMENSIONS},
        np.vstack([p.values for p in parts]),
    )


@dataclass(frozen=True)
class Cells:
    """Summed rollup rows with their keys as integers.

    ``keys`` columns: grain (index into ``GRAINS``), cuboid, period (days since 1970-01-01),
    then each dimension: its value for ids, its index into ``labels[name]`` for texts (the
    placeholder '' is always 0). Integer order is the order of the values, so every writer
    sorts rows the same way.
    """

    keys: np.ndarray  # (rows, 3 + len(DIMENSIONS)) int64
    labels: dict[str, list[str]]
    values: np.ndarray  # (rows, len(VALUE_COLUMNS)), counts as exact floats

    @property
    def size(self) -> int:
        return int(self.keys.shape[0])

    def ordered(self) -> Cells:
        """Return the rows sorted by key (the order writers take row locks in)."""
        order = np.lexsort(self.keys.T[::-1])
        return Cells(self.keys[order], self.labels, self.values[order])

    def rows(self) -> list[tuple]:
        """Return ``(grain, cuboid, period, *dimension values, *values)`` tuples."""
        epoch = date(1970, 1, 1).toordinal()
        counts = len(COUNT_COLUMNS)
        decode = [self.labels.get(name) for name in DIMENSIONS]
        result = []
        for key, values in zip(self.keys.tolist(), self.values.tolist(), strict=True):
            grain, cuboid, day, *codes = key
            dims = [
                c if texts is None else texts[c] for c, texts in zip(codes, decode, strict=True)
            ]
            counted = [int(round(v)) for v in values[:counts]]
            period = date.fromordinal(epoch + day)
            result.append((GRAINS[grain], cuboid, period, *dims, *counted, *values[counts:]))
        return result


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


def contribution_row(values: Sequence[float], roles: int) -> list[float]:
    """Return one response's addition to every value column: ``contributions`` of one row.

    Plain Python for a single response (a submit), where numpy's per-call cost on arrays of
    seven numbers is most of the work; a test holds the two equal.
    """
    known = [not math.isnan(v) for v in values]
    filled = [v if k else 0.0 for v, k in zip(values, known, strict=True)]
    complete = bool(roles) and all(known[:roles])
    z = filled if complete else [0.0] * len(filled)
    return [
        1.0,
        *(float(k) for k in known),
        float(complete),
        *filled,
        *(f * f for f in filled),
        *z,
        *(z[i] * z[j] for i, j in PAIRS),
    ]


def cells(vectors: Vectors, roles: int, *, sign: float = 1.0) -> Cells:
    """Sum the responses into the rows of every materialised cuboid (``sign`` -1 removes)."""
    width = 3 + len(DIMENSIONS)
    if vectors.size == 0:
        return Cells(np.empty((0, width), np.int64), {}, np.empty((0, len(VALUE_COLUMNS))))
    added = contributions(vectors.values, roles) * sign
    codes, labels = _codes(vectors.dims)
    month = vectors.day.astype("datetime64[M]").astype("datetime64[D]")
    periods = {"D": vectors.day.astype(np.int64), "M": month.astype(np.int64)}
    if vectors.size == 1:  # a submit: one row per cuboid, nothing to sum
        period = np.array([periods[GRAINS[g]][0] for g in COMBINATIONS[:, 0]])
        bits = (COMBINATIONS[:, 1:2] >> np.arange(len(DIMENSIONS))) & 1
        keys = np.column_stack([COMBINATIONS, period, bits * np.concatenate(codes)])
        return Cells(keys, labels, np.repeat(added, len(keys), axis=0))
    keys: list[np.ndarray] = []
    blocks: list[np.ndarray] = []
    for grain, cuboids in CUBOIDS.items():
        for cuboid in cuboids:
            grouped = [c if cuboid >> i & 1 else np.zeros_like(c) for i, c in enumerate(codes)]
            columns = [
                np.full(vectors.size, GRAINS.index(grain)),
                np.full(vectors.size, cuboid),
                periods[grain],
                *grouped,
            ]
            order = np.lexsort(columns[::-1])
            ordered = np.column_stack([c[order] for c in columns])
            starts = np.flatnonzero(np.r_[True, (np.diff(ordered, axis=0) != 0).any(axis=1)])
            blocks.append(np.add.reduceat(added[order], starts, axis=0))
            keys.append(ordered[starts])
    return Cells(np.vstack(keys).astype(np.int64), labels, np.vstack(blocks))


def _codes(dims: dict[str, np.ndarray]) -> tuple[list[np.ndarray], dict[str, list[str]]]:
    """Return each dimension as integers (ids, or codes of texts) and the texts by code."""
    codes: list[np.ndarray] = []
    labels: dict[str, list[str]] = {}
    for name, placeholder in DIMENSIONS.items():
        column = [placeholder if v is None else v for v in dims[name]]
        if placeholder == 0:
            codes.append(np.array(column, dtype=np.int64))
            continue
        texts = sorted({"", *map(str, column)})
        index = {text: i for i, text in enumerate(texts)}
        codes.append(np.array([index[str(v)] for v in column], dtype=np.int64))
        labels[name] = texts
    return codes, labels
