"""Dashboard panels: each chart with its text alternative and the table of the same numbers.

The table is the one source for the HTML table under the chart, the CSV download and the
printed report, so all three always show the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from survey import charts
from survey.services.dashboards import dashboard
from survey.services.dashboards.dashboard import Funnel
from survey.services.statistics.statistics import FactorSummary
from survey.stats import PriorityMatrix
from survey.stats.grades import round_half_up

FACTOR_NAMES = {
    "nki": "NKI",
    "information": _l("Information"),
    "tillganglighet": _l("Accessibility"),
    "bemotande": _l("Treatment"),
    "kompetens": _l("Competence"),
    "rattssakerhet": _l("Legal certainty"),
    "effektivitet": _l("Efficiency"),
}


def too_few() -> str:
    """Return the text shown instead of a suppressed value."""
    return _("too few answers")


@dataclass(frozen=True)
class Table:
    """Column headings and rows of cells (numbers, text, or None for an empty cell).

    Cells keep full precision (the CSV download is a machine output); ``formats`` names how
    a page shows each column's numbers (see ``display``), by position; missing ones are
    "number".
    """

    columns: list[str]
    rows: list[list[Any]]
    formats: list[str] = field(default_factory=list)

    def format_of(self, position: int) -> str:
        """Return the display format of the column at ``position``."""
        return self.formats[position] if position < len(self.formats) else "number"


@dataclass(frozen=True)
class Panel:
    """A chart, its text alternative and its numbers.

    ``key`` names the CSV download (``/dashboard/data/<key>.csv``); ``args`` are the query
    arguments it needs beyond the view's (a question's key); ``anchor`` tells two panels of
    one key apart on a page (the HTML ids), the key by default.
    """

    key: str
    title: str
    alt: str
    table: Table
    figure: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    args: dict[str, str] = field(default_factory=dict)
    anchor: str = ""

    @property
    def dom_id(self) -> str:
        """Return the name of the panel's HTML ids (``panel-<dom_id>``)."""
        return self.anchor or self.key


def localised(figure: dict[str, Any]) -> dict[str, Any]:
    """Set the figure's number separators to the page language's (Swedish: decimal comma).

    Plotly formats axis ticks and hover values with ``layout.separators``: the decimal
    sign, then the thousands separator.
    """
    locale = get_locale()
    decimal = get_decimal_symbol(locale) if locale else "."
    group = get_group_symbol(locale) if locale else ","
    figure["layout"]["separators"] = decimal + group
    return figure


def factor_name(key: str) -> str:
    """Return a service factor's display name."""
    return str(FACTOR_NAMES.get(key, key.replace("_", " ").capitalize()))


def number(value: float | None, digits: int = 1) -> str:
    """Format a number for reading (decimal comma in Swedish); empty for None."""
    if value is None:
        return ""
    return format_decimal(round(float(value), digits), format="#,##0." + "0" * digits)


def display(value: Any, kind: str = "number") -> str:
    """Format a table cell for a page: indices as whole points, p-values with 3 decimals.

    ``kind`` "index" rounds half up to an integer (the method's precision, as SKR's Insikt
    reports NKI, and the same rounding as the grade); "p" gives 3 decimals ("<0,001" below);
    "number" gives 1 decimal. Text is shown as it is, None as an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    if kind == "index":
        return str(round_half_up(value)).replace("-", "−")
    if kind == "p":
        return "<" + number(0.001, 3) if value < 0.001 else number(value, 3)
    return number(value)


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


#: Display formats of the group columns (see ``_group_columns``) after the first.
GROUP_FORMATS = ["count", "index", "index", "index", "text"]


def _interval(group: Mapping[str, Any]) -> str:
    if group.get("no_interval") == "no_variance":
        return _("no interval: every answer is the same")
    if group.get("no_interval") == "one_value":
        return _("no interval: a single answer")
    if group.get("ci_low") is None:
        return ""
    low, high = round_half_up(group["ci_low"]), round_half_up(group["ci_high"])
    return _("95 %% CI %(low)s–%(high)s", low=low, high=high)


def _change_text(change: Mapping[str, Any] | None) -> str:
    if change is None:
        return ""
    if change.get("diff") is None:
        return _("change: too few answers to compare")
    diff = round_half_up(change["diff"])
    signed = f"+{diff}" if diff > 0 else str(diff).replace("-", "−")
    if change.get("untested"):
        return _("change %(diff)s, not tested: no variation in either period", diff=signed)
    if change.get("significant"):
        return _("change %(diff)s, significant", diff=signed)
    return _("change %(diff)s, not significant", diff=signed)


def index_sentence(name: str, group: Mapping[str, Any], change: Mapping[str, Any] | None) -> str:
    """Say one group's figure, e.g. "NKI 2025: 72 (95 % CI 66–78), högt; change +3, ..."."""
    if group.get("suppressed") or group.get("mean") is None:
        return _("%(name)s %(period)s: %(few)s", name=name, period=group["period"], few=too_few())
    text = _(
        "%(name)s %(period)s: %(value)s (%(interval)s), %(grade)s",
        name=name,
        period=group["period"],
        value=round_half_up(group["mean"]),
        interval=_interval(group),
        grade=group.get("grade") or "",
    )
    extra = _change_text(change)
    return f"{text}; {extra}" if extra else text


def _group_cells(group: Mapping[str, Any]) -> list[Any]:
    if group.get("suppressed") or group.get("mean") is None:
        return [group["n"], too_few(), None, None, None]
    return [group["n"], group["mean"], group.get("ci_low"), group.get("ci_high"), group["grade"]]


def _group_columns(first: str) -> list[str]:
    return [first, _("Answers"), _("Index"), _("CI low"), _("CI high"), _("Grade")]


latest_reportable = dashboard.latest_reportable


def trend_panel(key: str, name: str, report: Mapping[str, Any]) -> Panel:
    """Build the trend of one index per period with its CI band and grade bands."""
    groups = [g for g in report["groups"] if g.get("split") is None]
    latest = latest_reportable(groups)
    change = next(
        (c for c in reversed(report["changes"]) if latest and c["to"] == latest["period"]), None
    )
    alt = index_sentence(name, latest, change) if latest else _("No answers yet.")
    table = Table(
        _group_columns(_("Period")),
        [[g["period"], *_group_cells(g)] for g in groups],
        ["text", *GROUP_FORMATS],
    )
    figure = charts.trend_figure(
        [charts.Series(name, groups)],
        y_title=name,
        interval_label=_("95 % CI"),
        suppressed_label=too_few(),
    )
    return Panel(key, _("%(name)s per period", name=name), alt, table, localised(figure))


def factor_trends_panel(reports: Mapping[str, Mapping[str, Any]]) -> Panel:
    """Build every factor's trend in one chart, each with its CI band."""
    series = [charts.Series(factor_name(k), r["groups"]) for k, r in reports.items()]
    rows = [[s.name, g["period"], *_group_cells(g)] for s in series for g in s.groups]
    latest = [index_sentence(s.name, latest_reportable(s.groups), None) for s in series if s.groups]
    figure = charts.trend_figure(
        series,
        y_title=_("Index"),
        interval_label=_("95 % CI"),
        suppressed_label=too_few(),
        grade_bands=True,
    )
    columns = [_("Factor"), *_group_columns(_("Period"))]
    return Panel(
        "factor-trends",
        _("Service factors per period"),
        "; ".join(latest),
        Table(columns, rows, ["text", "text", *GROUP_FORMATS]),
        localised(figure),
    )


#: Display formats of the factors table's columns.
FACTOR_FORMATS = ["text", "text", "count", "index", "index", "index", "index", "p", "text", "p"]
HOLM_NOTE = _l(
    "The changes on this page are tested together: a change is significant when its p-value "
    "adjusted by Holm's method over NKI and every factor is under 0.05."
)


def factors_panel(summaries: Sequence[FactorSummary]) -> Panel:
    """Build the table of factor indices with their change since the previous period."""
    rows, sentences = [], []
    for s in summaries:
        est = s.estimate
        if est is None or est.suppressed or est.mean is None:
            rows.append(
                [
                    factor_name(s.factor),
                    s.period,
                    est.n if est else 0,
                    too_few(),
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ]
            )
            sentences.append(f"{factor_name(s.factor)}: {too_few()}")
            continue
        tested = s.change is not None and not s.change.suppressed
        diff = s.change.difference if tested else None
        p = s.change.p_value if tested else None
        rows.append(
            [
                factor_name(s.factor),
                s.period,
                est.n,
                est.mean,
                est.ci.low if est.ci else None,
                est.ci.high if est.ci else None,
                diff,
                p,
                _("yes") if s.significant else _("no"),
                s.p_holm,
            ]
        )
        change = None
        if s.change:
            change = {"diff": diff, "significant": s.significant, "untested": s.change.untested}
        group = {
            "period": s.period,
            "mean": est.mean,
            "grade": est.grade,
            "n": est.n,
            "ci_low": est.ci.low if est.ci else None,
            "ci_high": est.ci.high if est.ci else None,
            "no_interval": est.no_interval,
        }
        sentences.append(index_sentence(factor_name(s.factor), group, change))
    columns = [
        _("Factor"),
        _("Period"),
        _("Answers"),
        _("Index"),
        _("CI low"),
        _("CI high"),
        _("Change"),
        _("p-value"),
        _("Significant"),
        _("p-value (Holm)"),
    ]
    bars = [(r[0], r[3] if isinstance(r[3], float) else None) for r in rows]
    figure = charts.bars_figure(bars, x_title=_("Index"), suppressed_label=too_few())
    return Panel(
        "factors",
        _("Service factors"),
        "; ".join(sentences),
        Table(columns, rows, FACTOR_FORMATS),
        localised(figure) if bars else None,
        notes=[str(HOLM_NOTE)] if any(s.p_holm is not None for s in summaries) else [],
    )


def comparison_panel(report: Mapping[str, Any], names: Mapping[str, str], title: str) -> Panel:
    """Build an index per group (service area, industry or size) as dots with intervals."""
    index_name = factor_name(str(report.get("index") or "nki"))
    groups = report["groups"]
    labelled = {str(g["split"]): names.get(str(g["split"]), str(g["split"])) for g in groups}
    labelled["None"] = _("Not recorded")
    rows = [[labelled[str(g["split"])], *_group_cells(g)] for g in groups]
    sentences = [
        index_sentence(labelled[str(g["split"])], g, None).replace(f" {g['period']}:", ":", 1)
        for g in groups
    ]
    figure = charts.comparison_figure(
        groups, names=labelled, x_title=index_name, suppressed_label=too_few()
    )
    period = groups[0]["period"] if groups else ""
    return Panel(
        "comparison",
        f"{title} {period}".strip(),
        "; ".join(sentences) or _("No answers yet."),
        Table(_group_columns(_("Group")), rows, ["text", *GROUP_FORMATS]),
        localised(figure),
    )


def priority_panel(matrix: PriorityMatrix, *, min_n: int, period: str | None = None) -> Panel:
    """Build the priority matrix: each factor's effect on NKI, its interval, against its index.

    ``period`` is the period the matrix covers (the overview's "now"), said in a note.
    """
    notes = []
    if period is not None:
        notes.append(
            _("Responses from %(period)s, the period the overview shows as now.", period=period)
        )
    columns = [
        _("Factor"),
        _("Index"),
        _("Effect on NKI (per +5)"),
        _("CI low"),
        _("CI high"),
        _("Quadrant"),
        _("Quadrant reliable"),
    ]
    if matrix.n < min_n:
        # Say why there is nothing, rather than an empty table that reads as "no answers".
        row = [_("All factors (%(n)s answers)", n=matrix.n), too_few(), None, None, None, None]
        return Panel(
            "priority",
            _("Priority matrix"),
            _("Priority matrix: %(few)s", few=too_few()),
            Table(columns, [[*row, None]]),
            notes=[*notes, too_few()],
        )
    notes.extend(priority_notes(matrix))
    rows = [
        [
            factor_name(f.name),
            _rounded(f.index_mean),
            _rounded(f.effect),
            _rounded(f.ci.low if f.ci else None),
            _rounded(f.ci.high if f.ci else None),
            f.quadrant or "",
            "" if f.quadrant is None else (_("no") if f.uncertain else _("yes")),
        ]
        for f in matrix.factors
    ]
    sentences = [
        _(
            "%(factor)s: %(quadrant)s (index %(index)s, effect %(effect)s)",
            factor=factor_name(f.name),
            quadrant=f.quadrant,
            index=round_half_up(f.index_mean),
            effect=number(f.effect),
        )
        for f in matrix.factors
        if f.quadrant and f.index_mean is not None and f.effect is not None
    ]
    names = {f.name: factor_name(f.name) for f in matrix.factors}
    axes = {"x_title": _("Factor index"), "y_title": _("Effect on NKI (per +5)")}
    figure = charts.priority_figure(matrix, names=names, **axes)
    return Panel(
        "priority",
        _("Priority matrix"),
        "; ".join(sentences),
        Table(columns, rows),
        localised(figure),
        notes=notes,
    )


def fallback_reason(matrix: PriorityMatrix) -> str:
    """Say in the user's language why the effects are not from the regression."""
    reason = matrix.fallback_reason or ""
    if reason.startswith("too few respondents"):
        return _("too few answers with every factor for the regression (%(n)s answers)", n=matrix.n)
    if reason.endswith("has no variance"):
        return _("a factor has the same value in every answer")
    if reason == "factors are collinear":
        return _("the factors vary together too closely to tell their effects apart")
    return reason


def priority_notes(matrix: PriorityMatrix) -> list[str]:
    """Say how the effects were estimated and whether the quadrants can be relied on."""
    notes = []
    if matrix.method != "ols":
        notes.append(
            _(
                "Fallback method used (correlation per factor): %(reason)s",
                reason=fallback_reason(matrix),
            )
        )
    elif matrix.r_squared is not None:
        notes.append(_("Explained variance (R²): %(r2)s %%", r2=number(matrix.r_squared * 100, 0)))
    if not matrix.reliable:
        notes.append(
            _(
                "The quadrants are not reliable: at least one effect is negative or its "
                "confidence interval (CI) crosses the quadrant line, so the factor could lie in "
                "another quadrant."
            )
        )
    return notes


def distribution_panel(
    result: Mapping[str, Any],
    question_text: str,
    labels: Mapping[str, str],
    *,
    key: str | None = None,
) -> Panel:
    """Build the answer distribution: stacked bar for a scale, bars for choices.

    ``key``, the question's key, makes the panel one of several on a page (its own ids and
    CSV download).
    """
    title = _("Answers to: %(question)s", question=question_text)
    own = {"args": {"question": key}, "anchor": f"distribution-{key}"} if key else {}
    columns = [_("Answer"), _("Count"), _("Share, per cent")]
    if result["suppressed"]:
        return Panel(
            "distribution",
            title,
            f"{question_text}: {too_few()}",
            Table(columns, [[_("All answers"), result["n"], too_few()]]),
            notes=[too_few()],
            **own,
        )
    counts = result["counts"]
    # Shares are of those who answered other than "vet ej". A multiple-choice answer counts
    # once per chosen option, so its shares (of respondents) may add up to more than 100 %.
    total = result["n"] - (result.get("dont_know") or 0)
    names = [labels.get(str(c["value"]), str(c["value"])) for c in counts]
    rows = [
        [name, c["count"], round(100 * c["count"] / total, 1) if total else None]
        for name, c in zip(names, counts, strict=True)
    ]
    if result.get("dont_know"):
        rows.append([_("Don't know"), result["dont_know"], None])
    notes = []
    if result["type"] == "multiple_choice":
        notes.append(
            _(
                "Several options could be chosen: each share is of the %(n)s who answered, "
                "so together they may exceed 100 %%.",
                n=total,
            )
        )
    stacked = result["type"] in ("scale", "nps")
    figure = charts.distribution_figure(
        names,
        [
            {
                "label": _("All answers"),
                "n": total,
                "base": total,
                "counts": [c["count"] for c in counts],
                "suppressed": False,
            }
        ],
        stacked=stacked,
        x_title="%",
        suppressed_label=too_few(),
    )
    top = max(rows[: len(counts)], key=lambda r: r[1]) if counts else None
    alt = _(
        "%(n)s answers; most common: %(answer)s (%(share)s %%)",
        n=result["n"],
        answer=top[0] if top else "",
        share=number(top[2], 0) if top else "",
    )
    return Panel(
        "distribution", title, alt, Table(columns, rows), localised(figure), notes=notes, **own
    )


def funnel_panel(funnel: Funnel) -> Panel:
    """Build the response funnel: invited, delivered, opened, started, submitted.

    Below the stages, and not in the chart: invitations not sent yet, failed and opted out.
    Responses collected without an invitation (imported, interviews) are a note, never a row.
    """
    stages = [
        (_("Invited"), funnel.invited),
        (_("Delivered"), funnel.delivered),
        (_("Opened"), funnel.opened),
        (_("Started"), funnel.started),
        (_("Submitted"), funnel.submitted),
    ]
    aside = [(_("Not sent yet"), funnel.unsent), (_("Mail failed"), funnel.failed)]
    rows = [[stages[0][0], funnel.invited, None]]
    rows += [[label, count, _share(count, funnel.delivered)] for label, count in stages[1:]]
    rows += [[label, count, None] for label, count in aside]
    opted_out = _share(funnel.opted_out, funnel.delivered)
    rows.append([_("Opted out of the survey"), funnel.opted_out, opted_out])
    rate = number(funnel.rate.rate, 0) if funnel.rate.rate is not None else "–"
    alt = _(
        "%(submitted)s of %(delivered)s delivered invitations answered (response rate %(rate)s %%)",
        submitted=funnel.submitted,
        delivered=funnel.delivered,
        rate=rate,
    )
    return Panel(
        "funnel",
        _("Response funnel"),
        alt,
        Table([_("Stage"), _("Invitations"), _("Share of delivered, per cent")], rows),
        localised(charts.funnel_figure(stages)) if funnel.invited else None,
        notes=other_notes(funnel),
    )


def _share(count: int, whole: int) -> float | None:
    return round(100 * count / whole, 1) if whole else None


def other_notes(funnel: Funnel) -> list[str]:
    """Return the sentences counting responses collected without an invitation."""
    notes = []
    if funnel.other.get("import"):
        notes.append(_("Imported responses, not in the funnel: %(n)s", n=funnel.other["import"]))
    if funnel.other.get("interview"):
        notes.append(
            _("Interview responses, not in the funnel: %(n)s", n=funnel.other["interview"])
        )
    return notes
