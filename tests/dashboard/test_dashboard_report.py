"""The printable report: every chart with its table, human labels, whatever the battery has."""

from __future__ import annotations

from flask import Flask

from tests.dashboard.followup import FOLLOWUP, build_followup
from tests.dashboard.helpers import figures


def test_report_names_the_battery_period_and_date_in_words(demo, login_as) -> None:
    html = login_as("official").get("/dashboard/report?by=year").get_data(as_text=True)
    facts = html[html.index('class="facts report-facts"') : html.index("</dl>")]
    assert "Vad tyckte du om kommunens service i ditt ärende?" in facts
    assert "nki-myndighetsutovning" not in facts  # the battery's title, not its key
    assert "2024 – 2025 (per år)" in facts
    assert "Rapportdatum" in facts and "…" not in facts


def test_report_draws_the_priority_matrix_and_the_funnel(demo, login_as) -> None:
    html = login_as("official").get("/dashboard/report?by=year").get_data(as_text=True)
    matrix = figures(html)["priority"]
    corners = " ".join(note["text"] for note in matrix["layout"]["annotations"])
    for quadrant in ("Prioritera", "Bevara", "Förbättra om möjligt", "Lägre prioritet"):
        assert quadrant in corners
    assert len(matrix["data"][0]["x"]) == 6  # one point per service factor
    funnel = html[html.index('id="report-funnel"') :]
    # 40 invited, 38 delivered (the demo's two unsent are not in the rate), 20 answered.
    assert "20 av 38 levererade inbjudningar besvarades" in funnel and "<table" in funnel


def test_report_of_a_battery_without_service_factors(app: Flask, login_as) -> None:
    with app.app_context():
        build_followup()
    response = login_as("official").get(f"/dashboard/report?battery={FOLLOWUP}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "NKI per period" in html
    assert "Frågebatteriet har inga serviceområden och därför ingen prioriteringsmatris." in html
    assert "report-funnel" not in html  # no invitations: no funnel to show
