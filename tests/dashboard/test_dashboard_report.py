"""The printable report: every chart as static SVG with its table, whatever the battery has."""

from __future__ import annotations

import re

from flask import Flask

from tests.dashboard.followup import FOLLOWUP, build_followup


def test_report_draws_the_priority_matrix_and_the_funnel(demo, login_as) -> None:
    html = login_as("official").get("/dashboard/report?by=year").get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 4  # NKI trend, factors, comparison, priority matrix
    matrix = next(svg for svg in svgs if 'aria-label="Prioriteringsmatris"' in svg)
    for quadrant in ("Prioritera", "Bevara", "Förbättra om möjligt", "Lägre prioritet"):
        assert f">{quadrant}<" in matrix
    assert matrix.count("<circle") == 6  # one point per service factor
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
    assert "Frågebatteriet har inga serviceområden." in html
    assert "report-funnel" not in html  # no invitations: no funnel to show
