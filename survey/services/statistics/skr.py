"""NKI by SKR's definition (Insikt, from 2024), beside the platform's own NKI.

SKR's "NKI totalt" covers only the four areas every municipality must measure: bygglov,
miljö- och hälsoskydd, livsmedelskontroll and serveringstillstånd. An area is published in
SKR's national comparison with at least 10 answers; the total needs at least 20 answers, all
four areas, a response rate of at least 40 % over the four areas and 30 % in each area.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from survey.services.statistics import statistics
from survey.services.statistics.fetch import Sample
from survey.services.statistics.filters import Filters
from survey.services.statistics.funnel import funnel_counts
from survey.services.statistics.pivot import NKI
from survey.stats import GroupEstimate, Moments, Rate, response_rate

#: The four mandatory areas (service area keys) of SKR's NKI totalt since 2024.
SKR_AREAS = ("bygglov", "miljo_halsoskydd", "livsmedel", "servering")
MIN_AREA = 10
MIN_TOTAL = 20
MIN_RATE_TOTAL = 40.0
MIN_RATE_AREA = 30.0


@dataclass(frozen=True)
class SkrArea:
    """One mandatory area: its answers, NKI (None under 10 answers) and response rate."""

    key: str
    estimate: GroupEstimate
    rate: Rate


@dataclass(frozen=True)
class SkrNki:
    """NKI totalt by SKR's definition for one year, and whether it meets SKR's rules."""

    year: str | None
    areas: tuple[SkrArea, ...]
    total: GroupEstimate
    rate: Rate
    unmet: tuple[str, ...]  # codes of SKR's rules not met: areas, answers, response_rate


def skr_nki(filters: Filters, *, year: str | None = None, source: str = "auto") -> SkrNki:
    """Return NKI totalt by SKR's definition for a year (the latest year with NKI by default).

    The total is the mean of respondent NKI over every respondent in the mandatory areas
    that have at least 10 answers (an area with fewer is not published, and leaving it out
    keeps its answers from being found by subtraction). The area filter is ignored.
    ``source`` is that of ``statistics.load`` (raw answers or rollups give the same result).
    """
    filters = replace(filters, area=None)
    data = statistics.load(filters, roles=[NKI], split="area", source=source)
    groups = data.groups(NKI, "year", split=True)
    year = year or max((period for period, _s, _g in groups), default=None)
    samples = {split: sample for period, split, sample in groups if period == year}
    scope = filters if year is None else _year(filters, int(year))
    areas = tuple(_area(key, samples.get(key), scope) for key in SKR_AREAS)
    shown = [samples[a.key] for a in areas if not a.estimate.suppressed]
    total = _pooled(shown).estimate(min_n=MIN_TOTAL)
    rate = response_rate(sum(a.rate.responded for a in areas), sum(a.rate.invited for a in areas))
    unmet = []
    if any(a.estimate.suppressed for a in areas):
        unmet.append("areas")
    if total.suppressed:
        unmet.append("answers")
    if not _rates_met(rate, areas):
        unmet.append("response_rate")
    return SkrNki(year, areas, total, rate, tuple(unmet))


def _year(filters: Filters, year: int) -> Filters:
    return replace(filters, date_from=date(year, 1, 1), date_to=date(year, 12, 31))


def _area(key: str, sample: Sample | None, filters: Filters) -> SkrArea:
    """Estimate one area (published with at least 10 answers) and count its invitations."""
    estimate = _pooled([] if sample is None else [sample]).estimate(min_n=MIN_AREA)
    counts = funnel_counts(replace(filters, area=key))
    return SkrArea(key, estimate, counts.rate)


def _pooled(samples: list[Sample]) -> Sample:
    """Put groups of respondents together (their values, or the sums of their moments)."""
    if all(s.values is not None for s in samples):
        values = [s.values for s in samples]
        return Sample(values=np.concatenate(values) if values else np.empty(0))
    moments = [s.moments or _moments(s.values) for s in samples]
    return Sample(
        moments=Moments(
            sum(m.n for m in moments),
            sum(m.total for m in moments),
            sum(m.total_sq for m in moments),
        )
    )


def _moments(values: np.ndarray) -> Moments:
    return Moments(int(values.size), float(values.sum()), float((values**2).sum()))


def _rates_met(total: Rate, areas: tuple[SkrArea, ...]) -> bool:
    """Whether the four areas reach 40 % together and each area 30 % (unknown: not met)."""
    if total.rate is None or total.rate < MIN_RATE_TOTAL:
        return False
    return all(a.rate.rate is not None and a.rate.rate >= MIN_RATE_AREA for a in areas)


def skr_json(result: SkrNki) -> dict[str, object]:
    """Return the result as the JSON object of `survey stats skr --json` (full precision)."""

    def group(estimate: GroupEstimate, rate: Rate) -> dict[str, object]:
        ci = None if estimate.suppressed else estimate.ci
        return {
            "n": estimate.n,
            "nki": None if estimate.suppressed else estimate.mean,
            "ci_low": None if ci is None else ci.low,
            "ci_high": None if ci is None else ci.high,
            "published": not estimate.suppressed,
            "invited": rate.invited,
            "responded": rate.responded,
            "response_rate": rate.rate,
        }

    return {
        "definition": "skr-2024",
        "year": result.year,
        "areas": [{"area": a.key, **group(a.estimate, a.rate)} for a in result.areas],
        "total": group(result.total, result.rate),
        "rankable": not result.unmet,
        "unmet": list(result.unmet),
    }
