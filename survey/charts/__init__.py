"""Plotly figures built from statistics results only, the same on screen and in print.

Pure functions: numbers and already-translated labels in, a figure dictionary out. Nothing
here knows about Flask, requests or the database. The printed report draws these figures
too (Chromium prints plotly's SVG), so each chart is defined once.
"""

from __future__ import annotations

from survey.charts.bars import bars_figure, distribution_figure, funnel_figure
from survey.charts.compare import comparison_figure, priority_figure
from survey.charts.trend import GRADE_SHADES, Series, trend_figure

__all__ = [
    "GRADE_SHADES",
    "Series",
    "bars_figure",
    "comparison_figure",
    "distribution_figure",
    "funnel_figure",
    "priority_figure",
    "trend_figure",
]
