"""What the statistics may conclude, through the CLI and the dashboard (issue 19: 3, 6, 8, 9, 12).

Every figure is hand-worked in the comments. The shipped NKI battery has a 1-6 scale, so an
item index is ``(x - 1)·20`` and a respondent whose items all equal ``v`` has every index
``(v - 1)·20``.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from survey.services.statistics import statistics
from tests.factories import shipped_battery
from tests.statistics.conftest import NKI_BATTERY, nki_rows

# 69.5 exactly: 17 respondents (5, 5, 4) -> (80 + 80 + 60)/3 = 73.33 and 23 respondents
# (4, 4, 5) -> (60 + 60 + 80)/3 = 66.67; mean = (17·220 + 23·200)/(3·40) = 8340/120 = 69.5.
# Summed in float in another order it is 69.49999999999997: the grade must not depend on it.
HALF = [(5, 5, 4)] * 17 + [(4, 4, 5)] * 23


def _table_row(output: str, period: str) -> list[str]:
    return next(line.split() for line in output.splitlines() if line.startswith(period))


def test_grade_at_exact_half_is_hogt_on_every_path(
    app, nki_battery, import_csv, stats_json, runner, login_as
) -> None:
    import_csv(*nki_rows(HALF, "2024-05-10T10:00:00+02:00"))

    (group,) = stats_json()["groups"]
    table = runner.invoke(args=["stats", "--battery", nki_battery])
    with app.app_context():
        filters = statistics.Filters.from_args({"battery": nki_battery})
        sources = {
            source: statistics.index_report(filters, data=statistics.load(filters, source=source))[
                "groups"
            ][0]
            for source in ("raw", "rollup")
        }
    html = login_as("analyst").get("/dashboard?by=year").get_data(as_text=True)

    assert group["mean"] == pytest.approx(69.5, abs=1e-9) and group["grade"] == "högt"
    assert [g["grade"] for g in sources.values()] == ["högt", "högt"]
    assert _table_row(table.output, "2024")[3] == "70" and "högt" in table.output
    assert 'data-testid="nki-now">70<' in html
    assert re.search(r'data-testid="nki-now">70</span>\s*<span class="figure-sub">högt', html)


def test_constant_answers_give_no_interval_and_no_test(
    nki_battery, import_csv, stats_json, runner, login_as
) -> None:
    # 8 respondents all (5, 5, 5) in 2023 -> 80, 8 all (6, 6, 6) in 2024 -> 100: s = 0.
    times = ["2023-04-01"] * 8 + ["2024-04-01"] * 8
    import_csv(*nki_rows([(5, 5, 5)] * 8 + [(6, 6, 6)] * 8, times))

    report = stats_json()
    table = runner.invoke(args=["stats", "--battery", nki_battery]).output
    html = login_as("analyst").get("/dashboard?by=year").get_data(as_text=True)

    for group, mean in zip(report["groups"], (80.0, 100.0), strict=True):
        assert (group["mean"], group["sd"], group["grade"]) == (mean, 0.0, "mycket högt")
        assert (group["ci_low"], group["ci_high"]) == (None, None)
        assert group["no_interval"] == "no_variance"
    (change,) = report["changes"]
    assert change["diff"] == 20.0
    assert (change["ci_low"], change["p_value"], change["p_holm"]) == (None, None, None)
    assert (change["significant"], change["untested"]) == (None, "no_variance")
    change_row = table.splitlines()[-1].split()  # from to split diff ci_low ci_high p ...
    assert change_row == ["2023", "2024", "-", "20", "-", "-", "-", "-", "-"]
    assert "inget konfidensintervall: alla svar är lika" in html
    assert "inte testad: ingen spridning" in html


def test_minimum_group_of_one_shows_the_value_but_no_grade(
    app, nki_battery, import_csv, stats_json, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP_SIZE", 1)
    import_csv(*nki_rows([(5, 5, 4)], "2024-04-01"))  # (80 + 80 + 60)/3 = 73.33

    (group,) = stats_json()["groups"]

    assert group["mean"] == pytest.approx(220 / 3) and not group["suppressed"]
    assert (group["grade"], group["ci_low"], group["no_interval"]) == (None, None, "one_value")


# information has 3 items (INFO_REGLER, INFO_HANDLINGAR, INFO_GANG): 2 must be answered;
# tillganglighet has 2 (TILLG_KONTAKT, TILLG_SVAR): both must be.
FACTOR_KEYS = ("INFO_REGLER", "INFO_HANDLINGAR", "INFO_GANG", "TILLG_KONTAKT", "TILLG_SVAR")
BOTH_INFO = [(5, 4), (6, 4), (4, 4), (5, 5), (6, 6), (3, 4), (5, 4)]
# -> (80+60)/2 = 70, (100+60)/2 = 80, 60, 80, 100, (40+60)/2 = 50, 70: sum 510, mean 72.857
BOTH_TILLG = [(6, 4), (5, 5), (6, 6), (4, 5), (5, 6), (6, 5), (3, 3)]
# -> (100+60)/2 = 80, 80, 100, 70, 90, 90, 40: sum 550, mean 78.571


def test_factor_index_needs_two_thirds_of_its_items(
    app, nki_battery, import_csv, stats_json
) -> None:
    rows = [[*pair, "", 5, ""] for pair in BOTH_INFO]  # one TILLG item of 2: no index
    rows += [[6, "", "", *pair] for pair in BOTH_TILLG]  # one INFO item of 3: no index
    import_csv(
        ["submitted_at", *FACTOR_KEYS], [["2024-04-01T10:00:00+02:00", *row] for row in rows]
    )

    reports = {i: stats_json("--index", i)["groups"] for i in ("information", "tillganglighet")}
    with app.app_context():
        filters = statistics.Filters.from_args({"battery": NKI_BATTERY})
        raw = statistics.load(filters, source="raw")
        raw_means = {
            i: statistics.index_report(filters, index=i, data=raw)["groups"][0]["mean"]
            for i in reports
        }

    ((info,), (tillg,)) = reports.values()
    assert (info["n"], info["mean"]) == (7, pytest.approx(510 / 7))
    assert (tillg["n"], tillg["mean"]) == (7, pytest.approx(550 / 7))
    assert raw_means == {
        "information": pytest.approx(510 / 7),
        "tillganglighet": pytest.approx(550 / 7),
    }


# Holm over the overview's family. Every respondent gives all 16 scale items the same value,
# so NKI and the six factors have the same respondents' values and the same change:
# 2023: (4, 5)·5 -> 60, 80, ...: mean 70, s² = 10·10²/9 = 111.11
# 2024: 5·8, 4, 6 -> 80·8, 60, 100: mean 80, s² = 2·20²/9 = 88.89
# se² = 111.11/10 + 88.89/10 = 20, se = 4.4721, t = 10/4.4721 = 2.2361,
# ν = 20²/((11.111² + 8.889²)/9) = 17.78, p = 0.0384 < 0.05 for each test alone.
# Holm over 7 equal p-values: 7·p, 6·p, ... with the running maximum: all 7·0.0384 = 0.269.
# 2022: (3, 4)·5 -> mean 50, for the trend: whole years 2022.5, 2023.5, 2024.5 with means
# 50, 70, 80 and n = 10 each: slope = Σn(t - t̄)ȳ / Σn(t - t̄)² = 10·(80 - 50)/20 = 15 a year.
P_ONE = 0.038416346006157225


def _scale_keys() -> list[str]:
    return [q.key for q in shipped_battery(NKI_BATTERY).questions() if q.type == "scale"]


def test_overview_controls_the_family_and_compares_whole_years(
    nki_battery, import_csv, login_as
) -> None:
    keys = _scale_keys()
    values = [3, 4] * 5 + [4, 5] * 5 + [5] * 8 + [4, 6]
    times = ["2022-04-01"] * 10 + ["2023-04-01"] * 10 + ["2024-04-01"] * 10
    # This year, not yet over: 8 answers that must not be compared with a whole year.
    now = (datetime.now(UTC) - timedelta(minutes=5)).isoformat(timespec="seconds")
    values += [6] * 7 + [5]
    times += [now] * 8
    rows = [[t, *[v] * len(keys)] for t, v in zip(times, values, strict=True)]
    import_csv(["submitted_at", *keys], rows)
    client = login_as("analyst")

    html = client.get("/dashboard").get_data(as_text=True)  # default: by year
    text = client.get("/dashboard/data/factors.csv").get_data(as_text=True).lstrip("\ufeff")
    table = list(csv.reader(io.StringIO(text)))

    this_year = now[:4]
    assert f"NKI nu ({this_year}, perioden är inte avslutad)" in html
    assert {row[1] for row in table[1:]} == {"2024"}  # the last whole year, not this one
    for row in table[1:]:
        assert float(row[6]) == pytest.approx(10.0)  # change 2023 -> 2024
        assert float(row[7]) == pytest.approx(P_ONE, rel=1e-9)
        assert float(row[9]) == pytest.approx(7 * P_ONE, rel=1e-9)  # Holm over 7: 0.269
        assert row[8] == "nej"
    assert "signifikant</strong>" not in html
    assert "Trend över 3 hela perioder: +15 per år" in html
    # The NKI sentence gives this year's figure (7·100 + 80)/8 = 97.5 -> 98, without a change
    # from the whole 2024 (a part of a year is not compared with a whole one).
    sentence = re.search(rf"NKI {this_year}: 98 \(95 % KI [^)]*\), mycket högt[^<]*<", html)
    assert sentence is not None and "förändring" not in sentence.group(0)


def test_machine_outputs_keep_full_precision_and_pages_show_whole_points(
    nki_battery, import_csv, stats_json, runner, login_as, tmp_path
) -> None:
    from tests.statistics.conftest import TEN

    # The hand-worked ten: mean 2200/30 = 73.333…, 95 % CI 58.7636–87.9030.
    import_csv(*nki_rows(TEN, "2024-05-10T10:00:00+02:00"))
    client = login_as("analyst")

    (group,) = stats_json()["groups"]
    api = client.get("/dashboard/data/nki.csv?by=year").get_data(as_text=True)
    html = client.get("/dashboard?by=year").get_data(as_text=True)
    table = runner.invoke(args=["stats", "--battery", nki_battery]).output
    runner.invoke(
        args=["responses", "export", "--battery", nki_battery, "-o", str(tmp_path / "s.csv")]
    )
    package = (tmp_path / "datapackage.json").read_text(encoding="utf-8")

    assert group["mean"] == pytest.approx(220 / 3, rel=1e-15)  # not 73.33
    assert "73.33333333333" in api  # the CSV download: full precision
    assert _table_row(table, "2024")[3:7] == ["73", "20", "59", "88"]
    assert 'data-testid="nki-now">73<' in html and "95 % KI 59–88" in html
    assert re.search(r'<td class="num">73</td>\s*<td class="num">59</td>', html)
    assert "full precision" in package and "whole index points" in package
