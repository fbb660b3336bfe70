"""The priority page: the overview's period, each effect's interval, a reliability note."""

from __future__ import annotations

import re

from tests.dashboard.helpers import csv_rows


def test_priority_covers_the_overviews_period_with_intervals(demo, login_as) -> None:
    client = login_as("analyst")

    html = client.get("/dashboard/priority").get_data(as_text=True)
    rows = csv_rows(client, "/dashboard/data/priority.csv")

    # The demo answers in 2024 and 2025: the matrix covers 2025 only (14 + 12 + 3 answers,
    # fewer than 30, so the effects are correlation-based, with intervals on n - 2 df).
    assert "Svar från 2025, den period som översikten visar som nu." in html
    assert rows, "the matrix has rows"
    for row in rows:
        low, high = float(row["KI nedre"]), float(row["KI övre"])
        assert low <= float(row["Effekt på NKI (per +5)"]) <= high
        assert row["Kvadranten säker"] in ("ja", "nej")


def test_the_period_follows_the_chosen_dates_and_granularity(demo, login_as) -> None:
    client = login_as("analyst")
    html = client.get("/dashboard/priority?date_to=2024-12-31").get_data(as_text=True)
    assert "Svar från 2024, den period som översikten visar som nu." in html
    overview = client.get("/dashboard?by=quarter").get_data(as_text=True)
    now = re.search(r"<dt>NKI nu \((\d{4}Q\d)", overview)
    assert now is not None and now.group(1) != "2025Q3"  # 3 answers then: too few to report
    html = client.get("/dashboard/priority?by=quarter").get_data(as_text=True)
    assert f"Svar från {now.group(1)}, den period som översikten visar som nu." in html
