"""The data behind the statistics, fetched once: raw respondents or rollup sums.

Both kinds give the same groups (period × split) and the same priority matrix: raw data
through the estimators on respondent values, rollups through their ``*_from_moments``
twins on the sums (survey.stats.sufficient). A dashboard page loads one dataset with every
index and its comparison split, and derives all its statistics from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from survey.models.rollup import PAIRS, VALUE_COLUMNS
from survey.services.statistics.periods import local_months, month_labels
from survey.services.statistics.pivot import Respondents, group_codes
from survey.services.statistics.rollup_reads import MomentRows
from survey.services.statistics.sql import IndexItem, zone
from survey.stats import (
    Change,
    GroupEstimate,
    Moments,
    PriorityMatrix,
    change,
    change_from_moments,
    estimate,
    estimate_from_moments,
    priority_matrix,
    priority_matrix_from_moments,
)

COLUMN = {name: i for i, name in enumerate(VALUE_COLUMNS)}


@dataclass(frozen=True)
class Sample:
    """One group's respondent values, either raw or as moments ``(n, Σx, Σx²)``."""

    values: np.ndarray | None = None
    moments: Moments | None = None

    def estimate(self, *, min_n: int) -> GroupEstimate:
        """Estimate the group's mean (survey.stats.estimate or its moments twin)."""
        if self.values is not None:
            return estimate(self.values, min_n=min_n)
        m = self.moments
        return estimate_from_moments(m.n, m.total, m.total_sq, min_n=min_n)

    def change_to(self, after: Sample, *, min_n: int) -> Change:
        """Compare this (earlier) group with a later one by Welch's test."""
        if self.values is not None and after.values is not None:
            return change(self.values, after.values, min_n=min_n)
        a, b = self.moments, after.moments
        return change_from_moments(a.n, a.total, a.total_sq, b.n, b.total, b.total_sq, min_n=min_n)


Groups = list[tuple[str, str | None, Sample]]
Grouping = list[tuple[str, str | None, np.ndarray]]


def _no_split(size: int) -> np.ndarray:
    return np.full(size, None, dtype=object)


@dataclass(frozen=True)
class RawData:
    """Respondent-level indices with each respondent's local month."""

    respondents: Respondents
    months: np.ndarray  # datetime64[M]
    split_name: str | None
    items: list[IndexItem]  # the battery's index items when loaded

    @classmethod
    def of(cls, respondents: Respondents, split: str | None, items: list[IndexItem]) -> RawData:
        months = local_months(respondents.submitted_at, zone())
        return cls(respondents, months, split, items)

    def groups(self, role: str, by: str, *, split: bool) -> Groups:
        """Return every period (× split) group of respondents with the index, sorted."""
        values = self.respondents.indices[role]
        has_value = ~np.isnan(values)
        periods = month_labels(self.months[has_value], by)
        kept = values[has_value]
        splits = self.respondents.split[has_value] if split else _no_split(kept.size)
        return [(p, s, Sample(values=kept[rows])) for p, s, rows in group_codes(periods, splits)]

    def before(self, first_day: date) -> RawData:
        """Return the data of the months before the one starting on ``first_day``."""
        return self._keep(self.months < np.datetime64(first_day, "M"))

    def since(self, first_day: date) -> RawData:
        """Return the data of the month starting on ``first_day`` and later months."""
        return self._keep(self.months >= np.datetime64(first_day, "M"))

    def _keep(self, keep: np.ndarray) -> RawData:
        chosen = Respondents(
            self.respondents.submitted_at[keep],
            self.respondents.split[keep],
            {role: values[keep] for role, values in self.respondents.indices.items()},
        )
        return replace(self, respondents=chosen, months=self.months[keep])

    def priority(self, factors: list[str], nki: str, *, min_n: int) -> PriorityMatrix:
        """Estimate the priority matrix from the respondents' indices."""
        indices = self.respondents.indices
        matrix = np.column_stack([indices[role] for role in factors])
        return priority_matrix(indices[nki], matrix, names=factors, min_n=min_n)


@dataclass(frozen=True)
class RollupData:
    """Rollup sums per local month (and split value)."""

    rows: MomentRows
    split_name: str | None
    items: list[IndexItem]  # the battery's index items when loaded
    _groupings: dict[tuple[str, bool], Grouping] = field(
        default_factory=dict, compare=False, repr=False
    )

    def _grouping(self, by: str, split: bool) -> Grouping:
        """Return the rows of each period (× split), computed once per dataset."""
        if (by, split) not in self._groupings:
            periods = month_labels(self.rows.months, by)
            splits = self.rows.split if split else _no_split(periods.size)
            self._groupings[(by, split)] = group_codes(periods, splits)
        return self._groupings[(by, split)]

    def groups(self, role: str, by: str, *, split: bool) -> Groups:
        """Return every period (× split) group with respondents having the index, sorted."""
        slot = self.rows.roles.index(role)
        columns = [COLUMN[f"n{slot}"], COLUMN[f"s{slot}"], COLUMN[f"q{slot}"]]
        result = []
        for period, value, members in self._grouping(by, split):
            n, total, total_sq = self.rows.values[np.ix_(members, columns)].sum(axis=0)
            if n > 0:
                moments = Moments(int(round(n)), float(total), float(total_sq))
                result.append((period, value, Sample(moments=moments)))
        return result

    def before(self, first_day: date) -> RollupData:
        """Return the data of the months before the one starting on ``first_day``."""
        return self._keep(self.rows.months < np.datetime64(first_day, "M"))

    def since(self, first_day: date) -> RollupData:
        """Return the data of the month starting on ``first_day`` and later months."""
        return self._keep(self.rows.months >= np.datetime64(first_day, "M"))

    def _keep(self, keep: np.ndarray) -> RollupData:
        rows = self.rows
        chosen = MomentRows(rows.roles, rows.months[keep], rows.split[keep], rows.values[keep])
        return replace(self, rows=chosen, _groupings={})

    def priority(self, factors: list[str], nki: str, *, min_n: int) -> PriorityMatrix:
        """Estimate the priority matrix from the complete respondents' cross-products."""
        total = self.rows.values.sum(axis=0)
        slots = [self.rows.roles.index(role) for role in (*factors, nki)]
        cross = np.zeros((len(self.rows.roles),) * 2)
        for i, j in PAIRS:
            if i < cross.shape[0] and j < cross.shape[0]:
                cross[i, j] = cross[j, i] = total[COLUMN[f"p{i}{j}"]]
        sums = np.array([total[COLUMN[f"c{k}"]] for k in slots])
        return priority_matrix_from_moments(
            int(round(total[COLUMN["nc"]])),
            sums,
            cross[np.ix_(slots, slots)],
            names=factors,
            min_n=min_n,
        )

    def responses(self) -> int:
        """Return how many responses the sums cover."""
        return int(round(self.rows.values[:, COLUMN["responses"]].sum()))


Dataset = RawData | RollupData
