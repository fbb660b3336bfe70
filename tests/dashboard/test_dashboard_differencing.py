"""The dashboard refuses the differencing attack: a date range that leaves out only the
three August 2025 answers would give them by subtraction from the whole, so it shows
"för få svar" where the whole range shows figures (statistics_disclosure)."""

from __future__ import annotations

from tests.dashboard.helpers import csv_rows

CUT = "date_to=2025-07-31"  # all but the three August 2025 answers
WHOLE = "date_to=2025-08-31"


def test_answer_distribution_of_a_range_short_of_a_few_is_suppressed(demo, login_as) -> None:
    client = login_as("analyst")
    path = "/dashboard/data/distribution.csv?question=NKI_HELHET&"
    cut, whole = csv_rows(client, path + CUT), csv_rows(client, path + WHOLE)
    assert cut == [{"Svar": "Alla svar", "Antal": "60", "Andel, procent": "för få svar"}]
    assert len(whole) > 1 and all(r["Andel, procent"] != "för få svar" for r in whole)


def test_nki_of_a_year_short_of_a_few_is_suppressed(demo, login_as) -> None:
    client = login_as("analyst")
    cut = csv_rows(client, f"/dashboard/data/nki.csv?by=year&{CUT}")
    whole = csv_rows(client, f"/dashboard/data/nki.csv?by=year&{WHOLE}")
    assert [r["Index"] for r in cut][-1] == "för få svar"  # 2025 without August
    assert "för få svar" not in [r["Index"] for r in whole]


def test_a_day_more_or_less_changes_nothing(demo, login_as) -> None:
    client = login_as("analyst")
    one = csv_rows(client, "/dashboard/data/nki.csv?by=quarter&date_from=2024-05-02")
    other = csv_rows(client, "/dashboard/data/nki.csv?by=quarter&date_from=2024-05-31")
    assert one == other
