"""Read the index rollups for a statistics request: sums per local month and split value.

Whole months come from the month rows of the smallest cuboid holding the filtered and split
dimensions; the days of a month cut by ``date_from`` or ``date_to`` come from the day rows
(see rollup_cube). Requests the rollups cannot answer (a filter on an official, a battery
without current rollups) get None and use raw answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import ColumnElement, func, literal_column, select

from survey.extensions import db
from survey.models import ServiceArea
from survey.models.rollup import VALUE_COLUMNS, index_rollups
from survey.services.statistics.cube import cuboid_for, mask_of
from survey.services.statistics.filters import Filters
from survey.services.statistics.rollup_source import slot_roles
from survey.services.statistics.rollups import layout_items
from survey.services.statistics.sql import IndexItem, area_id, battery_id

#: Rollup dimension of each split.
SPLIT_DIMENSIONS = {"area": "service_area_id", "industry": "sni_section", "size": "size_class"}


@dataclass(frozen=True)
class MomentRows:
    """Rollup sums (columns of survey.models.rollup) per local month and split value."""

    roles: list[str]  # slot order
    months: np.ndarray  # datetime64[M]
    split: np.ndarray  # object: split value, None for "not recorded" or without a split
    values: np.ndarray  # (rows, len(VALUE_COLUMNS)) float


def moment_rows(filters: Filters, split: str | None, items: list[IndexItem]) -> MomentRows | None:
    """Return the sums for the filters, or None when the rollups cannot serve them.

    ``items`` are the battery's current index items; rollups built with other items are
    out of date and not used.
    """
    if filters.official_id is not None:
        return None
    battery = battery_id(filters.battery)
    if layout_items(battery) != items:
        return None
    fixed = _fixed(filters)
    dimension = SPLIT_DIMENSIONS.get(split) if split else None
    mask = mask_of({*fixed, *([dimension] if dimension else [])})
    whole, cut = _plan(filters.date_from, filters.date_to)
    rows: list = []
    if whole is not None:
        rows += _read(battery, "M", cuboid_for(mask, "M"), whole, fixed, dimension)
    for days in cut:
        rows += _read(battery, "D", cuboid_for(mask, "D"), days, fixed, dimension)
    return _moment_rows(slot_roles(items), rows, split)


def _fixed(filters: Filters) -> dict[str, object]:
    """Return the rollup dimension values the filters fix."""
    fixed: dict[str, object] = {}
    if filters.survey_id is not None:
        fixed["survey_id"] = filters.survey_id
    if filters.area is not None:
        fixed["service_area_id"] = area_id(filters.area)
    if filters.industry is not None:
        fixed["sni_section"] = filters.industry
    if filters.size is not None:
        fixed["size_class"] = filters.size
    if filters.mode is not None:
        fixed["collection_mode"] = filters.mode
    return fixed


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


Span = tuple[date | None, date | None]


def _plan(date_from: date | None, date_to: date | None) -> tuple[Span | None, list[Span]]:
    """Split the date range into whole months (first days) and the days of cut months."""
    low = date_from if date_from is None or date_from.day == 1 else _next_month(date_from)
    high = date_to
    if date_to is not None and _next_month(date_to) - timedelta(days=1) != date_to:
        high = _month_start(date_to) - timedelta(days=1)
    if low is not None and high is not None and low > high:
        return None, [(date_from, date_to)]
    cut: list[Span] = []
    if date_from is not None and low is not None and date_from < low:
        cut.append((date_from, low - timedelta(days=1)))
    if date_to is not None and high is not None and date_to > high:
        cut.append((high + timedelta(days=1), date_to))
    return (low, None if high is None else _month_start(high)), cut


def _read(
    battery: int,
    grain: str,
    cuboid: int,
    span: Span,
    fixed: dict[str, object],
    dimension: str | None,
) -> list:
    """Sum the rows of one cuboid and grain per period and split value."""
    table = index_rollups.c
    clauses: list[ColumnElement[bool]] = [
        table.battery_id == battery,
        table.grain == grain,
        table.cuboid == cuboid,
        *(table[name] == value for name, value in fixed.items()),
    ]
    if span[0] is not None:
        clauses.append(table.period >= span[0])
    if span[1] is not None:
        clauses.append(table.period <= span[1])
    sums = [func.sum(table[name]) for name in VALUE_COLUMNS]
    groups = [table.period, table[dimension] if dimension else literal_column("''")]
    query = select(*groups, *sums).where(*clauses).group_by(*groups[: 2 if dimension else 1])
    return db.session.connection().execute(query).all()


def _moment_rows(roles: list[str], rows: list, split: str | None) -> MomentRows:
    if not rows:
        return MomentRows(
            roles,
            np.array([], "datetime64[M]"),
            np.array([], object),
            np.empty((0, len(VALUE_COLUMNS))),
        )
    periods, splits, *sums = zip(*rows, strict=True)
    months = np.array(periods, dtype="datetime64[D]").astype("datetime64[M]")
    values = np.array(sums, dtype=float).T
    return MomentRows(roles, months, _split_values(splits, split), values)


def _split_values(values: tuple, split: str | None) -> np.ndarray:
    """Turn stored dimension values into split values (area ids become keys)."""
    if split is None:
        return np.full(len(values), None, dtype=object)
    if split == "area":
        keys = dict(db.session.execute(select(ServiceArea.id, ServiceArea.key)).all())
        return np.array([keys.get(v) for v in values], dtype=object)
    return np.array([v or None for v in values], dtype=object)
