"""Panels of the key measures (NPS, CSAT, response rate, NKI's trend, alpha) and SKR's NKI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from survey.web.dashboard.panels import Panel, Table, factor_name, number, too_few


def _interval(low: float | None, high: float | None, digits: int = 1) -> str:
    if low is None or high is None:
        return ""
    return _("%(low)s to %(high)s", low=number(low, digits), high=number(high, digits))


def measures_panel(report: Mapping[str, Any]) -> Panel:
    """Build the key measures of the start page from ``statistics_measures.measures_json``."""
    columns = [_("Measure"), _("Answers"), _("Value"), _("95 % CI")]
    rows: list[list[Any]] = []
    for key, score in report["nps"].items():
        value = (
            too_few()
            if score["suppressed"] or score["value"] is None
            else number(score["value"], 0)
        )
        rows.append([_("NPS (%(question)s)", question=key), score["n"], value, ""])
    for key, score in report["csat"].items():
        value = (
            too_few()
            if score["suppressed"] or score["value"] is None
            else number(score["value"], 0) + " %"
        )
        rows.append([_("CSAT, top two boxes (%(question)s)", question=key), score["n"], value, ""])
    rate = report["response_rate"]
    # No interval: the rate counts every invitation sent, it estimates nothing beyond them.
    rows.append(
        [
            _("Response rate"),
            rate["invited"],
            "" if rate["rate"] is None else number(rate["rate"], 0) + " %",
            "",
        ]
    )
    trend = report["trend"]
    if trend is not None:  # None: the battery has no NKI
        slope = trend["slope_per_year"]
        rows.append(
            [
                _("NKI trend, points per year"),
                trend["n"],
                _("needs 3 reportable periods") if slope is None else number(slope),
                _interval(trend["ci_low"], trend["ci_high"]),
            ]
        )
    alt = "; ".join(f"{row[0]}: {row[2]}" for row in rows)
    notes = [_("NKI's trend is the least-squares slope over the reportable periods shown above.")]
    notes = notes if trend is not None else []
    return Panel("measures", _("Key measures"), alt, Table(columns, rows), notes=notes)


def alpha_panel(alphas: Mapping[str, Mapping[str, Any]]) -> Panel:
    """Build Cronbach's alpha per index (internal consistency of its questions)."""
    columns = [_("Index"), _("Questions"), _("Answers"), _("Cronbach's alpha")]
    rows = [
        [
            "NKI" if role == "nki" else factor_name(role),
            a["k"],
            a["n"],
            too_few() if a["alpha"] is None else number(a["alpha"], 2),
        ]
        for role, a in alphas.items()
    ]
    alt = "; ".join(f"{row[0]}: {row[3]}" for row in rows)
    notes = [_("Alpha of 0.7 or more: the questions of an index measure the same thing.")]
    return Panel("alpha", _("Reliability of the indices"), alt, Table(columns, rows), notes=notes)


def skr_panel(report: Mapping[str, Any], names: Mapping[str, str]) -> Panel:
    """Build NKI by SKR's definition from ``statistics_skr.skr_json``."""
    columns = [_("Service area"), _("Answers"), "NKI", _("Response rate")]
    rows = []
    for row in [*report["areas"], {**report["total"], "area": None}]:
        name = _("NKI total") if row["area"] is None else names.get(row["area"], row["area"])
        value = too_few() if row["nki"] is None else number(row["nki"], 0)
        rate = "" if row["response_rate"] is None else number(row["response_rate"], 0) + " %"
        rows.append([name, row["n"], value, rate])
    notes = [
        _(
            "SKR's definition (Insikt, from 2024): the four mandatory areas; an area needs 10 "
            "answers, the total 20. The whole year %(year)s, whatever the other filters.",
            year=report["year"] or "-",
        )
    ]
    unmet = {
        "areas": _("not every mandatory area has 10 answers"),
        "answers": _("fewer than 20 answers in total"),
        "response_rate": _(
            "response rate below 40 per cent over the areas or 30 per cent in one, or unknown"
        ),
    }
    if report["unmet"]:
        reasons = "; ".join(unmet[code] for code in report["unmet"])
        notes.append(_("Not comparable with SKR's ranking: %(reasons)s.", reasons=reasons))
    alt = "; ".join(f"{row[0]}: {row[2]}" for row in rows)
    return Panel("skr", _("NKI by SKR's definition"), alt, Table(columns, rows), notes=notes)
