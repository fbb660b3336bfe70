"""The priority page: the latest year by default, each effect's interval, a reliability note."""

from __future__ import annotations

from tests.dashboard.helpers import csv_rows


def test_priority_defaults_to_the_latest_year_with_intervals(demo, login_as) -> None:
    client = login_as("analyst")

    html = client.get("/dashboard/priority").get_data(as_text=True)
    rows = csv_rows(client, "/dashboard/data/priority.csv")

    # The demo answers in 2024 and 2025: the matrix covers 2025 only (14 + 12 + 3 answers,
    # fewer than 30, so the effects are correlation-based, with intervals on n - 2 df).
    assert "Svar från 2025, det senaste året." in html
    assert rows, "the matrix has rows"
    for row in rows:
        low, high = float(row["Nedre gräns (95 %)"]), float(row["Övre gräns (95 %)"])
        assert low <= float(row["Effekt på NKI (per +5)"]) <= high
        assert row["Kvadranten säker"] in ("ja", "nej")


def test_chosen_dates_are_kept(demo, login_as) -> None:
    html = (
        login_as("analyst").get("/dashboard/priority?date_from=2024-01-01").get_data(as_text=True)
    )
    assert "det senaste året" not in html
