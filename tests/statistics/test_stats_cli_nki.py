"""`survey stats` on imported responses: the issue's hand-worked NKI example and its options."""

from __future__ import annotations

import pytest

from survey.cli.stats import _cell
from tests.statistics.conftest import TEN, nki_rows


def test_ten_respondents_give_the_hand_worked_nki(nki_battery, import_csv, stats_json) -> None:
    import_csv(*nki_rows(TEN, "2024-05-10T10:00:00+02:00"))

    report = stats_json()

    assert report == {
        "battery": "nki-myndighetsutovning",
        "index": "nki",
        "by": "year",
        "groups": [
            {
                "period": "2024",
                "split": None,
                "n": 10,
                # Full precision (JSON is a machine output): mean 2200/30 = 73.3333,
                # sd 20.3670, se 20.3670/√10 = 6.4407, t(0.975, 9) = 2.2622, half 14.5698.
                "mean": pytest.approx(220 / 3, rel=1e-12),
                "sd": pytest.approx(20.3670, abs=1e-4),
                "ci_low": pytest.approx(58.7636, abs=1e-4),
                "ci_high": pytest.approx(87.9030, abs=1e-4),
                "grade": "högt",
                "suppressed": False,
                "no_interval": None,
            }
        ],
        "changes": [],
    }


def test_table_output_is_aligned_and_readable(nki_battery, import_csv, runner) -> None:
    import_csv(*nki_rows(TEN, "2024-05-10"))

    result = runner.invoke(args=["stats", "--battery", nki_battery])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "nki-myndighetsutovning: nki by year"
    assert lines[1].split() == ["period", "split", "n", "mean", "sd", "ci_low", "ci_high", "grade"]
    # Whole index points in the table (the method's precision): 73.33 -> 73, 58.76 -> 59.
    assert lines[2].split() == ["2024", "-", "10", "73", "20", "59", "88", "högt"]
    assert lines[1].index("mean") + len("mean") == lines[2].index("73") + len("73")


def test_answer_at_2330_utc_on_new_years_eve_belongs_to_the_next_year(
    nki_battery, import_csv, stats_json
) -> None:
    times = ["2023-12-31T23:30:00Z"] * 7 + ["2023-12-31T22:59:00+00:00"] * 7
    import_csv(*nki_rows(TEN[:7] * 2, times))

    groups = stats_json()["groups"]

    assert [(g["period"], g["n"]) for g in groups] == [("2023", 7), ("2024", 7)]


@pytest.mark.parametrize(
    ("by", "labels"),
    [
        ("quarter", ["2024Q1", "2024Q2", "2024Q4"]),
        ("month", ["2024-03", "2024-04", "2024-10"]),
        ("year", ["2024"]),
    ],
)
def test_period_labels(nki_battery, import_csv, stats_json, by, labels) -> None:
    times = ["2024-03-31T22:30:00Z", "2024-03-31T21:30:00Z", "2024-10-01T00:00:00+02:00"]
    import_csv(*nki_rows(TEN[:3], times))

    groups = stats_json("--by", by)["groups"]

    assert [g["period"] for g in groups] == labels


def test_small_groups_keep_n_but_hide_every_value(nki_battery, import_csv, stats_json) -> None:
    times = ["2023-06-01"] * 6 + ["2024-06-01"] * 10
    import_csv(*nki_rows(TEN[:6] + TEN, times))

    report = stats_json()

    small = report["groups"][0]
    assert small == {
        "period": "2023",
        "split": None,
        "n": 6,
        "mean": None,
        "sd": None,
        "ci_low": None,
        "ci_high": None,
        "grade": None,
        "suppressed": True,
        "no_interval": None,
    }
    assert report["changes"] == [
        {
            "from": "2023",
            "to": "2024",
            "split": None,
            "diff": None,
            "ci_low": None,
            "ci_high": None,
            "p_value": None,
            "p_holm": None,
            "significant": None,
            "untested": None,
        }
    ]


def test_split_by_area_industry_and_size(nki_battery, import_csv, stats_json) -> None:
    areas = ["bygglov"] * 7 + ["LIVSMEDELSKONTROLL"] * 3
    industries = ["F"] * 5 + ["47.111"] * 5
    sizes = ["1-9"] * 8 + ["250+", None]
    import_csv(*nki_rows(TEN, "2024-02-01", area=areas, industry=industries, size=sizes))

    by_area = stats_json("--split", "area")["groups"]
    by_industry = stats_json("--split", "industry")["groups"]
    by_size = stats_json("--split", "size")["groups"]

    # Seven is enough on its own, but the year's ten less these seven would give the other
    # three by subtraction: bygglov is suppressed too (statistics_disclosure).
    assert [(g["split"], g["n"], g["suppressed"]) for g in by_area] == [
        ("bygglov", 7, True),
        ("livsmedel", 3, True),
    ]
    assert [(g["split"], g["n"]) for g in by_industry] == [("F", 5), ("G", 5)]
    assert [(g["split"], g["n"]) for g in by_size] == [("1-9", 8), ("250+", 1), (None, 1)]


@pytest.mark.parametrize(
    ("where", "n"),
    [
        ("area=bygglov", 7),
        ("industry=G", 5),
        ("size=1-9", 8),
        ("mode=import", 10),
        ("mode=web", 0),
        ("date_from=2024-02-20", 3),  # dates widen to whole months
        ("date_to=2024-01-05", 7),
    ],
)
def test_where_filters(nki_battery, import_csv, stats_json, where, n) -> None:
    areas = ["bygglov"] * 7 + ["miljo_halsoskydd"] * 3
    industries = ["F"] * 5 + ["G"] * 5
    sizes = ["1-9"] * 8 + ["250+"] * 2
    # 23:30 UTC on 31 January is 1 February in Stockholm.
    times = ["2024-01-31T12:00:00Z"] * 7 + ["2024-01-31T23:30:00Z"] * 3
    import_csv(*nki_rows(TEN, times, area=areas, industry=industries, size=sizes))

    groups = stats_json("--where", where)["groups"]

    assert sum(g["n"] for g in groups) == n


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--where", "colour=red"], "colour"),
        (["--where", "size=huge"], "huge"),
        (["--where", "date_from=yesterday"], "yesterday"),
        (["--where", "area=nowhere"], "nowhere"),
        (["--where", "noequals"], "FIELD=VALUE"),
        (["--index", "charm"], "charm"),
        (["--by", "week"], "week"),
        (["--battery", "nope"], "nope"),
    ],
)
def test_bad_options_give_one_clear_line(nki_battery, runner, args, message) -> None:
    result = runner.invoke(args=["stats", "--battery", nki_battery, *args])

    assert result.exit_code != 0
    error_lines = [line for line in result.output.splitlines() if line.startswith(("Error", "Fel"))]
    assert len(error_lines) == 1
    assert message in error_lines[0]


@pytest.mark.parametrize(
    ("value", "column", "text"),
    [
        (0.9, "diff", "1"),  # whole index points, half up (as the grade)
        (-0.25, "ci_low", "0"),
        (69.49999999999999, "mean", "70"),  # float noise of 69.5: printed 70, grade "högt"
        (69.499, "mean", "69"),
        (0.01234, "p_value", "0.012"),
        (0.0004, "p_holm", "<0.001"),
        (73.333, "nki", "73"),
        (None, "diff", "-"),
        (True, "significant", "yes"),
    ],
)
def test_table_cells_give_whole_points_and_p_values_three_decimals(value, column, text) -> None:
    assert _cell(value, column) == text
