"""`survey stats` and the services give what survey.stats gives on the same arrays."""

from __future__ import annotations

import numpy as np
import pytest

from survey.services.statistics import statistics
from survey.stats import (
    change,
    estimate,
    holm,
    item_index,
    priority_matrix,
    required_items,
    respondent_index,
)
from tests.statistics.close import assert_close
from tests.statistics.conftest import NKI_KEYS, TEN, nki_rows

FACTORS = {  # in the battery's order
    "information": ("INFO_REGLER", "INFO_HANDLINGAR", "INFO_GANG"),
    "tillganglighet": ("TILLG_KONTAKT", "TILLG_SVAR"),
    "bemotande": ("BEMOT_LYSSNA", "BEMOT_SATT", "BEMOT_LOSNING"),
    "kompetens": ("KOMP_KUNSKAP", "KOMP_RAD"),
    "rattssakerhet": ("RATT_FORSTA", "RATT_LIKA"),
    "effektivitet": ("EFFEKT_TID", "EFFEKT_SMIDIGT"),
}
YEARS = ("2022", "2023", "2024")
PAIRS = (("2022", "2023"), ("2023", "2024"))


def _full(value):
    """JSON keeps full precision: equal to the pure function's value up to float noise."""
    return None if value is None else pytest.approx(value, rel=1e-9, abs=1e-9)


def _random_data(seed: int, n: int = 90):
    """Return (keys, answers with NaN for blanks, years) of a seeded random sample."""
    rng = np.random.default_rng(seed)
    keys = [*NKI_KEYS, *(k for items in FACTORS.values() for k in items)]
    answers = rng.integers(1, 7, size=(n, len(keys))).astype(float)
    answers[rng.random(answers.shape) < 0.15] = np.nan
    years = rng.choice(YEARS, size=n, p=[0.2, 0.35, 0.45])
    return keys, answers, years


def _import(import_csv, keys, answers, years) -> None:
    rows = [
        [f"{year}-06-15T12:00:00+02:00", *("" if np.isnan(v) else int(v) for v in row)]
        for row, year in zip(answers, years, strict=True)
    ]
    import_csv(["submitted_at", *keys], rows)


def _expected(columns: np.ndarray, years: np.ndarray, min_answered: int):
    values = respondent_index(item_index(columns, k=6), min_answered=min_answered)
    kept = ~np.isnan(values)
    return {year: values[kept & (years == year)] for year in YEARS}


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(("index", "min_answered"), [("nki", 2), ("information", 2)])
def test_stats_equals_the_pure_functions_on_random_data(
    nki_battery, import_csv, stats_json, seed, index, min_answered
) -> None:
    keys, answers, years = _random_data(seed)
    _import(import_csv, keys, answers, years)
    items = NKI_KEYS if index == "nki" else FACTORS[index]
    groups = _expected(answers[:, [keys.index(k) for k in items]], years, min_answered)

    report = stats_json("--index", index)

    for got, year in zip(report["groups"], YEARS, strict=True):
        want = estimate(groups[year], min_n=7)
        assert got["period"] == year
        assert got["n"] == want.n
        assert got["mean"] == _full(want.mean)
        assert got["sd"] == _full(want.sd)
        assert got["ci_low"] == _full(want.ci.low)
        assert got["ci_high"] == _full(want.ci.high)
        assert got["grade"] == want.grade
    for got, (before, after) in zip(report["changes"], PAIRS, strict=True):
        want = change(groups[before], groups[after], min_n=7)
        assert (got["from"], got["to"]) == (before, after)
        assert got["diff"] == _full(want.difference)
        assert got["ci_low"] == _full(want.ci.low)
        assert got["ci_high"] == _full(want.ci.high)
        assert got["p_value"] == _full(want.p_value)
    # The report's changes are one family: significance is Holm's adjusted p under 0.05.
    raw = [change(groups[b], groups[a], min_n=7).p_value for b, a in PAIRS]
    adjusted = holm(raw)
    assert [c["p_holm"] for c in report["changes"]] == [_full(p) for p in adjusted]
    assert [c["significant"] for c in report["changes"]] == [p < 0.05 for p in adjusted]


def test_change_between_two_years_equals_welch(nki_battery, import_csv, stats_json) -> None:
    later = [(6, 6, 6), (6, 5, 6), (5, 6, 6), (6, 6, 5), (5, 5, 6), (6, 6, 6), (5, 6, 5), (6, 6, 6)]
    times = ["2023-04-01"] * len(TEN) + ["2024-04-01"] * len(later)
    import_csv(*nki_rows(TEN + later, times))

    got = stats_json()["changes"]

    before = respondent_index(item_index(np.array(TEN), k=6))
    after = respondent_index(item_index(np.array(later), k=6))
    want = change(before, after)
    assert got == [
        {
            "from": "2023",
            "to": "2024",
            "split": None,
            "diff": _full(want.difference),
            "ci_low": _full(want.ci.low),
            "ci_high": _full(want.ci.high),
            "p_value": _full(want.p_value),
            "p_holm": _full(want.p_value),  # a family of one change: Holm changes nothing
            "significant": True,
            "untested": None,
        }
    ]


def test_priority_and_factor_summary_equal_the_pure_functions(app, nki_battery, import_csv) -> None:
    keys, answers, years = _random_data(7, n=300)  # 2 of 2 items: ~22 % complete, over 60
    _import(import_csv, keys, answers, years)
    columns = {k: answers[:, keys.index(k)] for k in keys}
    nki = respondent_index(item_index(np.column_stack([columns[k] for k in NKI_KEYS]), k=6))
    factors = {
        name: respondent_index(
            item_index(np.column_stack([columns[k] for k in items]), k=6),
            min_answered=required_items(len(items)),
        )
        for name, items in FACTORS.items()
    }

    with app.app_context():
        filters = statistics.Filters.from_args({"battery": nki_battery})
        raw = statistics.load(filters, source="raw")
        got = statistics.priority(filters, data=raw)
        summary = statistics.factor_summary(filters, by="year", data=raw)
        # The default path reads the rollups: the same results, to rounding.
        assert_close(statistics.priority(filters), got)
        assert_close(statistics.factor_summary(filters, by="year"), summary)

    # The service asks 10 respondents per factor for the regression: max(30, 10·6) = 60.
    want = priority_matrix(
        nki, np.column_stack(list(factors.values())), names=list(FACTORS), min_n=60
    )
    assert got == want
    assert got.n >= 60 and got.method == "ols"
    by_factor = {s.factor: s for s in summary}
    for name, values in factors.items():
        latest = values[(years == "2024") & ~np.isnan(values)]
        previous = values[(years == "2023") & ~np.isnan(values)]
        assert by_factor[name].period == "2024"
        assert by_factor[name].estimate == estimate(latest, min_n=7)
        assert by_factor[name].previous_period == "2023"
        assert by_factor[name].change == change(previous, latest, min_n=7)
