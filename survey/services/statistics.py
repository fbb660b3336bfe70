"""Statistics use-cases: NKI and factor indices per period, change, priority matrix, answers.

Data is fetched by statistics_query (one SQL query, numpy arrays), pivoted by
statistics_matrix, and handed to the pure functions of survey.stats (DESIGN.md, Statistics
conventions). Rounding happens only in ``index_report``, the JSON shape shared by the CLI
and the JSON API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from flask import current_app
from flask_babel import gettext as _

from survey.services.errors import DomainError
from survey.services.periods import PERIODS, period_labels
from survey.services.statistics_answers import comments, distribution, response_rates
from survey.services.statistics_filters import Filters
from survey.services.statistics_matrix import NKI, Respondents, group_codes, respondents
from survey.services.statistics_query import IndexItem, index_items, item_rows, zone
from survey.stats import Change, GroupEstimate, PriorityMatrix, change, estimate, priority_matrix

__all__ = [
    "FactorSummary",
    "Filters",
    "comments",
    "distribution",
    "factor_summary",
    "index_report",
    "priority",
    "response_rates",
]


@dataclass(frozen=True)
class Group:
    """The estimate of one period × split group."""

    period: str
    split: str | None
    estimate: GroupEstimate
    values: np.ndarray


@dataclass(frozen=True)
class FactorSummary:
    """A factor's latest period with its estimate and the change from the previous period."""

    factor: str
    period: str | None
    estimate: GroupEstimate | None
    previous_period: str | None
    change: Change | None


def _min_n(min_n: int | None) -> int:
    return int(current_app.config["SURVEY_MIN_GROUP_SIZE"]) if min_n is None else min_n


def _check_by(by: str) -> None:
    if by not in PERIODS:
        raise DomainError(_("Group by one of %(names)s.", names=", ".join(PERIODS)), field="by")


def _items_for(filters: Filters, roles: list[str] | None) -> list[IndexItem]:
    """Return the battery's index items of the given roles (all roles when None)."""
    items = index_items(filters.battery)
    chosen = [item for item in items if roles is None or item.role in roles]
    missing = [role for role in roles or () if all(item.role != role for item in items)]
    if missing:
        names = ", ".join(dict.fromkeys(item.role for item in items)) or "-"
        raise DomainError(
            _(
                "The battery has no index %(index)s; choose one of %(names)s.",
                index=missing[0],
                names=names,
            ),
            field="index",
        )
    return chosen


def _fetch(filters: Filters, items: list[IndexItem], split: str | None = None) -> Respondents:
    roles = list(dict.fromkeys(item.role for item in items))
    return respondents(item_rows(filters, roles, split=split), items)


def _groups(values: np.ndarray, data: Respondents, by: str, min_n: int) -> list[Group]:
    """Estimate every period × split group over the respondents with an index."""
    has_value = ~np.isnan(values)
    periods = period_labels(data.submitted_at[has_value], by, zone())
    kept, splits = values[has_value], data.split[has_value]
    return [
        Group(period, split, estimate(kept[rows], min_n=min_n), kept[rows])
        for period, split, rows in group_codes(periods, splits)
    ]


def _changes(groups: list[Group], min_n: int) -> list[tuple[Group, Group, Change]]:
    """Compare consecutive periods (those present in the data) within the same split."""
    by_split: dict[str | None, list[Group]] = {}
    for group in groups:
        by_split.setdefault(group.split, []).append(group)
    result = []
    for series in by_split.values():
        for before, after in zip(series, series[1:], strict=False):
            result.append((before, after, change(before.values, after.values, min_n=min_n)))
    return result


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _group_json(group: Group) -> dict[str, Any]:
    est = group.estimate
    return {
        "period": group.period,
        "split": group.split,
        "n": est.n,
        "mean": _round(est.mean),
        "sd": _round(est.sd),
        "ci_low": _round(est.ci.low if est.ci else None),
        "ci_high": _round(est.ci.high if est.ci else None),
        "grade": est.grade,
        "suppressed": est.suppressed,
    }


def _change_json(before: Group, after: Group, result: Change) -> dict[str, Any]:
    return {
        "from": before.period,
        "to": after.period,
        "split": after.split,
        "diff": _round(result.difference),
        "ci_low": _round(result.ci.low if result.ci else None),
        "ci_high": _round(result.ci.high if result.ci else None),
        "p_value": _round(result.p_value, 4),
        "significant": result.significant,
    }


def index_report(
    filters: Filters,
    *,
    index: str = NKI,
    by: str = "year",
    split: str | None = None,
    min_n: int | None = None,
) -> dict[str, Any]:
    """Return an index per period (and split) with changes, as the JSON object of the CLI/API.

    Numbers are rounded to 2 decimals (p-values to 4). A group under the minimum size keeps
    ``n`` but has null mean, sd, interval and grade; a change involving such a group is
    listed with null numbers. With a split, ``split`` null in a group means "not recorded".
    Changes compare consecutive periods present in the data within the same split.
    """
    _check_by(by)
    threshold = _min_n(min_n)
    items = _items_for(filters, [index])
    data = _fetch(filters, items, split)
    groups = _groups(data.indices[index], data, by, threshold)
    return {
        "battery": filters.battery,
        "index": index,
        "by": by,
        "groups": [_group_json(group) for group in groups],
        "changes": [_change_json(*triple) for triple in _changes(groups, threshold)],
    }


def factor_summary(
    filters: Filters, *, by: str = "year", min_n: int | None = None
) -> list[FactorSummary]:
    """Return each factor index's latest period estimate and change from the previous period."""
    _check_by(by)
    threshold = _min_n(min_n)
    items = [item for item in _items_for(filters, None) if item.role != NKI]
    if not items:
        return []
    data = _fetch(filters, items)
    summaries = []
    for role in dict.fromkeys(item.role for item in items):
        groups = _groups(data.indices[role], data, by, threshold)
        if not groups:
            summaries.append(FactorSummary(role, None, None, None, None))
            continue
        latest = groups[-1]
        previous = groups[-2] if len(groups) > 1 else None
        delta = change(previous.values, latest.values, min_n=threshold) if previous else None
        summaries.append(
            FactorSummary(role, latest.period, latest.estimate, previous and previous.period, delta)
        )
    return summaries


def priority(filters: Filters, *, min_n: int = 30) -> PriorityMatrix:
    """Estimate each factor's effect on NKI from respondent-level indices (OLS, with fallback)."""
    items = _items_for(filters, None)
    if all(item.role != NKI for item in items):
        _items_for(filters, [NKI])  # raises, naming the missing index
    factors = list(dict.fromkeys(item.role for item in items if item.role != NKI))
    if not factors:
        raise DomainError(_("The battery has no service factors."), field="battery")
    data = _fetch(filters, items)
    matrix = np.column_stack([data.indices[role] for role in factors])
    return priority_matrix(data.indices[NKI], matrix, names=factors, min_n=min_n)
