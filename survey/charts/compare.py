"""Comparison of groups with intervals (dot and error bar) and the priority matrix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from survey.charts.trend import (
    PALETTE,
    Figure,
    base_layout,
    grade_shapes,
    new_figure,
    trace,
    update_layout,
)
from survey.stats import PriorityMatrix
from survey.stats.priority import (
    IMPROVE_IF_POSSIBLE,
    LOWER_PRIORITY,
    MAINTAIN,
    PRIORITISE,
)


def comparison_figure(
    groups: Sequence[Mapping[str, Any]],
    *,
    names: Mapping[str, str],
    x_title: str,
    suppressed_label: str = "för få svar",
) -> dict[str, Any]:
    """Draw each group's mean as a dot with its confidence interval as an error bar.

    ``groups`` are ``survey stats --json`` groups keyed by ``split``; ``names`` maps a split
    value to its display name. Suppressed groups get a row with ``suppressed_label``, no dot.
    """
    labels = [names.get(str(g["split"]), str(g["split"])) for g in groups]
    shown = [g for g in groups if not g.get("suppressed") and g.get("mean") is not None]
    figure = new_figure(
        base_layout(y_title="", x_title=x_title, height=max(220, 60 + 38 * len(groups)))
    )
    figure["data"].append(
        trace(
            "scatter",
            x=[g["mean"] for g in shown],
            y=[names.get(str(g["split"]), str(g["split"])) for g in shown],
            mode="markers",
            marker={"color": PALETTE[0], "size": 11},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [_up(g) for g in shown],
                "arrayminus": [_down(g) for g in shown],
                "color": PALETTE[0],
                "thickness": 2,
                "width": 6,
            },
            customdata=[g["n"] for g in shown],
            hovertemplate="%{y}: %{x:.0f} (n=%{customdata})<extra></extra>",
            showlegend=False,
        )
    )
    shapes, notes = grade_shapes(axis="x")
    for group, label in zip(groups, labels, strict=True):
        if group.get("suppressed") or group.get("mean") is None:
            notes.append(
                {
                    "x": 2,
                    "y": label,
                    "xref": "x",
                    "yref": "y",
                    "xanchor": "left",
                    "text": suppressed_label,
                    "showarrow": False,
                    "font": {"color": "#4a4f57"},
                }
            )
    update_layout(
        figure,
        shapes=shapes,
        annotations=notes,
        xaxis={"range": [0, 100], "gridcolor": "#e3e5e8"},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels[::-1],
            "automargin": True,
        },
        margin={"l": 20, "r": 20, "t": 30, "b": 50},
    )
    return figure


def _up(group: Mapping[str, Any]) -> float:
    high = group.get("ci_high")
    return 0.0 if high is None else float(high) - float(group["mean"])


def _down(group: Mapping[str, Any]) -> float:
    low = group.get("ci_low")
    return 0.0 if low is None else float(group["mean"]) - float(low)


def priority_figure(
    matrix: PriorityMatrix,
    *,
    names: Mapping[str, str],
    x_title: str,
    y_title: str,
) -> dict[str, Any]:
    """Plot each factor's effect on NKI against its index, split into the four named quadrants.

    The split lines sit at the mean index and the mean effect of the factors shown; the
    quadrant names are those of ``survey.stats.priority`` (Prioritera, Bevara, ...).
    """
    shown = [f for f in matrix.factors if f.effect is not None and f.index_mean is not None]
    figure = new_figure(base_layout(y_title=y_title, x_title=x_title, height=460))
    figure["data"].append(
        trace(
            "scatter",
            x=[f.index_mean for f in shown],
            y=[f.effect for f in shown],
            text=[names.get(f.name, f.name) for f in shown],
            mode="markers+text",
            textposition="top center",
            marker={"color": PALETTE[0], "size": 12},
            customdata=[f.quadrant for f in shown],
            hovertemplate="%{text}: %{x:.0f}, %{y:.1f} (%{customdata})<extra></extra>",
            showlegend=False,
        )
    )
    if shown and all(f.ci is not None for f in shown):
        figure["data"][-1]["error_y"] = {
            "type": "data",
            "symmetric": False,
            "array": [f.ci.high - f.effect for f in shown],
            "arrayminus": [f.effect - f.ci.low for f in shown],
        }
    if shown:
        _add_quadrants(figure, shown)
    return figure


def _add_quadrants(figure: Figure, shown: Sequence[Any]) -> None:
    """Draw the split lines at the means and name the quadrants in their corners."""
    xs = [f.index_mean for f in shown]
    ys = [f.effect for f in shown]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    # The intervals' ends are inside the plot too (an error bar is never cut at the edge).
    ys_reach = ys + [end for f in shown if f.ci is not None for end in (f.ci.low, f.ci.high)]
    pad_x = max(5.0, (max(xs) - min(xs)) * 0.25)
    pad_y = max(0.5, (max(ys_reach) - min(ys_reach)) * 0.1)
    left, right = min(xs) - pad_x, max(xs) + pad_x
    bottom, top = min(min(ys_reach) - pad_y, 0.0), max(ys_reach) + pad_y
    line = {"color": "#4a4f57", "width": 1, "dash": "dash"}
    update_layout(
        figure,
        xaxis={"range": [left, right]},
        yaxis={"range": [bottom, top]},
        shapes=[
            {"type": "line", "x0": mean_x, "x1": mean_x, "y0": bottom, "y1": top, "line": line},
            {"type": "line", "x0": left, "x1": right, "y0": mean_y, "y1": mean_y, "line": line},
        ],
        annotations=[
            _corner(PRIORITISE, left, top, "left", "top"),
            _corner(MAINTAIN, right, top, "right", "top"),
            _corner(IMPROVE_IF_POSSIBLE, left, bottom, "left", "bottom"),
            _corner(LOWER_PRIORITY, right, bottom, "right", "bottom"),
        ],
    )


def _corner(text: str, x: float, y: float, xanchor: str, yanchor: str) -> dict[str, Any]:
    return {
        "x": x,
        "y": y,
        "xanchor": xanchor,
        "yanchor": yanchor,
        "text": f"<b>{text}</b>",
        "showarrow": False,
        "font": {"color": "#1b1b1f", "size": 13},
    }
