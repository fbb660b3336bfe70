"""Index trends per period: the mean as a line, its 95 % interval as a band, grade bands behind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: SKR grade bands as (low, high, name, fill) on the 0-100 axis. A value is graded on its rounded
#: value (DESIGN.md), so the visible borders sit at the rounding points 49.5, 61.5, 69.5, 79.5.
GRADE_SHADES: tuple[tuple[float, float, str, str], ...] = (
    (79.5, 100.0, "mycket högt", "rgba(30, 107, 50, 0.14)"),
    (69.5, 79.5, "högt", "rgba(30, 107, 50, 0.07)"),
    (61.5, 69.5, "godkänt", "rgba(120, 120, 120, 0.06)"),
    (49.5, 61.5, "lågt", "rgba(176, 0, 32, 0.06)"),
    (0.0, 49.5, "mycket lågt", "rgba(176, 0, 32, 0.12)"),
)
#: Colour-blind safe line colours (Okabe-Ito), dark enough on white.
PALETTE = ("#0b4f8a", "#b35900", "#00735c", "#a3376f", "#5b4a9e", "#6b5a00", "#333333")
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}

Group = Mapping[str, Any]
Figure = dict[str, Any]


def new_figure(layout: dict[str, Any]) -> Figure:
    """Return an empty figure in plotly's JSON form (``{"data": [...], "layout": {...}}``).

    Figures are plain dictionaries rather than ``plotly.graph_objects`` so that a page renders
    without plotly's per-property validation; the tests validate them with ``go.Figure``.
    """
    return {"data": [], "layout": layout}


def trace(kind: str, **properties: Any) -> dict[str, Any]:
    """Return one trace of the given plotly type."""
    return {"type": kind, **properties}


def update_layout(figure: Figure, **changes: Any) -> None:
    """Merge layout properties into the figure, one level deep for axes and the like."""
    layout = figure["layout"]
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value


@dataclass(frozen=True)
class Series:
    """One line of a trend chart: a name and its groups (``survey stats --json`` groups)."""

    name: str
    groups: Sequence[Group]


def base_layout(*, y_title: str, x_title: str = "", height: int = 380) -> dict[str, Any]:
    """Return the layout every dashboard chart shares."""
    return {
        "font": FONT,
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 60},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "xaxis": {"title": {"text": x_title}, "showgrid": False},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#e3e5e8"},
        "legend": {"orientation": "h", "y": -0.2},
        "hovermode": "closest",
    }


def grade_shapes(*, axis: str = "y") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return shaded rectangles and labels of the grade bands along the index axis."""
    shapes, notes = [], []
    other = "x" if axis == "y" else "y"
    for low, high, name, fill in GRADE_SHADES:
        span = {f"{axis}0": low, f"{axis}1": high, f"{other}0": 0, f"{other}1": 1}
        shapes.append(
            {
                "type": "rect",
                "xref": "x" if axis == "x" else "paper",
                "yref": "y" if axis == "y" else "paper",
                "layer": "below",
                "line": {"width": 0},
                "fillcolor": fill,
                **span,
            }
        )
        middle = (low + high) / 2
        if axis == "y":
            notes.append(
                {
                    "xref": "paper",
                    "yref": "y",
                    "x": 1,
                    "y": middle,
                    "xanchor": "right",
                    "text": name,
                    "showarrow": False,
                    "font": {"color": "#4a4f57", "size": 11},
                }
            )
        else:
            notes.append(
                {
                    "xref": "x",
                    "yref": "paper",
                    "x": middle,
                    "y": 1,
                    "yanchor": "bottom",
                    "text": name,
                    "showarrow": False,
                    "font": {"color": "#4a4f57", "size": 11},
                }
            )
    return shapes, notes


def trend_figure(
    series: Sequence[Series],
    *,
    y_title: str,
    x_title: str = "",
    interval_label: str,
    suppressed_label: str,
    grade_bands: bool = True,
) -> dict[str, Any]:
    """Draw each series' mean per period as a line with its confidence interval as a band.

    Suppressed groups have no value: the line has a gap there and the period is marked with
    ``suppressed_label`` instead.
    """
    periods = sorted({str(g["period"]) for s in series for g in s.groups})
    figure = new_figure(base_layout(y_title=y_title, x_title=x_title))
    notes: list[dict[str, Any]] = []
    for number, line in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        by_period = {str(g["period"]): g for g in line.groups}
        _add_band(figure, line.name, colour, periods, by_period, interval_label)
        means = [_value(by_period.get(p), "mean") for p in periods]
        figure["data"].append(
            trace(
                "scatter",
                x=periods,
                y=means,
                name=line.name,
                mode="lines+markers",
                line={"color": colour, "width": 2.5},
                marker={"size": 8},
                legendgroup=line.name,
                customdata=[_n(by_period.get(p)) for p in periods],
                hovertemplate="%{x}: %{y:.0f} (n=%{customdata})<extra>" + line.name + "</extra>",
            )
        )
        for period in periods:
            group = by_period.get(period)
            if group is not None and group.get("suppressed"):
                notes.append(
                    {
                        # The category's position, not its label: a label like "2024"
                        # would be read as the number 2024 and stretch the axis.
                        "x": periods.index(period),
                        "y": 4 + 6 * number,
                        "text": suppressed_label,
                        "showarrow": False,
                        "font": {"color": colour},
                        "xref": "x",
                        "yref": "y",
                    }
                )
    update_layout(
        figure,
        xaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": periods,
            "range": [-0.5, len(periods) - 0.5],
        },
        yaxis={"range": [0, 100]},
    )
    if grade_bands:
        shapes, labels = grade_shapes()
        update_layout(figure, shapes=shapes)
        notes = labels + notes
    update_layout(figure, annotations=notes)
    return figure


def _add_band(
    figure: Figure,
    name: str,
    colour: str,
    periods: list[str],
    by_period: Mapping[str, Group],
    label: str,
) -> None:
    """Add the interval as a filled band between the lower and the upper bound."""
    low = [_value(by_period.get(p), "ci_low") for p in periods]
    high = [_value(by_period.get(p), "ci_high") for p in periods]
    fill = _transparent(colour)
    figure["data"].append(
        trace(
            "scatter",
            x=periods,
            y=low,
            mode="lines",
            line={"width": 0},
            showlegend=False,
            hoverinfo="skip",
            legendgroup=name,
        )
    )
    figure["data"].append(
        trace(
            "scatter",
            x=periods,
            y=high,
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=fill,
            name=f"{name}: {label}",
            hoverinfo="skip",
            legendgroup=name,
        )
    )


def _value(group: Group | None, key: str) -> float | None:
    if group is None or group.get("suppressed"):
        return None
    value = group.get(key)
    return None if value is None else float(value)


def _n(group: Group | None) -> int:
    return int(group["n"]) if group is not None else 0


def _transparent(colour: str, alpha: float = 0.22) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"
