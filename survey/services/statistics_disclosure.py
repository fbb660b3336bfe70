"""Complementary suppression: no figure may be differenced down to fewer than k respondents.

A group under the minimum size k (``SURVEY_MIN_GROUP_SIZE``) is suppressed on its own. That
is not enough: two released figures whose groups differ by one respondent give that
respondent's answer by subtraction (NKI over 8 respondents and over 7 of them). The rule,
shared by the dashboard, the API, the CLI and the comments:

1. Dates select whole calendar months: ``date_from`` moves to the first day of its month,
   ``date_to`` to the last (`Filters`), so a day more or less changes nothing.
2. A group with at least k respondents is still suppressed when one of its neighbours has
   between 1 and k-1 respondents more or fewer. The neighbours of a group (a period, or a
   period and a comparison value, under the filters) are the same group
   - with one filter lifted (survey, area, industry, size, official, mode, or the dates);
   - without its comparison value (the whole period);
   - in the coarser periods holding it (a month's quarter and year, a quarter's year),
     within the date range and without it;
   - where the date range cuts the period: without the range's first (or last) month
     that has answers.

This stops any answer being computed from two figures. It does not audit every
combination of many queries (k-anonymity of a whole table is a harder problem).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from survey.services.statistics_data import Dataset, Sample
from survey.services.statistics_filters import Filters

#: Filters that can be lifted to form a neighbour (battery is what is asked, not a filter).
LIFTABLE = ("survey_id", "area", "industry", "size", "official_id", "mode")
COARSER = {"month": ("quarter", "year"), "quarter": ("year",), "year": ()}

Key = tuple[str, str | None]  # a month label (YYYY-MM) and a comparison value
Loader = Callable[[Filters], Dataset]


def period_of(month: str, by: str) -> str:
    """Return the label of the period of ``by`` that a month (``YYYY-MM``) is in."""
    if by == "year":
        return month[:4]
    if by == "quarter":
        return f"{month[:4]}Q{(int(month[5:7]) - 1) // 3 + 1}"
    return month


def isolating(n: int, neighbour: int, min_n: int) -> bool:
    """Tell whether two groups differ by between 1 and ``min_n - 1`` respondents."""
    return 0 < abs(neighbour - n) < min_n


def month_counts(data: Dataset, role: str, *, split: bool) -> dict[Key, int]:
    """Return the respondents with the index per local month (and comparison value)."""
    return {
        (month, value): size(sample)
        for month, value, sample in data.groups(role, "month", split=split)
    }


def size(sample: Sample) -> int:
    """Return how many respondents a sample holds."""
    return int(sample.values.size) if sample.values is not None else sample.moments.n


@dataclass(frozen=True)
class Neighbourhood:
    """What a statistic's groups are checked against: month counts of the neighbours."""

    filters: Filters
    by: str
    min_n: int
    base: dict[Key, int]
    lifted: list[dict[Key, int]]  # one per lifted filter, dates included
    undated: dict[Key, int] | None  # the dates lifted (None without dates)

    def _in(self, month: str, *, period: str, by: str, ranged: bool = True) -> bool:
        if period_of(month, by) != period:
            return False
        if not ranged:
            return True
        low, high = _months_of(self.filters)
        return (low is None or month >= low) and (high is None or month <= high)

    def _sum(
        self, counts: dict[Key, int], period: str, value: str | None, *, by: str | None = None,
        ranged: bool = True, any_value: bool = False,
    ) -> int:  # fmt: skip
        by = by or self.by
        return sum(
            n
            for (month, v), n in counts.items()
            if (any_value or v == value) and self._in(month, period=period, by=by, ranged=ranged)
        )

    def suppressed(self, period: str, value: str | None, *, split: bool) -> bool:
        """Tell whether the group (period, comparison value) must be suppressed by the rule."""
        n = self._sum(self.base, period, value)
        if n < self.min_n:
            return True
        others = [self._sum(counts, period, value) for counts in self.lifted]
        if self.undated is not None:
            others.append(self._sum(self.undated, period, value, ranged=False))
        if split:
            others.append(self._sum(self.base, period, value, any_value=True))
        some_month = next((m for m, _v in self.base if period_of(m, self.by) == period), None)
        for coarser in COARSER[self.by] if some_month else ():
            label = period_of(some_month, coarser)
            others.append(self._sum(self.base, label, value, by=coarser))
            if self.undated is not None:  # time is one dimension: the range lifted too
                others.append(self._sum(self.undated, label, value, by=coarser, ranged=False))
        others.extend(n - edge for edge in self._edges(period, value))
        return any(isolating(n, other, self.min_n) for other in others)

    def _edges(self, period: str, value: str | None) -> list[int]:
        """Return the counts of the first and last answered months where the range cuts."""
        low, high = _months_of(self.filters)
        months = sorted(
            m for (m, v), n in self.base.items()
            if v == value and n > 0 and self._in(m, period=period, by=self.by)
        )  # fmt: skip
        if not months:
            return []
        whole = [m for (m, _v) in (self.undated or {}) if period_of(m, self.by) == period]
        edges = []
        if low is not None and any(m < low for m in whole):
            edges.append(self.base[(months[0], value)])
        if high is not None and any(m > high for m in whole):
            edges.append(self.base[(months[-1], value)])
        return edges


def neighbourhood(
    filters: Filters, data: Dataset, role: str, *, by: str, split: bool, min_n: int,
    load: Loader,
) -> Neighbourhood:  # fmt: skip
    """Collect the month counts of a statistic's data and of every neighbour it has."""
    base = month_counts(data, role, split=split)
    lifted = [
        month_counts(load(dataclasses.replace(filters, **{name: None})), role, split=split)
        for name in LIFTABLE
        if getattr(filters, name) is not None
    ]
    undated = None
    if filters.date_from is not None or filters.date_to is not None:
        undated = month_counts(
            load(dataclasses.replace(filters, date_from=None, date_to=None)), role, split=split
        )
    return Neighbourhood(filters, by, min_n, base, lifted, undated)


def _months_of(filters: Filters) -> tuple[str | None, str | None]:
    low = filters.date_from.strftime("%Y-%m") if filters.date_from else None
    high = filters.date_to.strftime("%Y-%m") if filters.date_to else None
    return low, high
