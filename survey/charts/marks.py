"""Marks on a trend chart's time axis: an action's start to end as a shaded span."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MARK_COLOUR = "#5b4a9e"
#: Width, in categories, of the span drawn for an action that falls between two periods.
GAP_WIDTH = 0.2


@dataclass(frozen=True)
class Mark:
    """A span of periods to mark: labels of the chart's periods (``2024``, ``2024Q1``, ...)."""

    label: str
    first: str
    last: str


def span(periods: Sequence[str], mark: Mark) -> tuple[float, float] | None:
    """Return the span on a category axis that covers the mark's periods, or None.

    Categories are at 0, 1, 2, ...; the span runs from half a category before the first
    period the mark covers to half after the last. A mark between two charted periods (no
    answers while it ran) is a narrow span in the gap; one outside the charted periods has
    no span. Period labels of one length sort as text (``2024-02`` < ``2024-11``).
    """
    low, high = bisect_left(periods, mark.first), bisect_right(periods, mark.last) - 1
    if low >= len(periods) or high < 0:
        return None
    if low > high:
        return low - 0.5 - GAP_WIDTH / 2, low - 0.5 + GAP_WIDTH / 2
    return low - 0.45, high + 0.45


def add_marks(figure: dict[str, Any], marks: Sequence[Mark]) -> list[Mark]:
    """Draw each mark on a category trend figure (see ``trend_figure``); return those drawn.

    Each is a shaded span behind the lines with its label at the top; labels of
    overlapping marks step down so that they stay readable.
    """
    layout = figure["layout"]
    periods = list(layout.get("xaxis", {}).get("categoryarray", []))
    shapes, notes, drawn = list(layout.get("shapes", [])), list(layout.get("annotations", [])), []
    for mark in marks:
        found = span(periods, mark)
        if found is None:
            continue
        x0, x1 = found
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": x0,
                "x1": x1,
                "y0": 0,
                "y1": 1,
                "layer": "below",
                "fillcolor": "rgba(91, 74, 158, 0.10)",
                "line": {"color": MARK_COLOUR, "width": 1, "dash": "dot"},
            }
        )
        notes.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": (x0 + x1) / 2,
                "y": 1 - 0.07 * (len(drawn) % 4),
                "yanchor": "top",
                "text": mark.label,
                "showarrow": False,
                "bgcolor": "rgba(255, 255, 255, 0.85)",
                "font": {"color": MARK_COLOUR, "size": 11},
            }
        )
        drawn.append(mark)
    layout["shapes"], layout["annotations"] = shapes, notes
    return drawn
