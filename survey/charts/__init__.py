"""Plotly figures (and static SVG for print) built from statistics results only.

Pure functions: numbers and already-translated labels in, a figure dictionary or an SVG string
out. Nothing here knows about Flask, requests or the database.
"""

from __future__ import annotations

from survey.charts.bars import distribution_figure, funnel_figure
from survey.charts.compare import comparison_figure, priority_figure
from survey.charts.svg import bars_svg, priority_svg, trend_svg
from survey.charts.trend import GRADE_SHADES, Series, trend_figure

__all__ = [
    "GRADE_SHADES",
    "Series",
    "bars_svg",
    "comparison_figure",
    "distribution_figure",
    "funnel_figure",
    "priority_figure",
    "priority_svg",
    "trend_figure",
    "trend_svg",
]
