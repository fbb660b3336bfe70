"""Aggregates behind the dashboard's statistics as CSV, with small groups suppressed.

The numbers are those of `statistics.index_report` (the `survey stats --json` object): one row
per period (and split) with n, mean, sd, 95 % interval and grade, or one row per change between
consecutive periods. Suppression is the report's: a group under the minimum size keeps its n
but has no values, and so has any change that involves it; so does a second group wherever a
table would otherwise give a hidden group by subtraction (`statistics_disclosure.complement`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from survey.extensions import db
from survey.services import audit
from survey.services.errors import DomainError
from survey.services.exports.rows import Dialect, csv_chunks, neutralise
from survey.services.statistics import statistics
from survey.services.statistics.periods import PERIODS
from survey.services.statistics.sql import SPLITS

TABLES = {
    "groups": ("period", "split", "n", "mean", "sd", "ci_low", "ci_high", "grade", "suppressed"),
    "changes": (
        "from",
        "to",
        "split",
        "diff",
        "ci_low",
        "ci_high",
        "p_value",
        "p_holm",
        "significant",
    ),
}
OWN_ARGS = ("index", "by", "split", "table", "excel")


@dataclass(frozen=True)
class ReportRequest:
    """An index report: filters plus index, period length and split."""

    filters: statistics.Filters
    index: str = "nki"
    by: str = "year"
    split: str | None = None


def parse_report_args(args: Mapping[str, Any]) -> ReportRequest:
    """Read battery, filters, index, by and split from query arguments (others are refused)."""
    by = args.get("by") or "year"
    if by not in PERIODS:
        raise DomainError(_("%(value)s is not a valid value for %(name)s.", value=by, name="by"))
    split = args.get("split") or None
    if split is not None and split not in SPLITS:
        raise DomainError(
            _("%(value)s is not a valid value for %(name)s.", value=split, name="split")
        )
    filters = statistics.Filters.from_args({k: v for k, v in args.items() if k not in OWN_ARGS})
    return ReportRequest(filters, index=args.get("index") or "nki", by=by, split=split)


@dataclass(frozen=True)
class AggregateTable:
    """A CSV text and the file name to save it under."""

    filename: str
    text: str


def _cell(value: Any, dialect: Dialect) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return dialect.number(value)
    return neutralise(str(value))


def aggregates_csv(args: Mapping[str, Any], *, user_id: int | None) -> AggregateTable:
    """Return one table (groups or changes) of an index report as CSV; logged in the audit."""
    table = args.get("table") or "groups"
    if table not in TABLES:
        raise DomainError(_("Choose the groups or the changes table."), field="table")
    wanted = parse_report_args(args)
    report = statistics.index_report(
        wanted.filters, index=wanted.index, by=wanted.by, split=wanted.split
    )
    dialect = Dialect(excel=str(args.get("excel", "")).lower() in ("1", "true", "yes", "on"))
    columns = TABLES[table]
    rows = ([_cell(row[c], dialect) for c in columns] for row in report[table])
    text = "".join(csv_chunks(list(columns), rows, dialect))
    audit.record(
        "export.aggregates",
        user_id=user_id,
        object_type="battery",
        object_id=wanted.filters.battery,
        index=wanted.index,
        by=wanted.by,
        split=wanted.split,
        table=table,
        rows=len(report[table]),
    )
    db.session.commit()
    name = f"{wanted.filters.battery}-{wanted.index}-{wanted.by}-{table}.csv"
    return AggregateTable(name, text)
