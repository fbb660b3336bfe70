"""Period (× split) groups of an index, estimated and suppressed by the disclosure rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from survey.services.statistics_data import Dataset, Sample
from survey.services.statistics_disclosure import complement, neighbourhood, size
from survey.services.statistics_filters import Filters
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
    near = neighbourhood(
        filters, data, role, by=by, split=split, min_n=min_n,
        load=partial(loader, split=data.split_name if split else None),
    )  # fmt: skip
    sizes = {(period, value): size(sample) for period, value, sample in found}
    alone = {cell for cell in sizes if near.suppressed(*cell, split=split)}
    hidden = complement(sizes, alone, by, split=split, min_n=min_n)
    groups = []
    for period, value, sample in found:
        cell = (period, value)
        estimate = sample.estimate(min_n=sizes[cell] + 1 if cell in hidden else min_n)
        groups.append(Group(period, value, estimate, sample))
    return groups


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
