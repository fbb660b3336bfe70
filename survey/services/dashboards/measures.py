"""Key measures beside NKI: NPS, CSAT, Cronbach's alpha per index, response rate, NKI trend.

Each uses a pure function of survey.stats (DESIGN.md, Statistics conventions). NPS and CSAT
count answers through ``distribution``, so they are hidden exactly when the question's
distribution is; alpha and the trend are hidden for groups under the minimum size.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from flask import current_app
from sqlalchemy import select

from survey.extensions import db
from survey.models import Question
from survey.services.batteries import batteries
from survey.services.statistics import statistics
from survey.services.statistics.fetch import Dataset
from survey.services.statistics.filters import Filters
from survey.services.statistics.funnel import funnel_counts
from survey.services.statistics.pivot import NKI, respondents
from survey.services.statistics.sql import index_items, item_rows
from survey.stats import Alpha, Rate, Score, Trend, cronbach_alpha, csat, nps, trend_from_groups


@dataclass(frozen=True)
class Measures:
    """The key measures of a battery under the filters.

    ``nps`` and ``csat`` map a question key to its score (None when hidden); ``alpha`` maps an
    index of at least 2 items to its alpha; ``trend`` is NKI's change per year over the
    reportable periods of ``by``.
    """

    nps: dict[str, Score | None]
    csat: dict[str, Score | None]
    alpha: dict[str, Alpha]
    rate: Rate
    trend: Trend | None  # None: the battery has no NKI


def measures(
    filters: Filters, *, by: str = "year", data: Dataset | None = None, alpha: bool = True
) -> Measures:
    """Compute the key measures (``data``: loaded for the same filters).

    ``alpha=False`` leaves alpha out: it reads every item answer, which the start page avoids
    (the factors page shows it).
    """
    min_n = int(current_app.config["SURVEY_MIN_GROUP_SIZE"])
    questions = _questions(filters.battery)
    nps_scores = {
        q.key: _score(filters, q.key, lambda x: nps(x)) for q in questions if q.type == "nps"
    }
    overall = next((q for q in questions if q.type == "scale" and q.index_role == NKI), None)
    csat_scores = {}
    if overall is not None and overall.scale_max is not None:
        low, high = overall.scale_min or 1, overall.scale_max
        csat_scores[overall.key] = _score(
            filters, overall.key, lambda x: csat(x, scale_min=low, scale_max=high)
        )
    rate = funnel_counts(filters).rate
    trend = None
    if any(q.index_role == NKI for q in questions):
        data = data if data is not None else statistics.load(filters, roles=[NKI])
        trend = nki_trend(data, by, min_n)
    found = alphas(filters, min_n) if alpha else {}
    return Measures(nps_scores, csat_scores, found, rate, trend)


def _questions(battery: str) -> list[Question]:
    """Return the questions of the battery's latest published version, in order."""
    version = batteries.latest_published_id(battery)
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.version_id == version)
            .order_by(Question.section_id, Question.position)
        )
    )


def _score(filters: Filters, key: str, score: Any) -> Score | None:
    """Score a question's answers as counted by ``distribution`` (None when it is hidden)."""
    counted = statistics.distribution(filters, key)
    if counted["suppressed"]:
        return None
    values = [c["value"] for c in counted["counts"]]
    counts = [c["count"] for c in counted["counts"]]
    return score(np.repeat(np.asarray(values, dtype=float), counts))


def alphas(filters: Filters, min_n: int) -> dict[str, Alpha]:
    """Return Cronbach's alpha of each index with 2 or more items, on the item indices.

    Each item's index comes from the same path as the respondent indices (every item taken
    as an index of its own, answered or not); an index whose complete respondents are fewer
    than the minimum group size gets alpha None with the reason "too few answers".
    """
    items = index_items(filters.battery)
    roles = list(dict.fromkeys(item.role for item in items))
    per_item = [replace(item, role=item.key) for item in items]
    fetched = respondents(item_rows(filters, roles), per_item).indices
    result = {}
    for role in roles:
        keys = [item.key for item in items if item.role == role]
        if len(keys) < 2:
            continue
        alpha = cronbach_alpha(np.column_stack([fetched[key] for key in keys]))
        if alpha.n < min_n:
            alpha = Alpha(alpha.n, alpha.k, None, "too few answers")
        result[role] = alpha
    return result


def nki_trend(data: Dataset, by: str, min_n: int) -> Trend:
    """Fit NKI's slope per year over the periods with at least ``min_n`` respondents.

    Each period's respondents sit at the period's midpoint as a decimal year
    (survey.stats.trend_from_groups); periods too small to report are left out.
    """
    rows = []
    for period, _split, sample in data.groups(NKI, by, split=False):  # pooled over any split
        if sample.values is not None:
            n, total, total_sq = sample.values.size, sample.values.sum(), (sample.values**2).sum()
        else:
            n, total, total_sq = sample.moments.n, sample.moments.total, sample.moments.total_sq
        if n >= min_n:
            rows.append((midpoint(period), n, float(total), float(total_sq)))
    times, ns, totals, totals_sq = (
        (list(column) for column in zip(*rows, strict=True)) if rows else ([], [], [], [])
    )
    return trend_from_groups(times, ns, totals, totals_sq)


def midpoint(period: str) -> float:
    """Return a period label's midpoint as a decimal year: 2024 -> 2024.5, 2024Q1 -> 2024.125."""
    if "Q" in period:
        year, quarter = period.split("Q")
        return int(year) + (int(quarter) - 0.5) / 4
    if "-" in period:
        year, month = period.split("-")
        return int(year) + (int(month) - 0.5) / 12
    return int(period) + 0.5


def alpha_json(alphas: dict[str, Alpha]) -> dict[str, dict[str, Any]]:
    """Return each index's alpha as JSON: n, k, alpha and the reason when there is none."""
    return {
        role: {"n": a.n, "k": a.k, "alpha": a.alpha, "reason": a.reason}
        for role, a in alphas.items()
    }


def measures_json(result: Measures) -> dict[str, Any]:
    """Return the measures as a JSON object (full precision; None where hidden)."""

    def score(value: Score | None) -> dict[str, Any]:
        return (
            {"n": None, "value": None, "suppressed": True}
            if value is None
            else {"n": value.n, "value": value.value, "suppressed": False}
        )

    rate, slope = result.rate, result.trend
    return {
        "nps": {key: score(value) for key, value in result.nps.items()},
        "csat": {key: score(value) for key, value in result.csat.items()},
        "alpha": alpha_json(result.alpha),
        "response_rate": {
            "invited": rate.invited,
            "responded": rate.responded,
            "rate": rate.rate,
            "ci_low": rate.ci.low if rate.ci else None,
            "ci_high": rate.ci.high if rate.ci else None,
        },
        "trend": None
        if slope is None
        else {
            "periods": slope.n_times,
            "n": slope.n,
            "slope_per_year": slope.slope,
            "ci_low": slope.ci.low if slope.ci else None,
            "ci_high": slope.ci.high if slope.ci else None,
            "p_value": slope.p_value,
            "reason": slope.reason,
        },
    }
