"""The differencing attack: no two API figures isolate fewer than k respondents.

Seven companies answered in May 2024 and one in June. Before, ``date_to=2024-06-14``
gave NKI over the seven and ``date_to=2024-06-20`` over all eight, so the June company's
NKI was 8·mean8 − 7·mean7. Now dates widen to whole months and a group that a
neighbouring query could tell apart by fewer than 7 respondents is suppressed.
"""

from __future__ import annotations

from itertools import combinations

from tests.statistics.conftest import nki_rows

SEVEN = [(6, 6, 5), (5, 5, 5), (6, 5, 5), (4, 4, 3), (5, 5, 4), (6, 6, 6), (3, 3, 2)]
LONE = (1, 1, 1)  # the June company's answers: far from the others'


def _stats(client, secret: str, query: str) -> dict:  # noqa: ANN001
    response = client.get(
        f"/api/v1/stats?battery=nki-myndighetsutovning&{query}",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _released(report: dict) -> list[tuple[int, float]]:
    return [(g["n"], g["mean"]) for g in report["groups"] if not g["suppressed"]]


QUERIES = [
    "by=year",
    "by=year&date_to=2024-06-14",
    "by=year&date_to=2024-06-20",
    "by=year&date_to=2024-05-31",
    "by=year&date_from=2024-06-01",
    "by=quarter&date_to=2024-05-31",
    "by=quarter",
    "by=month",
    "by=month&date_from=2024-05-01&date_to=2024-05-31",
]


def test_two_date_ranges_never_give_one_respondent(
    app, client, nki_battery, import_csv, make_token
) -> None:
    times = ["2024-05-10T10:00:00+02:00"] * 7 + ["2024-06-15T10:00:00+02:00"]
    import_csv(*nki_rows([*SEVEN, LONE], times))
    secret = make_token("analyst")

    day_before, day_after = (
        _stats(client, secret, f"by=year&date_to=2024-06-{day}")["groups"] for day in (14, 20)
    )
    assert day_before == day_after  # both mean the whole of June

    released = {q: _released(_stats(client, secret, q)) for q in QUERIES}
    figures = {figure for found in released.values() for figure in found}
    assert figures == {released["by=year"][0]}  # only the whole group of eight, n = 8
    assert released["by=year"][0][0] == 8
    for (n1, _m1), (n2, _m2) in combinations(figures, 2):
        assert not 0 < abs(n1 - n2) < 7


def test_a_nested_filter_one_respondent_smaller_is_suppressed(
    app, client, nki_battery, import_csv, make_token
) -> None:
    sizes = ["10-49"] * 7 + ["250+"]
    import_csv(*nki_rows([*SEVEN, LONE], "2024-05-10T10:00:00+02:00", size=sizes))
    secret = make_token("analyst")

    assert _released(_stats(client, secret, "by=year"))[0][0] == 8
    assert _released(_stats(client, secret, "by=year&where=size=10-49")) == []
    split = _stats(client, secret, "by=year&split=size")
    assert [g["suppressed"] for g in split["groups"]] == [True, True]
