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

3. Complementary suppression (`complement`): a table's cells add up to a total (the
   comparison values of a period add up to the whole period; the months of a quarter or
   year, and the quarters of a year, add up to it). Where a total is hidden (in its own
   query), at least one of its cells is hidden, or their sum would give it. Where a table
   hides any cell, it hides at least two, together holding at least k respondents, so the
   total minus the shown cells gives no hidden cell, and no fewer than k respondents
   together. The cells added are the smallest shown ones (fewest respondents, then the
   earliest label).

This stops any answer being computed from two figures, or from a total and its other cells.
It does not audit every combination of many queries (k-anonymity of a whole table is a
harder problem).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from survey.services.statistics.fetch import Dataset, Sample
from survey.services.statistics.filters import Filters

#: Filters that can be lifted to form a neighbour (battery is what is asked, not a filter).
LIFTABLE = ("survey_id", "area", "industry", "size", "official_id", "mode")
COARSER = {"month": ("quarter", "year"), "quarter": ("year",), "year": ()}

Key = tuple[str, str | None]  # a month label (YYYY-MM) and a comparison value
FilterLoader = Callable[[Filters], Dataset]


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


#: The comparison value standing for "every value" in period totals.
EVERY = "\x00every"
Totals = dict[tuple[str, str | None], int]  # (period label, comparison value) -> respondents
Range = tuple[str | None, str | None]  # first and last month (YYYY-MM) of the date range


def totals(counts: dict[Key, int], by: str, within: Range | None) -> Totals:
    """Sum month counts into periods of ``by`` (per value and for EVERY value), optionally
    only the months within a range."""
    summed: Totals = defaultdict(int)
    for (month, value), n in counts.items():
        if within is not None and not _inside(month, within):
            continue
        period = period_of(month, by)
        summed[period, value] += n
        summed[period, EVERY] += n
    return summed


def _inside(month: str, within: Range) -> bool:
    low, high = within
    return (low is None or month >= low) and (high is None or month <= high)


@dataclass(frozen=True)
class Neighbourhood:
    """A statistic's groups and their neighbours' sizes, summed once per period."""

    by: str
    min_n: int
    within: Range
    groups: Totals
    lifted: list[Totals]  # one per lifted filter, within the same dates
    coarser: dict[str, Totals]  # within the dates
    undated: dict[str, Totals]  # by ``by`` and the coarser periods, dates lifted
    edges: dict[tuple[str, str | None], tuple[int, int]]  # first and last answered month
    spans: dict[str, tuple[str, str]]  # first and last month with answers, dates lifted

    def suppressed(self, period: str, value: str | None, *, split: bool) -> bool:
        """Tell whether the group (period, comparison value) must be suppressed by the rule."""
        n = self.groups.get((period, value), 0)
        if n < self.min_n:
            return True
        others = [totals.get((period, value), 0) for totals in self.lifted]
        if split:
            others.append(self.groups.get((period, EVERY), 0))
        if self.undated:
            others.append(self.undated[self.by].get((period, value), 0))
        for name, coarser in self.coarser.items():
            label = parent(period, name)
            others.append(coarser.get((label, value), 0))
            if self.undated:  # time is one dimension: the range lifted as well
                others.append(self.undated[name].get((label, value), 0))
        others.extend(n - edge for edge in self._cut_edges(period, value))
        return any(isolating(n, other, self.min_n) for other in others)

    def _cut_edges(self, period: str, value: str | None) -> list[int]:
        """Return the first and last answered month's counts at the ends the range cuts."""
        if (period, value) not in self.edges or period not in self.spans:
            return []
        (first, last), (earliest, latest) = self.edges[period, value], self.spans[period]
        low, high = self.within
        cut = []
        if low is not None and earliest < low:
            cut.append(first)
        if high is not None and latest > high:
            cut.append(last)
        return cut


def parent(period: str, coarser: str) -> str:
    """Return the label of the coarser period (quarter or year) holding a period."""
    return period[:4] if coarser == "year" else period_of(period, coarser)


def neighbourhood(
    filters: Filters, data: Dataset, role: str, *, by: str, split: bool, min_n: int,
    load: FilterLoader,
) -> Neighbourhood:  # fmt: skip
    """Collect the sizes of a statistic's groups and of every neighbour they have."""
    within = _months_of(filters)
    base = month_counts(data, role, split=split)
    lifted = [
        month_counts(load(dataclasses.replace(filters, **{name: None})), role, split=split)
        for name in LIFTABLE
        if getattr(filters, name) is not None
    ]
    undated: dict[str, Totals] = {}
    spans: dict[str, tuple[str, str]] = {}
    if within != (None, None):
        wide = month_counts(
            load(dataclasses.replace(filters, date_from=None, date_to=None)), role, split=split
        )
        undated = {name: totals(wide, name, None) for name in (by, *COARSER[by])}
        for month, _value in sorted(wide, key=lambda key: key[0]):
            earliest, _latest = spans.get(period_of(month, by), (month, month))
            spans[period_of(month, by)] = (earliest, month)
    return Neighbourhood(
        by=by,
        min_n=min_n,
        within=within,
        groups=totals(base, by, within),
        lifted=[totals(counts, by, within) for counts in lifted],
        coarser={name: totals(base, name, within) for name in COARSER[by]},
        undated=undated,
        edges=_answered_edges(base, by, within),
        spans=spans,
    )


def _answered_edges(
    counts: dict[Key, int], by: str, within: Range
) -> dict[tuple[str, str | None], tuple[int, int]]:
    """Return, per period and value, the counts of its first and last answered month."""
    edges: dict[tuple[str, str | None], tuple[int, int]] = {}
    for (month, value), n in sorted(counts.items(), key=lambda item: item[0][0]):
        if n <= 0 or not _inside(month, within):
            continue
        key = (period_of(month, by), value)
        first, _last = edges.get(key, (n, n))
        edges[key] = (first, n)
    return edges


def _months_of(filters: Filters) -> Range:
    low = filters.date_from.strftime("%Y-%m") if filters.date_from else None
    high = filters.date_to.strftime("%Y-%m") if filters.date_to else None
    return low, high


Cell = tuple[str, str | None]  # a period label and a comparison value


def tables(cells: list[Cell], by: str, *, split: bool) -> list[list[Cell]]:
    """Return the sets of cells that add up to a released total: per period the comparison
    values (with a split), and per comparison value the periods within each coarser one."""
    found: dict[tuple[str, str, str | None], list[Cell]] = defaultdict(list)
    for period, value in cells:
        if split:
            found["values", period, None].append((period, value))
        for name in COARSER[by]:
            found[name, parent(period, name), value].append((period, value))
    return [table for table in found.values() if len(table) > 1]


def _smallest(cells: list[Cell], sizes: dict[Cell, int]) -> list[Cell]:
    """Return cells ordered fewest respondents first, then by period and value."""
    return sorted(
        cells, key=lambda cell: (sizes[cell], cell[0], cell[1] is not None, cell[1] or "")
    )


def complement(sizes: dict[Cell, int], hidden: set[Cell], by: str, *, split: bool,
               min_n: int, wholes: Iterable[list[Cell]] = ()) -> set[Cell]:  # fmt: skip
    """Return the hidden cells widened so that no table reveals a hidden cell by subtraction.

    ``wholes`` are the cells of totals hidden elsewhere (a coarser period, the period without
    its comparison value): each gets at least one hidden cell, its smallest. Then, in every
    table (`tables`) holding a hidden cell, the smallest shown cells are hidden as well until
    at least two are hidden and they hold at least ``min_n`` respondents together (or every
    cell of the table is hidden). Repeated until no table changes, since a cell hidden for
    one table can leave another with a single hidden cell.
    """
    result = set(hidden)
    for members in wholes:
        if members and not result.intersection(members):
            result.add(_smallest(members, sizes)[0])
    groups = tables(list(sizes), by, split=split)
    changed = True
    while changed:
        changed = False
        for table in groups:
            inside = [cell for cell in table if cell in result]
            if not inside:
                continue
            shown = _smallest([cell for cell in table if cell not in result], sizes)
            held = sum(sizes[cell] for cell in inside)
            while shown and (len(inside) < 2 or held < min_n):
                cell = shown.pop(0)
                result.add(cell)
                inside.append(cell)
                held += sizes[cell]
                changed = True
    return result
