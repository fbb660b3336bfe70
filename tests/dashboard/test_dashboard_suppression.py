"""Groups under the minimum size show "för få svar" and no value, on pages and in CSV."""

from __future__ import annotations

import re

from tests.dashboard.helpers import csv_rows


def test_suppressed_area_shows_words_not_numbers(demo, login_as) -> None:
    client = login_as("analyst")
    rows = csv_rows(client, "/dashboard/data/comparison.csv?compare=area")
    small = next(r for r in rows if r["Grupp"].startswith("Miljö"))
    assert small["Index"] == "för få svar"
    assert small["KI nedre"] == small["KI övre"] == small["Betyg"] == ""
    html = client.get("/dashboard").get_data(as_text=True)
    row = re.search(r"<th scope=\"row\">Miljö[^<]*</th>(.*?)</tr>", html, re.S)
    assert row and "för få svar" in row.group(1)
    assert not re.search(r"\d+,\d", row.group(1))  # only the count, no index or interval


def test_filter_to_a_small_group_suppresses_every_figure(demo, login_as) -> None:
    client = login_as("official")
    html = client.get("/dashboard?area=miljo_halsoskydd").get_data(as_text=True)
    assert 'data-testid="nki-now">för få svar<' in html
    rows = csv_rows(client, "/dashboard/data/nki.csv?area=miljo_halsoskydd")
    assert rows and all(r["Index"] == "för få svar" for r in rows)
    matrix = client.get("/dashboard/priority?area=miljo_halsoskydd").get_data(as_text=True)
    assert "Prioriteringsmatris: för få svar" in matrix
    assert 'id="figure-priority"' not in matrix
    answers = client.get("/dashboard/questions?area=miljo_halsoskydd&question=NKI_HELHET")
    assert "för få svar" in answers.get_data(as_text=True)


def test_suppressed_tables_say_too_few_with_the_count(demo, login_as) -> None:
    client = login_as("analyst")
    small = "area=miljo_halsoskydd"
    answers = csv_rows(client, f"/dashboard/data/distribution.csv?{small}&question=NKI_HELHET")
    assert answers == [{"Svar": "Alla svar", "Antal": "3", "Andel, procent": "för få svar"}]
    matrix = csv_rows(client, f"/dashboard/data/priority.csv?{small}")
    assert [(r["Serviceområde"], r["Index"]) for r in matrix] == [
        ("Alla serviceområden (3 svar)", "för få svar")
    ]
    for page in (f"/dashboard/priority?{small}", f"/dashboard/questions?{small}"):
        html = client.get(page).get_data(as_text=True)
        assert "Inga svar ännu" not in html, page  # there are answers, only too few
