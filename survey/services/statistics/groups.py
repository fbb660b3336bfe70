"""Period (× split) groups of an index, estimated and suppressed by the disclosure rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from survey.services.statistics.disclosure import (
    COARSER,
    Cell,
    complement,
    neighbourhood,
    parent,
    size,
)
from survey.services.statistics.fetch import Dataset, Sample
from survey.services.statistics.filters import Filters
from survey.stats import Change, GroupEstimate

#: Loads the data of neighbouring filters with a split (None: no split).
Loader = Callable[[Filters, str | None], Dataset]


@dataclass(frozen=True)
class Group:
    """The estimate of one period × split group."""

    period: str
    split: str | None
    estimate: GroupEstimate
    sample: Sample


def estimate_groups(
    data: Dataset,
    filters: Filters,
    role: str,
    by: str,
    split: bool,
    min_n: int,
    loader: Loader,
) -> list[Group]:
    """Estimate every period × split group over the respondents with the index.

    A group that a neighbouring query could isolate a few respondents from is suppressed
    like a small one, and so is a cell whose table would otherwise give a hidden cell by
    subtraction (`statistics_disclosure.complement`).
    """
    found = data.groups(role, by, split=split)
    if not found:
        return []
    _sizes, hidden = Hiding(data, filters, role, min_n, loader).hidden(by, split)
    groups = []
    for period, value, sample in found:
        hide = (period, value) in hidden
        estimate = sample.estimate(min_n=size(sample) + 1 if hide else min_n)
        groups.append(Group(period, value, estimate, sample))
    return groups


class Hiding:
    """The cells an index's queries hide, per period length and split, worked out once.

    A query's hidden cells depend on the totals its cells add up to, which other queries
    release or hide: the next coarser period's (month → quarter → year) and, with a split,
    the same periods without it. Each is worked out by the same rule, so every query of the
    index hides consistently (`statistics_disclosure.complement`).
    """

    def __init__(
        self, data: Dataset, filters: Filters, role: str, min_n: int, loader: Loader
    ) -> None:
        self.data, self.filters, self.role, self.min_n = data, filters, role, min_n
        self.loader = loader
        self.memo: dict[tuple[str, bool], tuple[dict[Cell, int], set[Cell]]] = {}

    def hidden(self, by: str, split: bool) -> tuple[dict[Cell, int], set[Cell]]:
        """Return the sizes of the cells of periods ``by`` (with the split or not), and the
        hidden ones."""
        if (by, split) not in self.memo:
            self.memo[by, split] = self._work_out(by, split)
        return self.memo[by, split]

    def _work_out(self, by: str, split: bool) -> tuple[dict[Cell, int], set[Cell]]:
        found = self.data.groups(self.role, by, split=split)
        sizes = {(period, value): size(sample) for period, value, sample in found}
        if not sizes:
            return sizes, set()
        near = neighbourhood(
            self.filters, self.data, self.role, by=by, split=split, min_n=self.min_n,
            load=partial(self.loader, split=self.data.split_name if split else None),
        )  # fmt: skip
        alone = {cell for cell in sizes if near.suppressed(*cell, split=split)}
        wholes: list[list[Cell]] = []
        for coarser in COARSER[by][:1]:  # the next coarser is consistent with the ones above
            _above, hidden_above = self.hidden(coarser, split)
            wholes += [
                [cell for cell in sizes if parent(cell[0], coarser) == label and cell[1] == value]
                for label, value in hidden_above
            ]
        if split:
            _whole, hidden_whole = self.hidden(by, False)
            wholes += [[cell for cell in sizes if cell[0] == label] for label, _ in hidden_whole]
        return sizes, complement(sizes, alone, by, split=split, min_n=self.min_n, wholes=wholes)


def kept(load: Loader) -> Loader:
    """Return a loader that loads each (filters, split) once, for one statistic's groups."""
    seen: dict[tuple[Filters, str | None], Dataset] = {}

    def fetch(filters: Filters, split: str | None) -> Dataset:
        if (filters, split) not in seen:
            seen[filters, split] = load(filters, split)
        return seen[filters, split]

    return fetch


#: A minimum size no group reaches: what a change involving a suppressed group is given.
UNREACHABLE = 2**62


def group_changes(groups: list[Group], min_n: int) -> list[tuple[Group, Group, Change]]:
    """Compare consecutive periods (those present in the data) within the same split.

    A change involving a suppressed group is suppressed too (it would give its mean).
    """
    by_split: dict[str | None, list[Group]] = {}
    for group in groups:
        by_split.setdefault(group.split, []).append(group)
    result = []
    for series in by_split.values():
        for before, after in zip(series, series[1:], strict=False):
            hidden = before.estimate.suppressed or after.estimate.suppressed
            threshold = UNREACHABLE if hidden else min_n
            result.append((before, after, before.sample.change_to(after.sample, min_n=threshold)))
    return result
