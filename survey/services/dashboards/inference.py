"""What a dashboard page may conclude: complete periods, one family of tests, the trend.

An overview compares NKI and every service factor with the previous period: seven tests on
one page, so by chance alone one of them is "significant" about one time in five. The page's
changes are therefore one family, adjusted by Holm's method (survey.stats.holm); a period
that has not ended (the current year, or one cut by the date filter) is not compared with
a whole one; and the trend over three or more whole periods is offered beside the changes
(survey.stats.trend_from_groups). DESIGN.md, Statistics conventions.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from survey.services.errors import DomainError
from survey.services.statistics import statistics
from survey.services.statistics.fetch import Dataset, Sample
from survey.services.statistics.groups import Group
from survey.services.statistics.sql import zone
from survey.services.statistics.statistics import ALPHA, FactorSummary, Filters
from survey.stats import Change, Moments, Trend, holm, moments, trend_from_groups

#: Fewest whole periods for a trend (a line through two points has no error to estimate).
TREND_PERIODS = 3


def period_bounds(label: str) -> tuple[date, date]:
    """Return the first and last day of a period label: ``2024``, ``2024Q3`` or ``2024-07``."""
    if "Q" in label:
        year, quarter = (int(part) for part in label.split("Q"))
        first, months = date(year, 3 * quarter - 2, 1), 3
    elif "-" in label:
        year, month = (int(part) for part in label.split("-"))
        first, months = date(year, month, 1), 1
    else:
        first, months = date(int(label), 1, 1), 12
    following = first.month - 1 + months
    last = date(first.year + following // 12, following % 12 + 1, 1) - timedelta(days=1)
    return first, last


def complete(label: str, filters: Filters, *, today: date | None = None) -> bool:
    """Tell whether a period has ended and the date filters keep all of it.

    ``today`` is the local date (SURVEY_TIMEZONE) unless given. A period still running, or
    one that ``date_from``/``date_to`` cut, holds only part of its answers and is not
    compared with a whole one.
    """
    first, last = period_bounds(label)
    today = today or datetime.now(zone()).date()
    if last >= today:
        return False
    if filters.date_to is not None and filters.date_to < last:
        return False
    return filters.date_from is None or filters.date_from <= first


def whole_periods(
    filters: Filters, period: str, data: Dataset | None
) -> tuple[Filters, Dataset | None] | None:
    """Return the filters and data up to the end of the period before ``period``.

    None when the date filter leaves nothing before it.
    """
    start = period_bounds(period)[0]
    earlier = replace(filters, date_to=start - timedelta(days=1))
    if filters.date_from and earlier.date_to < filters.date_from:
        return None
    return earlier, None if data is None else data.before(start)


def adjusted(
    summaries: list[FactorSummary], filters: Filters, by: str, data: Dataset | None
) -> list[FactorSummary]:
    """Attach Holm's adjusted p-value to each factor's change, over the page's family.

    The family is every change the overview shows for the same pair of periods: NKI's and
    each factor's. A change without a test (suppressed, or no variation) is not counted.
    """
    periods = {s.period for s in summaries if s.change is not None}
    nki = _nki_change(filters, by, data, periods.pop()) if len(periods) == 1 else None
    family = [None if nki is None else nki.p_value]
    family += [None if s.change is None else s.change.p_value for s in summaries]
    p_holm = holm(family, alpha=ALPHA)[1:]
    return [replace(s, p_holm=p) for s, p in zip(summaries, p_holm, strict=True)]


def _nki_change(
    filters: Filters, by: str, data: Dataset | None, period: str | None
) -> Change | None:
    """Return NKI's change into ``period`` (None without NKI or without that change)."""
    try:
        _groups, changes = statistics.index_groups(filters, by=by, data=data)
    except DomainError:
        return None
    found = [c for before, after, c in changes if after.period == period and after.split is None]
    return found[-1] if found else None


def nki_trend(
    filters: Filters, by: str, data: Dataset | None, *, index: str = "nki"
) -> Trend | None:
    """Return an index's (NKI's) trend per year over the whole, reported periods.

    None under 3 such periods, or when the battery has no such index.
    """
    try:
        groups, _changes = statistics.index_groups(filters, index=index, by=by, data=data)
    except DomainError:
        return None
    whole = [
        g
        for g in groups
        if g.split is None and not g.estimate.suppressed and complete(g.period, filters)
    ]
    if len(whole) < TREND_PERIODS:
        return None
    sums = [_moments(g.sample) for g in whole]
    return trend_from_groups(
        [_midpoint(g) for g in whole],
        [m.n for m in sums],
        [m.total for m in sums],
        [m.total_sq for m in sums],
    )


def _moments(sample: Sample) -> Moments:
    return sample.moments if sample.values is None else moments(sample.values)


def _midpoint(group: Group) -> float:
    """Return the middle of the group's period as a decimal year (2024.5 for 2024)."""
    first, last = period_bounds(group.period)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    return first.year + (first.month - 1 + months / 2) / 12
