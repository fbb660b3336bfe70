"""Answer distributions: shares of a multiple-choice question are of respondents, not choices."""

from __future__ import annotations

from flask import Flask

from tests.dashboard.followup import FOLLOWUP, build_followup
from tests.dashboard.helpers import csv_rows, figures


def test_multiple_choice_shares_are_of_those_who_answered(app: Flask, login_as) -> None:
    with app.app_context():
        build_followup()
    client = login_as("analyst")
    query = f"battery={FOLLOWUP}&question=HJALP_VIDARE"
    rows = csv_rows(client, f"/dashboard/data/distribution.csv?{query}")
    shares = {r["Svar"]: (int(r["Antal"]), float(r["Andel, procent"])) for r in rows}
    # Nine respondents chose something; 7 of them "natverk" (77.8 %), together over 100 %.
    assert shares["Vi har gått med i ett nätverk för företag"] == (7, 77.8)
    assert shares["Inget av detta ännu"] == (2, 22.2)
    assert sum(share for _count, share in shares.values()) > 100
    html = client.get(f"/dashboard/questions?{query}").get_data(as_text=True)
    assert "varje andel är av de 9 som svarade" in html
    bars = figures(html)["distribution"]["data"][0]
    assert bars["orientation"] == "h"
    assert round(max(bars["x"]), 1) == 77.8
