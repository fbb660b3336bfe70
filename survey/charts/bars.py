"""Answer distributions (stacked bars for scales, bars for choices) and the response funnel."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from survey.charts.trend import PALETTE, base_layout, new_figure, trace, update_layout

#: Sequential blues for scale steps, light (low) to dark (high); text stays readable on each.
SCALE_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")


def _scale_colours(count: int) -> list[str]:
    if count <= len(SCALE_COLOURS):
        start = (len(SCALE_COLOURS) - count) // 2
        return list(SCALE_COLOURS[start : start + count])
    return [SCALE_COLOURS[i % len(SCALE_COLOURS)] for i in range(count)]


def distribution_figure(
    categories: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    *,
    stacked: bool,
    x_title: str,
    suppressed_label: str = "för få svar",
) -> dict[str, Any]:
    """Draw the share of answers per category for each row (e.g. each period).

    ``rows`` hold ``label``, ``n``, ``counts`` (aligned with ``categories``) and ``suppressed``,
    and optionally ``base``, the number shares are taken of (for multiple choice: the
    respondents, since one answer counts once per option chosen).
    A scale is drawn as one horizontal 100 % bar per row stacked by answer; choices as one
    horizontal bar per option.
    Suppressed rows show ``suppressed_label`` and no numbers.
    """
    labels = [str(row["label"]) for row in rows]
    shown = [row for row in rows if not row.get("suppressed")]
    bars = len(rows) if stacked else len(categories) * max(len(shown), 1)
    figure = new_figure(base_layout(y_title="", x_title=x_title, height=max(260, 120 + 34 * bars)))
    if stacked:
        _stacked_bars(figure, categories, shown, labels)
    else:
        _choice_bars(figure, categories, shown)
    notes = [
        {
            "text": f"{row['label']}: {suppressed_label}",
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 1.02 + 0.07 * i,
            "xanchor": "left",
            "showarrow": False,
        }
        for i, row in enumerate(r for r in rows if r.get("suppressed"))
    ]
    update_layout(figure, annotations=notes, margin={"t": 30 + 20 * len(notes)})
    return figure


def _stacked_bars(
    figure: dict[str, Any],
    categories: Sequence[str],
    shown: Sequence[Mapping[str, Any]],
    labels: Sequence[str],
) -> None:
    """Add one horizontal 100 % bar per row, stacked by scale step (low to high)."""
    for number, (category, colour) in enumerate(
        zip(categories, _scale_colours(len(categories)), strict=True)
    ):
        figure["data"].append(
            trace(
                "bar",
                orientation="h",
                name=str(category),
                marker={"color": colour},
                y=[str(row["label"]) for row in shown],
                x=[_share(row, number) for row in shown],
                hovertemplate="%{y}: %{x:.0f} %<extra>" + str(category) + "</extra>",
            )
        )
    update_layout(
        figure,
        barmode="stack",
        xaxis={"range": [0, 100]},
        # Low to high in the legend too, and below the axis title rather than over it.
        legend={"traceorder": "normal", "y": -0.35},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": list(labels)[::-1],
            "automargin": True,
        },
    )


def _choice_bars(
    figure: dict[str, Any], categories: Sequence[str], shown: Sequence[Mapping[str, Any]]
) -> None:
    """Add horizontal bars, one per option (long option texts wrap beside their bar)."""
    names = [_wrap(str(category)) for category in categories]
    for number, row in enumerate(shown):
        figure["data"].append(
            trace(
                "bar",
                orientation="h",
                y=names,
                x=[_share(row, i) for i in range(len(categories))],
                name=str(row["label"]),
                marker={"color": PALETTE[number % len(PALETTE)]},
                hovertemplate="%{y}: %{x:.0f} %<extra>" + str(row["label"]) + "</extra>",
            )
        )
    update_layout(
        figure,
        barmode="group",
        xaxis={"range": [0, 100]},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": names[::-1],
            "automargin": True,
        },
    )


def _wrap(text: str, width: int = 34) -> str:
    """Break a long option text into lines (plotly's <br>) so the label stays readable."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def _share(row: Mapping[str, Any], index: int) -> float:
    """Return a category's per cent of the row's ``base`` (default: the sum of its counts)."""
    total = row.get("base") or sum(row["counts"])
    return 100.0 * row["counts"][index] / total if total else 0.0


def bars_figure(
    rows: Sequence[tuple[str, float | None]], *, x_title: str, suppressed_label: str
) -> dict[str, Any]:
    """Draw one horizontal bar per row on the 0-100 index scale, its value at its end.

    A row whose value is None (too few answers) has no bar but ``suppressed_label``.
    """
    labels = [label for label, _value in rows]
    shown = [(label, value) for label, value in rows if value is not None]
    figure = new_figure(
        base_layout(y_title="", x_title=x_title, height=max(200, 70 + 34 * len(rows)))
    )
    figure["data"].append(
        trace(
            "bar",
            orientation="h",
            y=[label for label, _value in shown],
            x=[value for _label, value in shown],
            text=[f"{value:.0f}" for _label, value in shown],
            textposition="outside",
            marker={"color": PALETTE[0]},
            hovertemplate="%{y}: %{x:.0f}<extra></extra>",
            showlegend=False,
        )
    )
    notes = [
        {"x": 1, "y": label, "xref": "x", "yref": "y", "xanchor": "left", "showarrow": False,
         "text": suppressed_label, "font": {"color": "#4a4f57"}}
        for label, value in rows
        if value is None
    ]  # fmt: skip
    update_layout(
        figure,
        annotations=notes,
        xaxis={"range": [0, 105], "gridcolor": "#e3e5e8"},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels[::-1],
            "automargin": True,
        },
        margin={"l": 20, "r": 20, "t": 20, "b": 50},
    )
    return figure


def funnel_figure(stages: Sequence[tuple[str, int]]) -> dict[str, Any]:
    """Draw the response funnel: how many invitations reached each stage."""
    figure = new_figure(base_layout(y_title="", height=320))
    figure["data"].append(
        trace(
            "funnel",
            y=[label for label, _ in stages],
            x=[count for _, count in stages],
            textinfo="value+percent initial",
            textposition="inside",
            marker={"color": PALETTE[0]},
            textfont={"color": "#ffffff"},
            connector={"fillcolor": "#e3e5e8"},
        )
    )
    update_layout(figure, margin={"l": 120, "r": 20, "t": 20, "b": 30})
    return figure
