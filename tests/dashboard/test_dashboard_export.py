"""CSV downloads neutralise formulas; the plotly bundle comes from our server; print report."""

from __future__ import annotations

import re

import pytest

from survey.extensions import db
from survey.models import ServiceArea
from survey.web.dashboard.export import neutralise, table_csv
from survey.web.dashboard.panels import Table
from tests.dashboard.helpers import csv_rows, figures


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+46 70", "'+46 70"),
        ("-1+2", "'-1+2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Bygglov", "Bygglov"),
        (-3.5, -3.5),
        (None, None),
    ],
)
def test_formula_cells_are_neutralised(cell, expected) -> None:
    assert neutralise(cell) == expected


def test_csv_keeps_negative_numbers_as_numbers() -> None:
    text = table_csv(Table(["Namn", "Förändring"], [['=HYPERLINK("x")', -2.5], ["b", None]]))
    assert text.splitlines() == ["Namn,Förändring", '"\'=HYPERLINK(""x"")",-2.5', "b,"]


def test_csv_header_cells_are_neutralised_too() -> None:
    text = table_csv(Table(["=cmd|' /C calc'!A0", "-Förändring", "Index"], [[1.5, -2.5, 3]]))
    assert text.splitlines() == ["'=cmd|' /C calc'!A0,'-Förändring,Index", "1.5,-2.5,3"]


def test_group_names_in_csv_are_neutralised(app, demo, login_as) -> None:
    with app.app_context():
        area = db.session.get(ServiceArea, 1)
        area.name_sv = '=HYPERLINK("http://evil.example")'
        db.session.commit()
    rows = csv_rows(login_as("analyst"), "/dashboard/data/comparison.csv?compare=area")
    assert all(not r["Grupp"].startswith("=") for r in rows)
    assert any(r["Grupp"].startswith("'=HYPERLINK") for r in rows)


def test_plotly_is_served_from_our_own_server(demo, login_as) -> None:
    client = login_as("analyst")
    html = client.get("/dashboard").get_data(as_text=True)
    assert not re.search(r'<script[^>]+src="(https?:)?//', html)  # nothing from elsewhere
    assert "/static/vendor/plotly.min.js?v=" in html
    with client.get("/static/vendor/plotly.min.js") as bundle:
        assert bundle.status_code == 200 and bundle.mimetype == "text/javascript"
        assert "immutable" in bundle.headers["Cache-Control"]
        assert b"plotly" in bundle.data[:2000].lower()


def test_report_draws_its_charts_at_the_width_of_a_printed_page(demo, login_as) -> None:
    html = login_as("official").get("/dashboard/report?by=year").get_data(as_text=True)
    drawn = figures(html)
    assert {"index", "factors", "comparison", "priority", "funnel"} <= set(drawn)
    assert html.count('data-width="640"') == len(drawn)  # every chart, A4 text width
    assert "<svg" not in html  # one definition per chart: plotly's, drawn in the browser
    assert "/static/vendor/plotly.min.js?v=" in html and "dashboard-print.css" in html


def test_unknown_chart_is_404(demo, login_as) -> None:
    assert login_as("analyst").get("/dashboard/data/nope.csv").status_code == 404
