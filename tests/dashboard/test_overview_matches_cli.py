"""The dashboard's figures equal those of `survey stats --json` for the same filters."""

from __future__ import annotations

import pytest

from survey.stats.grades import round_half_up
from tests.dashboard.helpers import cli_report, csv_rows, figures


def _same_numbers(rows: list[dict[str, str]], groups: list[dict]) -> None:
    assert [r["Period"] for r in rows] == [g["period"] for g in groups]
    for row, group in zip(rows, groups, strict=True):
        assert int(row["Svar"]) == group["n"]
        if group["suppressed"]:
            assert row["Index"] == "för få svar"
            assert row["KI nedre"] == row["KI övre"] == row["Betyg"] == ""
        else:
            assert float(row["Index"]) == group["mean"]
            assert float(row["KI nedre"]) == group["ci_low"]
            assert float(row["KI övre"]) == group["ci_high"]
            assert row["Betyg"] == group["grade"]


@pytest.mark.parametrize(
    ("query", "cli_args"),
    [
        ("by=quarter", ["--by", "quarter"]),
        ("by=year", ["--by", "year"]),
        ("by=year&area=bygglov", ["--by", "year", "--where", "area=bygglov"]),
        ("by=month&date_from=2025-01-01", ["--by", "month", "--where", "date_from=2025-01-01"]),
    ],
)
def test_nki_numbers_equal_the_cli(demo, login_as, runner, query, cli_args) -> None:
    client = login_as("analyst")
    report = cli_report(runner, demo.battery, *cli_args)
    rows = csv_rows(client, f"/dashboard/data/nki.csv?{query}")
    _same_numbers(rows, report["groups"])
    html = client.get(f"/dashboard?{query}").get_data(as_text=True)
    trend = figures(html)["index"]
    line = next(t for t in trend["data"] if t.get("mode") == "lines+markers")
    expected = [None if g["suppressed"] else g["mean"] for g in report["groups"]]
    assert line["y"] == expected


def test_overview_states_the_latest_figure_and_change_in_words(demo, login_as, runner) -> None:
    report = cli_report(runner, demo.battery, "--by", "quarter")
    shown = [g for g in report["groups"] if not g["suppressed"]]
    latest = shown[-1]
    change = next(c for c in report["changes"] if c["to"] == latest["period"])
    html = login_as("official").get("/dashboard?by=quarter").get_data(as_text=True)
    words = "signifikant" if change["significant"] else "ej signifikant"
    diff = round_half_up(change["diff"])
    sign = f"+{diff}" if diff > 0 else str(diff).replace("-", "−")
    expected = (
        f"NKI {latest['period']}: {round_half_up(latest['mean'])} "
        f"(95 % KI {round_half_up(latest['ci_low'])}–{round_half_up(latest['ci_high'])}), "
        f"{latest['grade']}; förändring {sign}, {words}"
    )
    assert expected in html


def test_filters_in_the_url_change_the_numbers(demo, login_as) -> None:
    client = login_as("analyst")
    everyone = csv_rows(client, "/dashboard/data/nki.csv?by=year")
    building = csv_rows(client, "/dashboard/data/nki.csv?by=year&area=bygglov")
    food = csv_rows(client, "/dashboard/data/nki.csv?by=year&area=livsmedel")
    assert everyone != building != food
    assert sum(int(r["Svar"]) for r in building) < sum(int(r["Svar"]) for r in everyone)
    page = client.get("/dashboard?by=year&area=bygglov").get_data(as_text=True)
    assert 'value="bygglov" selected' in page or 'selected value="bygglov"' in page
    assert "area=bygglov" in page  # links keep the filters (bookmarkable, CSV same view)


def test_comparison_and_factor_numbers_equal_the_cli(demo, login_as, runner) -> None:
    client = login_as("analyst")
    by_area = cli_report(runner, demo.battery, "--by", "year", "--split", "area")
    latest = max(g["period"] for g in by_area["groups"])
    expected = {g["split"]: g for g in by_area["groups"] if g["period"] == latest}
    rows = csv_rows(client, "/dashboard/data/comparison.csv?compare=area")
    assert len(rows) == len(expected)
    for row, group in zip(rows, expected.values(), strict=True):
        assert int(row["Svar"]) == group["n"]
        value = row["Index"]
        assert value == "för få svar" if group["suppressed"] else float(value) == group["mean"]
    info = cli_report(runner, demo.battery, "--by", "year", "--index", "information")
    factors = csv_rows(client, "/dashboard/data/factors.csv?by=year")
    first = next(r for r in factors if r["Serviceområde"] == "Information")
    assert first["Period"] == info["groups"][-1]["period"]
    assert float(first["Index"]) == info["groups"][-1]["mean"]
    assert float(first["Förändring"]) == info["changes"][-1]["diff"]
