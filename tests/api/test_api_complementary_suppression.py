"""Complementary suppression: no hidden cell is the total minus the cells shown beside it.

Hand-worked table (NKI, 2024, split by size; on the shipped battery's 1-6 scales a
respondent answering 6, 6, 6 has NKI 100, 4, 4, 4 has 60 and 1, 1, 1 has 0):

    size      n   NKI
    10-49     8   100.00   (8 × 100 = 800)
    50-249    9    60.00   (9 × 60 = 540)
    250+      1     0.00   under k = 7: hidden on its own
    total    18    74.44   (800 + 540 + 0) / 18 = 1340 / 18

Before, 250+ alone was hidden and 18 × 74.44 − 800 − 540 ≈ 0 gave its company's NKI.
Now the smallest shown cell (10-49, n = 8) is hidden too: the total minus the one shown
cell gives only the 9 hidden respondents together, (1340 − 540) / 9 = 88.89, no cell.
"""

from __future__ import annotations

import csv
import io

import pytest

from survey.services.statistics.disclosure import complement
from tests.statistics.conftest import nki_rows

ROWS = [(6, 6, 6)] * 8 + [(4, 4, 4)] * 9 + [(1, 1, 1)]
SIZES = ["10-49"] * 8 + ["50-249"] * 9 + ["250+"]


def _api(client, secret: str, query: str) -> dict:  # noqa: ANN001
    response = client.get(
        f"/api/v1/stats?battery=nki-myndighetsutovning&{query}",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _recoverable(total: tuple[int, float], cells: list[dict]) -> list[float]:
    """Return what total minus the shown cells gives for each single hidden cell."""
    hidden = [cell for cell in cells if cell["suppressed"]]
    if len(hidden) != 1:
        return []
    n, mean = total
    rest = sum(cell["n"] * cell["mean"] for cell in cells if not cell["suppressed"])
    return [(n * mean - rest) / hidden[0]["n"]]


def test_one_hidden_size_hides_the_smallest_other_everywhere(
    app, client, nki_battery, import_csv, make_token, login_as
) -> None:
    import_csv(*nki_rows(ROWS, "2024-05-10T10:00:00+02:00", size=SIZES))
    secret = make_token("analyst")

    (total,) = _api(client, secret, "by=year")["groups"]
    assert (total["n"], round(total["mean"], 2), total["suppressed"]) == (18, 74.44, False)
    split = {g["split"]: g for g in _api(client, secret, "by=year&split=size")["groups"]}
    assert {k: (g["n"], g["suppressed"]) for k, g in split.items()} == {
        "10-49": (8, True),
        "50-249": (9, False),
        "250+": (1, True),
    }
    assert split["50-249"]["mean"] == 60.0 and split["10-49"]["mean"] is None
    assert _recoverable((18, 74.44), list(split.values())) == []
    shown = split["50-249"]
    together = (18 * 74.44 - shown["n"] * shown["mean"]) / 9
    assert together == pytest.approx(88.89, abs=0.01)  # the two hidden cells only together

    analyst = login_as("analyst")
    text = analyst.get(
        "/exports/aggregates.csv?battery=nki-myndighetsutovning&by=year&split=size"
    ).get_data(as_text=True)
    rows = {row["split"]: row for row in csv.DictReader(io.StringIO(text))}
    assert {k: (r["mean"], r["suppressed"]) for k, r in rows.items()} == {
        "10-49": ("", "true"),
        "50-249": ("60", "false"),
        "250+": ("", "true"),
    }

    page = analyst.get("/dashboard/data/comparison.csv?compare=size").get_data(as_text=True)
    table = {r["Grupp"]: r["Index"] for r in csv.DictReader(io.StringIO(page.lstrip("\ufeff")))}
    assert table == {
        "10-49 anställda": "för få svar",
        "50-249 anställda": "60.0",
        "250+ anställda": "för få svar",
    }


def test_one_hidden_month_hides_another_month_of_its_quarter_and_year(
    app, client, nki_battery, import_csv, make_token
) -> None:
    # January 9 × 100, February 8 × 60, March 2 × 0: Q1 n = 19, (900 + 480) / 19 = 72.63.
    # March (n = 2) is hidden; February, the smallest other month, is hidden with it (10
    # respondents together), so Q1 minus January gives only (1380 − 900) / 10 = 48.
    times = (
        ["2024-01-15T10:00:00+01:00"] * 9
        + ["2024-02-15T10:00:00+01:00"] * 8
        + ["2024-03-15T10:00:00+01:00"] * 2
    )
    rows = [(6, 6, 6)] * 9 + [(4, 4, 4)] * 8 + [(1, 1, 1)] * 2
    import_csv(*nki_rows(rows, times))
    secret = make_token("analyst")

    (quarter,) = _api(client, secret, "by=quarter")["groups"]
    assert (quarter["n"], round(quarter["mean"], 2), quarter["suppressed"]) == (19, 72.63, False)
    months = _api(client, secret, "by=month")["groups"]
    assert [(g["period"], g["n"], g["mean"]) for g in months] == [
        ("2024-01", 9, 100.0),
        ("2024-02", 8, None),
        ("2024-03", 2, None),
    ]
    assert _recoverable((19, 72.63), months) == []
    changes = _api(client, secret, "by=month")["changes"]
    assert all(change["diff"] is None for change in changes)


def test_a_cell_hidden_by_year_stays_hidden_by_month(
    app, client, nki_battery, import_csv, make_token
) -> None:
    # 10-49: 8 × 100 in May; 50-249: 7 × 60 in May and 10 × 60 in June; 250+: 1 × 0 in May.
    # By year: 250+ (n = 1) is hidden and so is 10-49 (n = 8, the smallest other); the total
    # is 26, (800 + 17 × 60 + 0) / 26 = 1820 / 26 = 70.
    # By month, May alone would hide 250+ and 50-249 (7, the smallest other) and show 10-49
    # (8, all in May): the year's hidden 10-49 again, and 26 × 70 − 17 × 60 − 8 × 100 = 0,
    # the 250+ company. So a total hidden in its own query (2024 or 2024Q2 for 10-49) keeps
    # one of its cells hidden: May's 10-49 is hidden instead, with 250+ 9 respondents
    # together, and May's 50-249 is shown (May's 16 minus it gives only those 9 together).
    may, june = "2024-05-10T10:00:00+02:00", "2024-06-10T10:00:00+02:00"
    rows = [(6, 6, 6)] * 8 + [(4, 4, 4)] * 17 + [(1, 1, 1)]
    sizes = ["10-49"] * 8 + ["50-249"] * 17 + ["250+"]
    import_csv(*nki_rows(rows, [may] * 15 + [june] * 10 + [may], size=sizes))
    secret = make_token("analyst")

    (total,) = _api(client, secret, "by=year")["groups"]
    assert (total["n"], total["mean"], total["suppressed"]) == (26, 70.0, False)
    year = _api(client, secret, "by=year&split=size")["groups"]
    assert [(g["split"], g["n"], g["mean"]) for g in year] == [
        ("10-49", 8, None),
        ("250+", 1, None),
        ("50-249", 17, 60.0),
    ]
    months = _api(client, secret, "by=month&split=size")["groups"]
    assert [(g["period"], g["split"], g["n"], g["mean"]) for g in months] == [
        ("2024-05", "10-49", 8, None),
        ("2024-05", "250+", 1, None),
        ("2024-05", "50-249", 7, 60.0),
        ("2024-06", "50-249", 10, 60.0),
    ]
    released = {
        (g["period"][:4], g["split"], g["n"])
        for query in ("by=year", "by=quarter", "by=month")
        for split in ("", "&split=size")
        for g in _api(client, secret, query + split)["groups"]
        if not g["suppressed"]
    }
    assert ("2024", "10-49", 8) not in released and ("2024", "250+", 1) not in released


@pytest.mark.parametrize(
    ("sizes", "hidden", "expected"),
    [
        # one hidden cell: the smallest shown one joins it (3 + 5 = 8 ≥ 7)
        ({"a": 3, "b": 5, "c": 9}, {"a"}, {"a", "b"}),
        # two hidden cells of 1 and 2: together 3 < 7, so the smallest shown (4) joins: 7
        ({"a": 1, "b": 2, "c": 4, "d": 10}, {"a", "b"}, {"a", "b", "c"}),
        # two hidden cells holding 7 or more together: nothing more to hide
        ({"a": 3, "b": 4, "c": 20}, {"a", "b"}, {"a", "b"}),
        # nothing hidden: nothing to complement
        ({"a": 8, "b": 9}, set(), set()),
        # ties go to the earliest label
        ({"a": 2, "b": 8, "c": 8}, {"a"}, {"a", "b"}),
    ],
)
def test_complement_hand_worked_tables(sizes, hidden, expected) -> None:
    cells = {("2024", value): n for value, n in sizes.items()}
    result = complement(cells, {("2024", v) for v in hidden}, "year", split=True, min_n=7)
    assert result == {("2024", v) for v in expected}


def test_complement_hides_a_cell_of_a_total_hidden_elsewhere() -> None:
    # Q1 is hidden in the quarter query; its months 8 + 9 + 10 all pass on their own. The
    # smallest (January, 8) is hidden, then the quarter's table needs a second: February (9).
    cells = {("2024-01", None): 8, ("2024-02", None): 9, ("2024-03", None): 10}
    result = complement(cells, set(), "month", split=False, min_n=7, wholes=[list(cells)])
    assert result == {("2024-01", None), ("2024-02", None)}
