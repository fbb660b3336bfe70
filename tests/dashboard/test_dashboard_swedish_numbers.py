"""Numbers as a Swedish reader expects them: decimal comma on the charts' axes and in the
Excel download, KI (not CI) in every label, plotly's toolbar with a PNG download."""

from __future__ import annotations

import csv
import io
import re

from survey.web.dashboard.export import table_excel_csv
from survey.web.dashboard.panels import Table
from tests.dashboard.helpers import csv_rows, figures


def test_excel_csv_has_semicolons_and_decimal_commas() -> None:
    table = Table(["Namn", "Index", "Svar"], [["=2+2", 66.75, 12], ["Bygglov", None, 0]])
    assert table_excel_csv(table).splitlines() == [
        "Namn;Index;Svar",
        "'=2+2;66,75;12",
        "Bygglov;;0",
    ]


def test_excel_download_beside_each_plain_one(demo, login_as) -> None:
    client = login_as("analyst")
    html = client.get("/dashboard?by=year").get_data(as_text=True)
    assert "/dashboard/data/index-excel.csv?" in html and "/dashboard/data/index.csv?" in html
    assert "Ladda ner för Excel (CSV med semikolon)" in html
    response = client.get("/dashboard/data/index-excel.csv?by=year")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "-excel.csv" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")  # Excel then reads UTF-8
    excel = list(csv.DictReader(io.StringIO(body[1:]), dialect="excel", delimiter=";"))
    plain = csv_rows(client, "/dashboard/data/index.csv?by=year")
    assert [r["Period"] for r in excel] == [r["Period"] for r in plain] == ["2024", "2025"]
    for mine, theirs in zip(excel, plain, strict=True):
        assert float(mine["Index"].replace(",", ".")) == float(theirs["Index"])
        assert "," in mine["Index"] and "." not in mine["Index"]


def test_charts_use_the_decimal_comma_in_swedish_and_the_point_in_english(demo, login_as) -> None:
    client = login_as("official")
    swedish = figures(client.get("/dashboard/priority").get_data(as_text=True))
    assert swedish["priority"]["layout"]["separators"] == ",\u00a0"
    english = figures(client.get("/dashboard/priority?lang=en").get_data(as_text=True))
    assert english["priority"]["layout"]["separators"] == ".,"


def test_intervals_are_called_ki_in_swedish(demo, login_as) -> None:
    client = login_as("official")
    for path in ("/dashboard/factors", "/dashboard/priority", "/dashboard"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"\bCI\b", html), path  # as a word (a CSRF token may hold "CI")
        for figure in figures(html).values():
            names = [str(trace.get("name", "")) for trace in figure["data"]]
            assert not any("CI" in name for name in names), path
    trends = figures(client.get("/dashboard/factors").get_data(as_text=True))["factor-trends"]
    assert "Information: 95 % KI" in [trace.get("name") for trace in trends["data"]]


def test_charts_have_a_toolbar_with_a_png_download_in_the_pages_language(demo, login_as) -> None:
    html = login_as("official").get("/dashboard").get_data(as_text=True)
    assert 'id="plotly-locale"' in html and "Ladda ner diagrammet (PNG)" in html
    assert 'data-figure="figure-index" aria-hidden' not in html  # the toolbar is reachable
