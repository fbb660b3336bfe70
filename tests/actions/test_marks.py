"""Marks of actions on a trend chart's category axis."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from survey.charts import Series, trend_figure
from survey.charts.marks import Mark, add_marks, span

PERIODS = ["2023Q1", "2023Q2", "2024Q1", "2024Q3"]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2023Q2", "2024Q1", (0.55, 2.45)),  # covers two charted periods
        ("2023Q2", "2023Q2", (0.55, 1.45)),  # one period
        ("2024Q2", "2024Q2", (2.4, 2.6)),  # no answers while it ran: a narrow span in the gap
        ("2022Q1", "2023Q1", (-0.45, 0.45)),  # began before the chart: cut at its start
        ("2024Q4", "2025Q2", None),  # after every charted period
        ("2021Q1", "2022Q4", None),  # before every charted period
    ],
)
def test_span_covers_the_periods_of_the_mark(first: str, last: str, expected) -> None:  # noqa: ANN001
    found = span(PERIODS, Mark("x", first, last))
    assert found == (None if expected is None else pytest.approx(expected))


def test_marks_are_valid_plotly_shapes_and_labels() -> None:
    groups = [
        {"period": p, "n": 10, "mean": 70.0, "ci_low": 60.0, "ci_high": 80.0} for p in PERIODS
    ]
    figure = trend_figure(
        [Series("Bemötande", groups)],
        y_title="Index",
        interval_label="95 % KI",
        suppressed_label="för få svar",
    )
    before = len(figure["layout"]["shapes"])
    drawn = add_marks(
        figure, [Mark("Åtgärd: A", "2023Q2", "2024Q1"), Mark("B", "2026Q1", "2026Q2")]
    )
    assert [mark.label for mark in drawn] == ["Åtgärd: A"]
    assert len(figure["layout"]["shapes"]) == before + 1
    assert figure["layout"]["annotations"][-1]["text"] == "Åtgärd: A"
    go.Figure(figure)  # raises on an invalid property
