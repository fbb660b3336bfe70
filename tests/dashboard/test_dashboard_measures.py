"""The start page's key measures and SKR's NKI; alpha on the factors page."""

from __future__ import annotations

from tests.dashboard.helpers import csv_rows


def test_overview_shows_key_measures_and_skr_nki(demo, login_as) -> None:
    client = login_as("analyst")

    html = client.get("/dashboard").get_data(as_text=True)
    skr = csv_rows(client, "/dashboard/data/skr.csv")
    key = csv_rows(client, "/dashboard/data/measures.csv")

    assert "NKI enligt SKR:s definition" in html and "Nyckeltal" in html
    # 2025 of the demo: bygglov 14, livsmedel 12, miljö 3 (too few), servering none: the
    # total pools bygglov and livsmedel, 26 answers; not comparable with SKR's ranking.
    by_area = {row["Myndighetsområde"]: row for row in skr}
    assert by_area["NKI totalt"]["Svar"] == "26"
    assert by_area["Bygglov"]["Svar"] == "14"
    assert "Inte jämförbart med SKR:s ranking" in html
    assert [row["Mått"] for row in key][-2:] == ["Svarsfrekvens", "NKI:s trend, enheter per år"]


def test_factors_page_shows_alpha_per_index(demo, login_as) -> None:
    client = login_as("analyst")

    html = client.get("/dashboard/factors").get_data(as_text=True)
    rows = csv_rows(client, "/dashboard/data/alpha.csv")

    assert "Cronbachs alfa" in html
    alphas = {row["Index"]: row["Cronbachs alfa"] for row in rows}
    assert "NKI" in alphas and "Information" in alphas
    assert all(0 < float(value.replace(",", ".")) <= 1 for value in alphas.values())
