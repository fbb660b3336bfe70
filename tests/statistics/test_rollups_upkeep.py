"""Rollup upkeep: concurrent submits both count, new index definitions, the CLI."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flask import Flask
from sqlalchemy import event, func, select

from survey.extensions import db
from survey.models import Company, Response, RollupLayout, ServiceArea, Visit, index_rollups
from survey.questionnaires import parse_battery
from survey.services.batteries import batteries
from survey.services.respondents.interview import record_interview
from survey.services.statistics import rollups, statistics
from survey.services.statistics.fetch import RollupData
from survey.services.statistics.rollup_source import slot_roles
from tests.statistics.close import assert_close
from tests.statistics.conftest import NKI_BATTERY, TEN, nki_rows

ROOT = Path(__file__).resolve().parents[2]
THREADS = 8


def _visits(count: int) -> list[int]:
    """Return `count` visits to one company (a visit holds one interview per version)."""
    company = Company(org_number="556677-8899", name="Samtidigt AB", sni_section="F",
                      size_class="1-9")  # fmt: skip
    area = db.session.scalar(select(ServiceArea.id).order_by(ServiceArea.id))
    db.session.add(company)
    db.session.flush()
    visits = [
        Visit(company_id=company.id, visit_date=date.today(), service_area_id=area)
        for _ in range(count)
    ]
    db.session.add_all(visits)
    db.session.commit()
    return [visit.id for visit in visits]


def _totals() -> tuple[int, int, float]:
    """Return responses, n and Σx of NKI over the whole battery (month rows, no dimension)."""
    table = index_rollups.c
    slot = slot_roles(rollups.layout_items(1)).index("nki")  # the only battery
    row = db.session.execute(
        select(
            func.sum(table.responses), func.sum(table[f"n{slot}"]), func.sum(table[f"s{slot}"])
        ).where(table.grain == "M", table.cuboid == 0)
    ).one()
    return int(row[0] or 0), int(row[1] or 0), float(row[2] or 0.0)


@pytest.mark.postgres  # SQLite serialises writers
def test_concurrent_submits_to_the_same_rollup_rows_all_count(app: Flask, backend, nki_battery):
    with app.app_context():
        visit_ids = _visits(THREADS)
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def interview(level: int, visit_id: int) -> None:
        answers = {"OMRADE": "bygglov", "NKI_HELHET": level, "NKI_FORVANTAN": level,
                   "NKI_IDEAL": level}  # fmt: skip
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                record_interview(visit_id, NKI_BATTERY, answers, language="sv", actor_id=None)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [
        threading.Thread(target=interview, args=(1 + i % 6, visit_ids[i])) for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with app.app_context():
        responses, n, total = _totals()
        db.session.rollback()
    levels = [1 + i % 6 for i in range(THREADS)]
    assert (responses, n) == (THREADS, THREADS)
    assert total == pytest.approx(sum((v - 1) / 5 * 100 for v in levels), rel=1e-12)


def _reweighted() -> Any:
    text = (ROOT / "questionnaires" / f"{NKI_BATTERY}.yaml").read_text(encoding="utf-8")
    marker = "      - key: NKI_HELHET\n        type: scale\n        index: nki\n"
    assert marker in text
    return parse_battery(text.replace(marker, marker + "        weight: 3\n"), source="test")


@pytest.mark.parametrize("limit", [100_000, 0])
def test_a_new_version_with_other_weights_keeps_statistics_right(
    app: Flask, nki_battery, import_csv, monkeypatch, limit: int
) -> None:
    rng = np.random.default_rng(4)
    times = [f"2024-{m:02d}-10" for m in rng.integers(1, 12, size=40)]
    import_csv(*nki_rows([TEN[i % len(TEN)] for i in range(40)], times))
    monkeypatch.setattr(rollups, "INLINE_REBUILD_LIMIT", limit)

    with app.app_context():
        batteries.load_definition(_reweighted(), actor_id=None)
        filters = statistics.Filters.from_args({"battery": nki_battery})
        layout = db.session.scalar(select(RollupLayout.items))
        raw = statistics.index_groups(
            filters, by="quarter", data=statistics.load(filters, source="raw")
        )
        served = statistics.load(filters)
        got = statistics.index_groups(filters, by="quarter", data=served)
        db.session.rollback()

    # Each response keeps the weights of the version it answered, so no rollup sum changes:
    # the layout takes the new weights and the rollups serve, however large the battery.
    assert '["NKI_HELHET", "nki", 3.0]' in layout
    assert isinstance(served, RollupData)
    assert_close([(g.period, g.estimate) for g in got[0]], [(g.period, g.estimate) for g in raw[0]])


def test_rebuild_rollups_cli_names_each_battery_and_refuses_unknown(runner, nki_battery) -> None:
    ok = runner.invoke(args=["stats", "rebuild-rollups", "--battery", nki_battery])
    unknown = runner.invoke(args=["stats", "rebuild-rollups", "--battery", "saknas"])
    missing = runner.invoke(args=["stats"])

    assert ok.exit_code == 0, ok.output
    assert ok.output.strip() == f"{nki_battery}: 0 responses rolled up"
    assert unknown.exit_code == 1 and "saknas" in unknown.output
    assert missing.exit_code == 2 and "--battery" in missing.output


def test_each_writer_reads_the_layout_so_a_changed_or_removed_one_is_followed(
    app: Flask, backend: str, nki_battery: str
) -> None:
    with app.app_context():
        visit_ids = iter(_visits(4))
    layout_reads: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "rollup_layouts" in statement:
            layout_reads.append(statement)

    def interview(level: int) -> None:
        answers = {"OMRADE": "bygglov", "NKI_HELHET": level, "NKI_FORVANTAN": level,
                   "NKI_IDEAL": level}  # fmt: skip
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", listen)
            try:
                visit_id = next(visit_ids)
                record_interview(visit_id, NKI_BATTERY, answers, language="sv", actor_id=None)
            finally:
                event.remove(db.engine, "before_cursor_execute", listen)

    interview(2)
    interview(3)
    assert len(layout_reads) == 2  # no layout kept between writes
    with app.app_context():  # another process rewrites the layout (same items, other text)
        layout = db.session.get(RollupLayout, 1)
        layout.items = json.dumps(json.loads(layout.items), indent=1)
        db.session.commit()
    interview(4)
    with app.app_context():
        responses, n, total = _totals()
        db.session.rollback()
    assert (responses, n) == (3, 3)
    assert total == pytest.approx(sum((v - 1) / 5 * 100 for v in (2, 3, 4)), rel=1e-12)
    with app.app_context():  # no layout any more: statistics from raw answers, no rows added
        db.session.delete(db.session.get(RollupLayout, 1))
        db.session.commit()
    interview(5)
    with app.app_context():
        table = index_rollups.c
        counted = db.session.scalar(
            select(func.sum(table.responses)).where(table.grain == "M", table.cuboid == 0)
        )
        stored = db.session.scalar(select(func.count()).select_from(Response))
        db.session.rollback()
    assert (counted, stored) == (3, 4)
