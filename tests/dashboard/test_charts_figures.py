"""Chart builders: valid plotly figures, suppressed groups shown as words, never as values."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go
import pytest

from survey import charts
from survey.stats import ConfidenceInterval, FactorEffect, PriorityMatrix

SHOWN = {
    "period": "2024",
    "split": "bygglov",
    "n": 20,
    "mean": 71.4,
    "sd": 9.0,
    "ci_low": 67.2,
    "ci_high": 75.6,
    "grade": "högt",
    "suppressed": False,
}
HIDDEN = {
    "period": "2025",
    "split": "miljo",
    "n": 3,
    "mean": None,
    "sd": None,
    "ci_low": None,
    "ci_high": None,
    "grade": None,
    "suppressed": True,
}
MATRIX = PriorityMatrix(
    n=80,
    r_squared=0.61,
    method="ols",
    fallback_reason=None,
    factors=(
        FactorEffect("information", 60.0, 2.0, "Prioritera"),
        FactorEffect("bemotande", 75.0, 2.5, "Bevara"),
        FactorEffect("kompetens", 62.0, 0.5, "Förbättra om möjligt"),
        FactorEffect("effektivitet", 78.0, 0.4, "Lägre prioritet"),
    ),
)


LABELS = {"interval_label": "95 % KI", "suppressed_label": "för få svar"}


def _texts(figure: dict) -> list[str]:
    return [note["text"] for note in figure["layout"].get("annotations", [])]


@pytest.mark.parametrize(
    "figure",
    [
        charts.trend_figure([charts.Series("NKI", [SHOWN, HIDDEN])], y_title="NKI", **LABELS),
        charts.bars_figure(
            [("Bygglov", 71.5), ("Miljö", None)], x_title="Index", suppressed_label="för få svar"
        ),
        charts.comparison_figure([SHOWN, HIDDEN], names={"bygglov": "Bygglov"}, x_title="NKI"),
        charts.priority_figure(MATRIX, names={}, x_title="Index", y_title="Effekt"),
        charts.distribution_figure(
            ["1", "2"], [{"label": "Alla", "n": 9, "counts": [4, 5]}], stacked=True, x_title="%"
        ),
        charts.distribution_figure(
            ["a", "b"], [{"label": "Alla", "n": 9, "counts": [4, 5]}], stacked=False, x_title="%"
        ),
        charts.funnel_figure([("Inbjudna", 10), ("Inskickade", 4)]),
    ],
    ids=["trend", "bars-of-indices", "comparison", "priority", "stacked", "bars", "funnel"],
)
def test_figures_are_valid_plotly(figure: dict) -> None:
    go.Figure(figure)  # raises on any unknown or badly typed property


def test_trend_draws_a_gap_and_the_words_for_a_suppressed_period() -> None:
    figure = charts.trend_figure([charts.Series("NKI", [SHOWN, HIDDEN])], y_title="NKI", **LABELS)
    line = next(t for t in figure["data"] if t.get("mode") == "lines+markers")
    assert line["y"] == [71.4, None]
    bands = [t for t in figure["data"] if t.get("mode") == "lines"]
    assert [b["y"] for b in bands] == [[67.2, None], [75.6, None]]
    assert "för få svar" in _texts(figure)
    assert {"mycket högt", "högt", "godkänt", "lågt", "mycket lågt"} <= set(_texts(figure))


def test_comparison_shows_no_dot_for_a_suppressed_group() -> None:
    figure = charts.comparison_figure([SHOWN, HIDDEN], names={"bygglov": "Bygglov"}, x_title="N")
    dots = figure["data"][0]
    assert dots["y"] == ["Bygglov"] and dots["x"] == [71.4]
    assert dots["error_x"]["arrayminus"] == [pytest.approx(4.2)]
    assert "för få svar" in _texts(figure)


def test_priority_matrix_names_the_four_quadrants() -> None:
    figure = charts.priority_figure(MATRIX, names={}, x_title="Index", y_title="Effekt")
    names = " ".join(_texts(figure))
    for quadrant in ("Prioritera", "Bevara", "Förbättra om möjligt", "Lägre prioritet"):
        assert quadrant in names


def test_index_bars_have_no_bar_but_words_for_a_suppressed_group() -> None:
    figure = charts.bars_figure(
        [("Bygglov", 71.5), ("Miljö", None)], x_title="Index", suppressed_label="för få svar"
    )
    (bars,) = figure["data"]
    assert bars["y"] == ["Bygglov"] and bars["x"] == [71.5]
    assert _texts(figure) == ["för få svar"]


def test_choice_shares_use_the_base_and_long_options_wrap() -> None:
    long = "Markupplåtelse, till exempel uteservering eller bygg på allmän plats"
    row = {"label": "Alla", "n": 4, "base": 4, "counts": [3, 2]}  # multiple choice: 5 choices
    figure = charts.distribution_figure([long, "b"], [row], stacked=False, x_title="%")
    go.Figure(figure)
    bars = figure["data"][0]
    assert bars["x"] == [75.0, 50.0]
    assert "<br>" in bars["y"][0] and bars["y"][0].replace("<br>", " ") == long


def test_priority_matrix_shows_each_interval_whole() -> None:
    wide = replace(
        MATRIX,
        factors=tuple(
            replace(f, ci=ConfidenceInterval(f.effect - 3.0, f.effect + 3.0))
            for f in MATRIX.factors
        ),
    )
    figure = charts.priority_figure(wide, names={}, x_title="Index", y_title="Effekt")
    bottom, top = figure["layout"]["yaxis"]["range"]
    assert bottom <= 0.4 - 3.0 and top >= 2.5 + 3.0  # no error bar cut at the plot's edge


def test_a_suppressed_years_words_sit_on_its_category_not_at_the_number() -> None:
    # A note at x "2025" was read as the number 2025 and squeezed every period into one spot.
    figure = charts.trend_figure([charts.Series("NKI", [SHOWN, HIDDEN])], y_title="NKI", **LABELS)
    (note,) = [n for n in figure["layout"]["annotations"] if n.get("xref") == "x"]
    assert note["x"] == 1 and note["text"] == "för få svar"  # the second category, 2025
    assert figure["layout"]["xaxis"]["range"] == [-0.5, 1.5]
