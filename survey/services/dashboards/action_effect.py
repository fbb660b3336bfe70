"""An action's before/after figures: the index in the 12 months before it and after it.

The periods (our choice, stated on the action's page): the 12 whole calendar months before
the month the action starts, against the 12 whole months after the month it ends. Whole
months, because the statistics select whole months (`statistics_disclosure`, rule 1); twelve
of them, so that each period holds every season once (answers and satisfaction vary over the
year) and the two periods have the same length whatever the action's own length. The figures
come from the same respondent indices as the dashboard (`statistics.load`: the battery,
the action's service area if any) and the same estimators (`survey.stats.before_after`).

It is a before/after comparison, not a measured effect: there is no comparison group, and
anything else that changed between the periods moves the index too.

Disclosure: a period is one more figure an official can set (by choosing the dates), so it
is held to the dashboard's rule (`statistics_disclosure`, rule 2) as a group of its own: it
is suppressed under the minimum size, and when a figure the dashboard can give differs from
it by between 1 and k-1 respondents: the same months over every area (an area chosen), every
month (the dates lifted), or any shorter run of months inside the period (a date range, a
calendar year, quarter or month). When either period is suppressed, both are, with the
difference (which would give one from the other).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from flask import current_app

from survey.models import Action
from survey.services.errors import DomainError
from survey.services.statistics import statistics
from survey.services.statistics.disclosure import isolating, size
from survey.services.statistics.fetch import Sample
from survey.services.statistics.filters import Filters
from survey.services.statistics.groups import UNREACHABLE
from survey.services.statistics.sql import zone
from survey.stats import BeforeAfter, Moments, before_after, before_after_from_moments, pooled

WINDOW_MONTHS = 12


@dataclass(frozen=True)
class Window:
    """A run of whole months, ``first`` (a 1st) to ``last`` (the last day of a month)."""

    first: date
    last: date

    def months(self) -> list[str]:
        """Return the months' labels, ``YYYY-MM``, in order."""
        labels, day = [], self.first
        while day <= self.last:
            labels.append(day.strftime("%Y-%m"))
            day = _shift(day, 1)
        return labels


@dataclass(frozen=True)
class Effect:
    """An action's before/after figures and why some may be missing.

    ``state`` is "compared" (both periods over), "waiting" (the period after has not
    ended: only the period before is shown), "not_started" (the period before has not
    ended either: no figures) or "no_index" (the battery no longer has the index).
    ``hidden`` is True when the disclosure rule suppressed the figures although
    each period has at least the minimum number of respondents.
    """

    before_window: Window
    after_window: Window
    result: BeforeAfter | None
    state: str
    hidden: bool = False
    min_n: int = 0


def _shift(first_day: date, months: int) -> date:
    """Return the first day of the month ``months`` after (or before) ``first_day``'s."""
    number = first_day.year * 12 + first_day.month - 1 + months
    return date(number // 12, number % 12 + 1, 1)


def windows(action: Action) -> tuple[Window, Window]:
    """Return the period before the action and the period after it (12 whole months each)."""
    start = action.starts_on.replace(day=1)
    after = _shift(action.ends_on.replace(day=1), 1)
    before = Window(_shift(start, -WINDOW_MONTHS), start - timedelta(days=1))
    return before, Window(after, _shift(after, WINDOW_MONTHS) - timedelta(days=1))


def _month_samples(filters: Filters, factor: str) -> dict[str, Sample]:
    data = statistics.load(filters, roles=[factor])
    return {label: sample for label, _value, sample in data.groups(factor, "month", split=False)}


def _pool(samples: list[Sample]) -> np.ndarray | Moments:
    """Return the respondents of several months: their values, or their summed moments."""
    if samples and all(sample.values is not None for sample in samples):
        return np.concatenate([sample.values for sample in samples])
    if not samples:
        return np.array([], dtype=float)
    return pooled(sample.moments for sample in samples)


def hidden(window: Window, counts: dict[str, int], wider: list[dict[str, int]], k: int) -> bool:
    """Tell whether the disclosure rule suppresses the period (see the module docstring)."""
    months = window.months()
    per_month = [counts.get(month, 0) for month in months]
    n = sum(per_month)
    if n < k:
        return True
    others = [sum(whole.get(month, 0) for month in months) for whole in wider]
    others.append(sum(counts.values()))
    for low in range(len(months)):
        for high in range(low, len(months)):
            others.append(sum(per_month[low : high + 1]))
    return any(isolating(n, other, k) for other in others)


def effect(action: Action, *, today: date | None = None, min_n: int | None = None) -> Effect:
    """Return the action's index before and after it (the periods of `windows`).

    ``today`` is the local date (SURVEY_TIMEZONE) unless given; until the period after has
    ended, only the period before is compared with nothing ("waiting").
    """
    k = int(current_app.config["SURVEY_MIN_GROUP_SIZE"]) if min_n is None else min_n
    today = today or datetime.now(zone()).date()
    before, after = windows(action)
    if before.last >= today:
        return Effect(before, after, None, "not_started", min_n=k)
    area = action.service_area.key if action.service_area else None
    filters = Filters(battery=action.battery.key, area=area)
    try:
        samples = _month_samples(filters, action.factor)
        every_area = (
            [] if area is None else [_month_samples(Filters(filters.battery), action.factor)]
        )
    except DomainError:
        return Effect(before, after, None, "no_index", min_n=k)
    state = "compared" if after.last < today else "waiting"
    counts = _sizes(samples)
    periods = [before, after] if state == "compared" else [before]
    wider = [_sizes(found) for found in every_area]
    withheld = any(hidden(window, counts, wider, k) for window in periods)
    parts = [[samples[m] for m in window.months() if m in samples] for window in (before, after)]
    if state == "waiting":
        parts[1] = []
    first, second = _pool(parts[0]), _pool(parts[1])
    threshold = UNREACHABLE if withheld else k
    if isinstance(first, Moments) or isinstance(second, Moments):
        result = before_after_from_moments(_moments(first), _moments(second), min_n=threshold)
    else:
        result = before_after(first, second, min_n=threshold)
    enough = all(sum(counts.get(m, 0) for m in window.months()) >= k for window in periods)
    return Effect(before, after, result, state, hidden=withheld and enough, min_n=k)


def _sizes(samples: dict[str, Sample]) -> dict[str, int]:
    return {label: size(sample) for label, sample in samples.items()}


def _moments(values: np.ndarray | Moments) -> Moments:
    if isinstance(values, Moments):
        return values
    return Moments(int(values.size), float(values.sum()), float(values @ values))
