"""Pivot fetched answers into respondents × items and compute respondent indices with numpy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from survey.services.statistics.sql import IndexItem, ItemRows
from survey.stats import item_index, required_items, respondent_index

NKI = "nki"


@dataclass(frozen=True)
class Respondents:
    """One entry per response: when it was submitted, its split value, and each index."""

    submitted_at: np.ndarray  # datetime64[s], UTC
    split: np.ndarray  # object
    indices: dict[str, np.ndarray]  # role -> respondent index, NaN when too few items


def min_answered(role: str, n_items: int) -> int:
    """Return how many of an index's items a respondent must answer to get the index.

    The same rule for NKI and every factor (survey.stats.required_items: two thirds of the
    items, rounded up, NKI's 2 of 3); ``role`` names the index at the call sites.
    """
    return required_items(n_items)


def respondents(rows: ItemRows, items: list[IndexItem]) -> Respondents:
    """Build the respondent-level indices of every role in ``items`` from long-format rows.

    Item indices use each answer's own question scale (DESIGN.md, Statistics conventions:
    ``I(x) = (x - min)/(max - min)·100``, "vet ej" not counted); respondent indices are the
    weighted means of the answered items of each role (survey.stats.respondent_index), with
    each answer's weight from the version its response answered: publishing a version with
    other weights never changes an earlier response's index.
    """
    ids, first, row_of = np.unique(rows.response_id, return_index=True, return_inverse=True)
    keys, key_of = np.unique(rows.key.astype(str), return_inverse=True)
    position = {item.key: j for j, item in enumerate(items)}
    column_of_key = np.array([position.get(key, -1) for key in keys], dtype=np.int64)
    columns = column_of_key[key_of.reshape(-1)] if rows.key.size else np.empty(0, np.int64)
    matrix = np.full((ids.size, len(items)), np.nan)
    weights = np.ones((ids.size, len(items)))
    known = columns >= 0
    cells = (row_of.reshape(-1)[known], columns[known])
    matrix[cells] = _item_indices(rows)[known]
    weights[cells] = rows.weight[known]
    indices = {}
    for role in dict.fromkeys(item.role for item in items):
        chosen = [j for j, item in enumerate(items) if item.role == role]
        indices[role] = respondent_index(
            matrix[:, chosen],
            weights=weights[:, chosen],
            min_answered=min_answered(role, len(chosen)),
        )
    return Respondents(rows.submitted_at[first], rows.split[first], indices)


def _item_indices(rows: ItemRows) -> np.ndarray:
    """Convert each answer to its item index on its question's own scale."""
    result = np.full(rows.value.size, np.nan)
    scales = np.column_stack([rows.scale_min, rows.scale_max])
    for low, high in np.unique(scales, axis=0) if scales.size else ():
        mask = (rows.scale_min == low) & (rows.scale_max == high)
        result[mask] = item_index(rows.value[mask], scale_min=int(low), scale_max=int(high))
    return result


def group_codes(
    periods: np.ndarray, splits: np.ndarray
) -> list[tuple[str, str | None, np.ndarray]]:
    """Return ``(period, split, row indices)`` for every period × split present, sorted."""
    split_text = np.array(["\uffff" if s is None else str(s) for s in splits], dtype=object)
    pairs = np.column_stack([periods.astype(str), split_text.astype(str)]) if periods.size else None
    if pairs is None:
        return []
    distinct, inverse = np.unique(pairs, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(distinct.shape[0] + 1))
    groups = []
    for g, (period, split) in enumerate(distinct):
        members = order[bounds[g] : bounds[g + 1]]
        groups.append((str(period), None if split == "\uffff" else str(split), members))
    return groups
