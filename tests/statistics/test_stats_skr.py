"""`survey stats skr`: NKI totalt by SKR's definition, hand-worked on imported answers."""

from __future__ import annotations

import json

import pytest

from tests.statistics.conftest import TEN, nki_rows

# Respondent NKI of TEN (1-6 scale, I = (x - 1)/5·100, mean of the three items):
# 93.33 80 86.67 53.33 73.33 100 33.33 66.67 86.67 60 -> sum 733.33, mean 73.33.
# TEN[:5] twice: sum 2·386.67 = 773.33 over 10, mean 77.33.


@pytest.fixture
def answers(nki_battery, import_csv) -> None:
    plan = [
        ("bygglov", TEN, "2024-03-01"),
        ("livsmedelskontroll", TEN[:5] * 2, "2024-04-01"),
        ("miljo_halsoskydd", TEN[:9], "2024-05-01"),  # 9 answers: not published
        ("brandskydd", [(6, 6, 6)] * 10, "2024-06-01"),  # not one of the four areas
        ("bygglov", [(1, 1, 1)] * 10, "2023-06-01"),  # an earlier year
    ]
    for area, triples, at in plan:
        import_csv(*nki_rows(triples, at, area=[area] * len(triples)))


def test_skr_total_pools_the_published_mandatory_areas(answers, runner) -> None:
    result = runner.invoke(args=["stats", "skr", "--battery", "nki-myndighetsutovning", "--json"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["year"] == "2024"
    areas = {a["area"]: a for a in report["areas"]}
    assert list(areas) == ["bygglov", "miljo_halsoskydd", "livsmedel", "servering"]
    assert (areas["bygglov"]["n"], areas["bygglov"]["nki"]) == (10, pytest.approx(733.333333 / 10))
    assert (areas["livsmedel"]["n"], areas["livsmedel"]["nki"]) == (10, pytest.approx(77.333333))
    assert (areas["miljo_halsoskydd"]["n"], areas["miljo_halsoskydd"]["nki"]) == (9, None)
    assert (areas["servering"]["n"], areas["servering"]["published"]) == (0, False)
    # Total: bygglov and livsmedel together, (733.33 + 773.33)/20 = 75.33; miljö (9 answers),
    # brandskydd and 2023 left out. Not rankable: two areas unpublished, no invitations.
    assert (report["total"]["n"], report["total"]["nki"]) == (20, pytest.approx(1506.666667 / 20))
    assert report["rankable"] is False
    assert report["unmet"] == ["areas", "response_rate"]


def test_skr_table_and_a_chosen_year(answers, runner) -> None:
    table = runner.invoke(args=["stats", "skr", "--battery", "nki-myndighetsutovning"])
    earlier = runner.invoke(
        args=["stats", "skr", "--battery", "nki-myndighetsutovning", "--year", "2023", "--json"]
    )

    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0] == "nki-myndighetsutovning: NKI enligt SKR:s definition, 2024"
    assert lines[-2].split()[:3] == ["totalt", "20", "75"]
    # 2023: ten bygglov answers of NKI 0; the total needs 20 answers, so it is not shown.
    report = json.loads(earlier.output)
    assert report["areas"][0]["nki"] == pytest.approx(0.0)
    assert (report["total"]["n"], report["total"]["nki"]) == (10, None)
    assert report["unmet"] == ["areas", "answers", "response_rate"]


def test_a_year_that_is_not_a_year_is_refused(answers, runner) -> None:
    result = runner.invoke(
        args=["stats", "skr", "--battery", "nki-myndighetsutovning", "--year", "x"]
    )

    assert result.exit_code == 2
    assert "--year" in result.output and "'x' is not a valid integer" in result.output


def test_api_gives_the_cli_object(app, answers, client, runner, make_user) -> None:
    from survey.services.accounts import api_tokens

    user = make_user("analyst")
    with app.app_context():
        secret = api_tokens.create_token(user.id, "script").secret
    headers = {"Authorization": f"Bearer {secret}"}
    cli = runner.invoke(args=["stats", "skr", "--battery", "nki-myndighetsutovning", "--json"])

    response = client.get("/api/v1/stats/skr?battery=nki-myndighetsutovning", headers=headers)
    bad = client.get("/api/v1/stats/skr?battery=nki-myndighetsutovning&year=24", headers=headers)

    assert response.status_code == 200
    assert response.get_json() == json.loads(cli.output)
    assert bad.status_code == 400 and "four digits" in bad.get_json()["error"]


def test_raw_answers_and_rollups_agree(app, answers) -> None:
    from survey.services.statistics import skr, statistics
    from tests.statistics.close import assert_close

    with app.app_context():
        filters = statistics.Filters(battery="nki-myndighetsutovning")
        raw = skr.skr_nki(filters, source="raw")
        rolled = skr.skr_nki(filters, source="rollup")
        assert_close(rolled, raw)
        assert raw.total.n == 20 and raw.total.mean == pytest.approx(1506.666667 / 20)
