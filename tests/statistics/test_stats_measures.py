"""`survey stats measures`: NPS, CSAT, alpha, response rate and NKI's trend, hand-worked."""

from __future__ import annotations

import json

import pytest

# 21 respondents of the "blandat" battery (NKI_A and NKI_B on 1-10, equal: NKI = (x - 1)/9·100,
# so 0 or 100), seven a year:
#   2022: one 100, six 0 -> Σy = 100;  2023: three 100 -> 300;  2024: six 100 -> 600.
X = {"2022": [1] * 6 + [10], "2023": [1, 10, 1, 10, 1, 10, 1], "2024": [10] * 6 + [1]}


@pytest.fixture
def answers(mixed_battery, import_csv) -> None:
    rows, passive = [], iter(range(100))
    for year, xs in X.items():
        for x in xs:
            # The ten at 100 recommend with 10; of the eleven at 0, five say 7 and six say 3.
            score = 10 if x == 10 else (7 if next(passive) < 5 else 3)
            rows.append([f"{year}-06-01", x, x, score])
    import_csv(["submitted_at", "NKI_A", "NKI_B", "NPS"], rows, battery=mixed_battery)


def test_measures_hand_worked(answers, runner) -> None:
    result = runner.invoke(args=["stats", "measures", "--battery", "blandat", "--json"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    # NPS: 10 promoters, 5 passives, 6 detractors of 21: 100·(10 - 6)/21 = 19.048.
    assert report["nps"]["NPS"] == {"n": 21, "value": pytest.approx(400 / 21), "suppressed": False}
    # CSAT of the first NKI question: 10 of 21 in the top two boxes (9-10) = 47.619 %.
    assert report["csat"]["NKI_A"]["value"] == pytest.approx(1000 / 21)
    # Two identical items: α = 2·(1 - 2s²/(2s)²) = 1; a one-item index has no alpha.
    assert report["alpha"] == {
        "nki": {"n": 21, "k": 2, "alpha": pytest.approx(1.0), "reason": None}
    }
    # No invitations: no response rate.
    assert report["response_rate"]["rate"] is None
    # Trend: times 2022.5, 2023.5, 2024.5 with n = 7 each: S_tt = 7·(1 + 0 + 1) = 14,
    # S_ty = Σy_2024 - Σy_2022 = 500, slope = 500/14 = 35.714 per year.
    # S_yy = 10·100² - 21·(1000/21)² = 1100000/21 = 52380.95; RSS = S_yy - 500²/14 = 34523.81
    # on 19 df; se = √(34523.81/19/14) = 11.3925; t(0.975, 19) = 2.093024: ± 23.845.
    trend = report["trend"]
    assert (trend["periods"], trend["n"]) == (3, 21)
    assert trend["slope_per_year"] == pytest.approx(500 / 14)
    assert trend["ci_low"] == pytest.approx(500 / 14 - 23.845, abs=0.01)
    assert trend["ci_high"] == pytest.approx(500 / 14 + 23.845, abs=0.01)


def test_measures_table(answers, runner) -> None:
    result = runner.invoke(args=["stats", "measures", "--battery", "blandat"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split() == ["measure", "n", "value", "ci_low", "ci_high"]
    assert lines[2].split() == ["nps", "NPS", "21", "19", "-", "-"]  # whole points in tables
    assert lines[4].split() == ["alpha", "nki", "21", "1.00", "-", "-"]
    assert lines[6].split() == ["nki_trend_per_year", "21", "35.71", "11.87", "59.56"]


def test_api_gives_the_cli_object(app, answers, client, runner, make_user) -> None:
    from survey.services.accounts import api_tokens

    user = make_user("analyst")
    with app.app_context():
        secret = api_tokens.create_token(user.id, "script").secret
    cli = runner.invoke(args=["stats", "measures", "--battery", "blandat", "--json"])

    response = client.get(
        "/api/v1/stats/measures?battery=blandat", headers={"Authorization": f"Bearer {secret}"}
    )

    assert response.status_code == 200
    assert response.get_json() == json.loads(cli.output)


def test_trend_from_raw_answers_equals_rollups(app, answers) -> None:
    from survey.services.dashboards import measures
    from survey.services.statistics import statistics
    from tests.statistics.close import assert_close

    with app.app_context():
        filters = statistics.Filters(battery="blandat")
        raw = statistics.load(filters, roles=["nki"], source="raw")
        rolled = statistics.load(filters, roles=["nki"], source="rollup")
        got = measures.nki_trend(raw, "year", 7)
        assert_close(measures.nki_trend(rolled, "year", 7), got)
        assert got.slope == pytest.approx(500 / 14)
