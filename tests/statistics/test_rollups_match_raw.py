"""Statistics from the index rollups equal those from raw answers, whatever wrote the data.

Responses come from the respondents' path (store_response with surveys), interview mode,
the generator, a CSV import through the CLI, and then a tenth are deleted; every overview
statistic (index groups and changes per period and split, factor summaries, the priority
matrix, the number of answers) is computed both ways and compared to 1e-9, for filters that
read month rows, day rows of cut months, and the full cuboid. A rebuild from raw answers
gives the same rollup rows as the incremental updates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from flask import Flask
from sqlalchemy import select

from survey.demo.responses import generate_responses
from survey.extensions import db
from survey.models import Company, Response, ServiceArea, Visit, index_rollups
from survey.models.rollup import KEY_COLUMNS, VALUE_COLUMNS
from survey.services.dashboards import dashboard
from survey.services.privacy.response_deletion import delete_responses
from survey.services.respondents.interview import record_interview
from survey.services.statistics import statistics
from tests.dashboard.conftest import build_demo
from tests.statistics.close import assert_close

# Every statistic on many filter sets, from rollups and from raw answers.
pytestmark = pytest.mark.slow

INDICES = ("nki", "information", "tillganglighet", "bemotande", "kompetens",
           "rattssakerhet", "effektivitet")  # fmt: skip
SCALE_KEYS = ("INFO_REGLER", "INFO_HANDLINGAR", "INFO_GANG", "TILLG_KONTAKT", "TILLG_SVAR",
              "BEMOT_LYSSNA", "BEMOT_SATT", "BEMOT_LOSNING", "KOMP_KUNSKAP", "KOMP_RAD",
              "RATT_FORSTA", "RATT_LIKA", "EFFEKT_TID", "EFFEKT_SMIDIGT", "NKI_HELHET",
              "NKI_FORVANTAN", "NKI_IDEAL")  # fmt: skip
TODAY = datetime.now(UTC).date()
# (filters, by, split): month rows of cuboids with 0-1 dimensions, the full cuboid (2 or 3
# dimensions), day rows (full cuboid) of months cut by the date range, a range inside one month.
CASES = [
    ({}, "quarter", "area"),
    ({"area": "bygglov"}, "month", "industry"),
    ({"industry": "F", "size": "1-9"}, "year", "area"),
    ({"date_from": "2024-02-14", "date_to": "2025-03-09"}, "quarter", "size"),
    ({"date_from": "2024-05-02", "date_to": "2025-11-30", "area": "livsmedel"}, "month", "size"),
    ({"mode": "interview"}, "year", "area"),
    ({"survey_id": "1"}, "quarter", "industry"),
    ({"date_from": (TODAY - timedelta(days=400)).isoformat()}, "month", "area"),
    ({"date_from": "2025-05-03", "date_to": "2025-05-20"}, "year", "area"),
]


def _answers(rng: np.random.Generator) -> dict[str, Any]:
    answers: dict[str, Any] = {"OMRADE": "bygglov"}
    for key in SCALE_KEYS:
        draw = rng.random()
        if draw < 0.1:
            continue
        answers[key] = (
            "dont_know" if draw < 0.15 and not key.startswith("NKI") else int(rng.integers(1, 7))
        )
    return answers


def _interviews(rng: np.random.Generator, count: int) -> None:
    company = db.session.scalars(select(Company).order_by(Company.id)).first()
    area = db.session.scalar(select(ServiceArea.id).where(ServiceArea.key == "brandskydd"))
    visits = [
        Visit(company_id=company.id, visit_date=TODAY, service_area_id=area) for _ in range(count)
    ]  # one interview per visit and version
    db.session.add_all(visits)
    db.session.commit()
    for visit in visits:
        record_interview(
            visit.id, "nki-myndighetsutovning", _answers(rng), language="sv", actor_id=None
        )


def _import_rows(rng: np.random.Generator, count: int) -> tuple[list[str], list[list[Any]]]:
    header = ["submitted_at", "area", "industry", "size", "survey", *SCALE_KEYS]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows = []
    for _ in range(count):
        when = start + timedelta(minutes=int(rng.integers(0, 700 * 24 * 60)))
        values = ["" if rng.random() < 0.15 else int(rng.integers(1, 7)) for _ in SCALE_KEYS]
        rows.append(
            [
                when.isoformat(),
                rng.choice(["bygglov", "livsmedel", "brandskydd", ""]),
                rng.choice(["F", "G", "C", ""]),
                rng.choice(["1-9", "10-49", ""]),
                "1" if rng.random() < 0.3 else "",
                *values,
            ]
        )
    return header, rows


def _rollup_rows() -> dict[tuple, tuple]:
    columns = [index_rollups.c[name] for name in (*KEY_COLUMNS, *VALUE_COLUMNS)]
    rows = db.session.connection().execute(select(*columns))
    return {tuple(row[: len(KEY_COLUMNS)]): tuple(row[len(KEY_COLUMNS) :]) for row in rows}


def _compare(arguments: dict[str, str], by: str, split: str) -> None:
    filters = statistics.Filters.from_args({"battery": "nki-myndighetsutovning", **arguments})
    raw = statistics.load(filters, split=split, source="raw")
    rolled = statistics.load(filters, split=split, source="rollup")
    # min_n 2 reports (nearly) every group; the split is shown for NKI.
    for index, chosen in [*((i, None) for i in INDICES), ("nki", split)]:
        want = statistics.index_groups(filters, index=index, by=by, split=chosen, min_n=2, data=raw)
        got = statistics.index_groups(
            filters, index=index, by=by, split=chosen, min_n=2, data=rolled
        )
        assert_close(_plain(got), _plain(want))
    for min_n in (2, 7):
        want = statistics.factor_summary(filters, by=by, min_n=min_n, data=raw)
        assert_close(statistics.factor_summary(filters, by=by, min_n=min_n, data=rolled), want)
    for min_n in (10, 30):
        want = statistics.priority(filters, min_n=min_n, data=raw)
        assert_close(statistics.priority(filters, min_n=min_n, data=rolled), want)
    assert statistics.response_count(filters, data=rolled) == statistics.response_count(
        filters, data=raw
    )
    view = dashboard.View(filters, by=by, compare=split)
    assert_close(dashboard.factors(view, rolled), dashboard.factors(view, raw))


def _plain(result: tuple) -> tuple:
    """Drop the samples (raw values or moments) and keep what is reported."""
    groups, changes = result
    return (
        [(g.period, g.split, g.estimate) for g in groups],
        [(a.period, b.period, b.split, delta) for a, b, delta in changes],
    )


def test_every_statistic_from_rollups_equals_the_raw_computation(
    app: Flask, import_csv: Any
) -> None:
    rng = np.random.default_rng(8)
    with app.app_context():
        build_demo()
        generate_responses(700, seed=3, years=3, batteries=("nki-myndighetsutovning",))
        _interviews(rng, 12)
    import_csv(*_import_rows(rng, 150))
    with app.app_context():
        ids = db.session.scalars(select(Response.id).order_by(Response.id)).all()
        chosen = rng.choice(ids, size=len(ids) // 10, replace=False)
        assert delete_responses([int(i) for i in chosen], actor_id=None) == len(chosen)
        for arguments, by, split in CASES:
            try:
                _compare(arguments, by, split)
            except AssertionError as error:
                raise AssertionError(f"{arguments}, by {by}, split {split}: {error}") from None
        db.session.rollback()


def test_a_rebuild_gives_the_rows_the_updates_gave(app: Flask, runner: Any, import_csv) -> None:
    rng = np.random.default_rng(9)
    with app.app_context():
        build_demo()
        generate_responses(400, seed=4, years=2, batteries=("nki-myndighetsutovning",))
        _interviews(rng, 5)
    import_csv(*_import_rows(rng, 60))
    with app.app_context():
        ids = db.session.scalars(select(Response.id).order_by(Response.id)).all()
        delete_responses([int(i) for i in rng.choice(ids, size=40, replace=False)], actor_id=None)
        updated = _rollup_rows()
        db.session.rollback()

    result = runner.invoke(args=["stats", "rebuild-rollups"])

    assert result.exit_code == 0, result.output
    assert "nki-myndighetsutovning: " in result.output
    with app.app_context():
        rebuilt = _rollup_rows()
        db.session.rollback()
    assert rebuilt.keys() == updated.keys()
    assert_close(rebuilt, updated)
    assert (
        sum(values[0] for key, values in rebuilt.items() if key[1:3] == ("M", 0)) == len(ids) - 40
    )


def test_date_cut_months_read_day_rows() -> None:
    from survey.services.statistics.rollup_reads import _plan

    assert _plan(None, None) == ((None, None), [])
    assert _plan(date(2024, 2, 14), date(2025, 3, 9)) == (
        (date(2024, 3, 1), date(2025, 2, 1)),
        [(date(2024, 2, 14), date(2024, 2, 29)), (date(2025, 3, 1), date(2025, 3, 9))],
    )
    assert _plan(date(2025, 5, 3), date(2025, 5, 20)) == (
        None,
        [(date(2025, 5, 3), date(2025, 5, 20))],
    )
    assert _plan(date(2025, 5, 1), date(2025, 5, 31)) == ((date(2025, 5, 1), date(2025, 5, 1)), [])
