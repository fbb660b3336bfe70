"""Statistics use-cases: NKI and factor indices per period, change, priority matrix, answers.

Data is loaded once per request (statistics_data): from the index rollups when they can
serve the filters (statistics_rollups), else from raw answers (statistics_query, one SQL
query, pivoted by statistics_matrix); either way the pure functions of survey.stats do the
maths (DESIGN.md, Statistics conventions) and give the same results. Nothing here rounds:
``index_report``, the JSON shape shared by the CLI and the JSON API, keeps full precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Response
from survey.services.errors import DomainError
from survey.services.statistics.answers import comments, distribution, response_rates
from survey.services.statistics.fetch import Dataset, RawData, RollupData
from survey.services.statistics.filters import Filters
from survey.services.statistics.groups import (
    Group,
    Loader,
    estimate_groups,
    group_changes,
    kept,
)
from survey.services.statistics.periods import PERIODS
from survey.services.statistics.pivot import NKI, respondents
from survey.services.statistics.rollup_reads import moment_rows
from survey.services.statistics.sql import (
    IndexItem,
    conditions,
    index_items,
    item_rows,
    split_column,
)
from survey.stats import Change, GroupEstimate, PriorityMatrix, holm
from survey.stats.priority import PER_FACTOR

__all__ = [
    "FactorSummary",
    "Filters",
    "comments",
    "distribution",
    "factor_summary",
    "index_groups",
    "index_report",
    "latest_period",
    "load",
    "priority",
    "response_count",
    "response_rates",
]
SOURCES = ("auto", "raw", "rollup")
#: Family-wise error rate of a page's or report's changes (DESIGN.md: significant at 0.05).
ALPHA = 0.05


@dataclass(frozen=True)
class FactorSummary:
    """A factor's latest period with its estimate and the change from the previous period.

    ``p_holm`` is the change's p-value adjusted over the family of changes a page shows
    (set by the dashboard; None when not adjusted or not tested).
    """

    factor: str
    period: str | None
    estimate: GroupEstimate | None
    previous_period: str | None
    change: Change | None
    p_holm: float | None = None

    @property
    def significant(self) -> bool:
        """Tell whether the change is significant after Holm's adjustment (p̃ < 0.05)."""
        return self.p_holm is not None and self.p_holm < ALPHA


def _min_n(min_n: int | None) -> int:
    return int(current_app.config["SURVEY_MIN_GROUP_SIZE"]) if min_n is None else min_n


def _check_by(by: str) -> None:
    if by not in PERIODS:
        raise DomainError(_("Group by one of %(names)s.", names=", ".join(PERIODS)), field="by")


def _choose(items: list[IndexItem], roles: list[str] | None) -> list[IndexItem]:
    """Return the items of the given roles (all when None); DomainError names a missing one."""
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


def _items_for(
    filters: Filters, roles: list[str] | None, data: Dataset | None = None
) -> list[IndexItem]:
    """Return the battery's index items of the given roles (all roles when None).

    A loaded dataset carries the items it was loaded with, which saves the query.
    """
    return _choose(index_items(filters.battery) if data is None else data.items, roles)


def load(
    filters: Filters,
    *,
    roles: list[str] | None = None,
    split: str | None = None,
    source: str = "auto",
) -> Dataset:
    """Fetch the data of the given indices (all when None) under the filters, once.

    ``source`` "auto" reads the rollups when they can serve the filters and raw answers
    otherwise; "raw" and "rollup" force one (a ValueError when the rollups cannot serve).
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    if split is not None:
        split_column(split)  # raises DomainError naming a bad split
    every = index_items(filters.battery)
    items = _choose(every, roles)
    if source != "raw":
        rows = moment_rows(filters, split, every)
        if rows is not None:
            return RollupData(rows, split, every)
        if source == "rollup":
            raise ValueError("the rollups cannot serve these filters")
    roles_used = list(dict.fromkeys(item.role for item in items))
    fetched = respondents(item_rows(filters, roles_used, split=split), items)
    return RawData.of(fetched, split, every)


def _loader() -> Loader:
    """Return a loader of neighbouring data (every index) for one statistic."""
    return kept(lambda filters, split: load(filters, split=split))


def _data(
    data: Dataset | None, filters: Filters, roles: list[str] | None, split: str | None
) -> Dataset:
    """Return the given dataset (checking its split) or load one."""
    if data is None:
        return load(filters, roles=roles, split=split)
    if split is not None and data.split_name != split:
        raise ValueError(f"the data is split by {data.split_name!r}, not {split!r}")
    return data


def _number(value: float | None) -> float | None:
    """Return a statistic as a JSON number at full precision (None stays None)."""
    return None if value is None else float(value)


def _group_json(group: Group) -> dict[str, Any]:
    est = group.estimate
    return {
        "period": group.period,
        "split": group.split,
        "n": est.n,
        "mean": _number(est.mean),
        "sd": _number(est.sd),
        "ci_low": _number(est.ci.low if est.ci else None),
        "ci_high": _number(est.ci.high if est.ci else None),
        "grade": est.grade,
        "suppressed": est.suppressed,
        "no_interval": est.no_interval,
    }


def _change_json(
    before: Group, after: Group, result: Change, p_holm: float | None
) -> dict[str, Any]:
    return {
        "from": before.period,
        "to": after.period,
        "split": after.split,
        "diff": _number(result.difference),
        "ci_low": _number(result.ci.low if result.ci else None),
        "ci_high": _number(result.ci.high if result.ci else None),
        "p_value": _number(result.p_value),
        "p_holm": p_holm,
        "significant": None if p_holm is None else p_holm < ALPHA,
        "untested": result.untested,
    }


def index_groups(
    filters: Filters,
    *,
    index: str = NKI,
    by: str = "year",
    split: str | None = None,
    min_n: int | None = None,
    data: Dataset | None = None,
) -> tuple[list[Group], list[tuple[Group, Group, Change]]]:
    """Return an index's period (× split) groups and the changes between them, unrounded.

    Changes compare consecutive periods present in the data within the same split. ``data``
    is a dataset loaded once for several statistics (with this split, if any).
    """
    _check_by(by)
    threshold = _min_n(min_n)
    _items_for(filters, [index], data)
    data = _data(data, filters, [index], split)
    groups = estimate_groups(data, filters, index, by, split is not None, threshold, _loader())
    return groups, group_changes(groups, threshold)


def index_report(
    filters: Filters,
    *,
    index: str = NKI,
    by: str = "year",
    split: str | None = None,
    min_n: int | None = None,
    data: Dataset | None = None,
) -> dict[str, Any]:
    """Return an index per period (and split) with changes, as the JSON object of the CLI/API.

    Numbers keep full precision (a machine output: rounding is for display). A group under
    the minimum size keeps ``n`` but has null mean, sd, interval and grade; a change
    involving such a group is listed with null numbers. ``no_interval`` / ``untested`` say
    why a reported group has no interval or a change no test (survey.stats). The report's
    changes are one family: ``p_holm`` is each p-value adjusted by Holm's method over them,
    and ``significant`` is ``p_holm < 0.05`` (DESIGN.md, Statistics conventions). With a
    split, ``split`` null in a group means "not recorded". See ``index_groups`` for the
    groups, changes and ``data``.
    """
    groups, changes = index_groups(filters, index=index, by=by, split=split, min_n=min_n, data=data)
    adjusted = holm([result.p_value for _before, _after, result in changes], alpha=ALPHA)
    return {
        "battery": filters.battery,
        "index": index,
        "by": by,
        "groups": [_group_json(group) for group in groups],
        "changes": [_change_json(*triple, p) for triple, p in zip(changes, adjusted, strict=True)],
    }


def factor_summary(
    filters: Filters, *, by: str = "year", min_n: int | None = None, data: Dataset | None = None
) -> list[FactorSummary]:
    """Return each factor index's latest period estimate and change from the previous period."""
    _check_by(by)
    threshold = _min_n(min_n)
    items = [item for item in _items_for(filters, None, data) if item.role != NKI]
    if not items:
        return []
    roles = list(dict.fromkeys(item.role for item in items))
    data = _data(data, filters, roles, None)
    summaries, loader = [], _loader()
    for role in roles:
        groups = estimate_groups(data, filters, role, by, False, threshold, loader)
        if not groups:
            summaries.append(FactorSummary(role, None, None, None, None))
            continue
        latest = groups[-1]
        if len(groups) == 1:
            summaries.append(FactorSummary(role, latest.period, latest.estimate, None, None))
            continue
        ((previous, _latest, delta),) = group_changes(groups[-2:], threshold)
        summaries.append(
            FactorSummary(role, latest.period, latest.estimate, previous.period, delta)
        )
    return summaries


def latest_period(
    filters: Filters, *, index: str = NKI, by: str = "year", data: Dataset | None = None
) -> str | None:
    """Return the latest period with a value of the index (None without any)."""
    _check_by(by)
    _items_for(filters, [index], data)
    groups = _data(data, filters, [index], None).groups(index, by, split=False)
    return groups[-1][0] if groups else None


def priority(filters: Filters, *, min_n: int = 30, data: Dataset | None = None) -> PriorityMatrix:
    """Estimate each factor's effect on NKI from respondent-level indices (OLS, with fallback).

    The regression needs at least ``max(min_n, 10·p)`` complete respondents for p factors
    (``PER_FACTOR``); with fewer, each effect is the factor's own slope (correlation-based
    importance), which does not split the shared variance between correlated factors.
    """
    items = _items_for(filters, None, data)
    if all(item.role != NKI for item in items):
        _items_for(filters, [NKI], data)  # raises, naming the missing index
    factors = list(dict.fromkeys(item.role for item in items if item.role != NKI))
    if not factors:
        raise DomainError(_("The battery has no service factors."), field="battery")
    threshold = max(min_n, PER_FACTOR * len(factors))
    return _data(data, filters, None, None).priority(factors, NKI, min_n=threshold)


def response_count(filters: Filters, *, data: Dataset | None = None) -> int:
    """Count the responses that match the filters (from the rollups when they serve them)."""
    if data is None:
        every = index_items(filters.battery)
        rows = moment_rows(filters, None, every)
        data = None if rows is None else RollupData(rows, None, every)
    if isinstance(data, RollupData):
        return data.responses()
    return db.session.scalar(select(func.count(Response.id)).where(*conditions(filters))) or 0
