"""A response's NKI uses the weights of the version it answered: publishing v2 keeps history."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from survey.questionnaires import parse_battery
from survey.services.batteries import batteries
from survey.services.statistics import rollups, statistics
from tests.statistics.close import assert_close

BATTERY = "viktat"
YAML = """
key: viktat
title: {{sv: Viktat}}
sections:
  - key: s
    title: {{sv: S}}
    questions:
      - {{key: NKI_A, type: scale, index: nki, weight: {a}, text: {{sv: A}}, scale: {{min: 1, max: 5}}}}
      - {{key: NKI_B, type: scale, index: nki, text: {{sv: B}}, scale: {{min: 1, max: 5}}}}
      - {{key: NKI_C, type: scale, index: nki, weight: {c}, text: {{sv: C}}, scale: {{min: 1, max: 5}}}}
"""  # noqa: E501
HEADER = ["submitted_at", "NKI_A", "NKI_B", "NKI_C"]

# 2024, answered on v1 (weights A 2, B 1, C 1); item index (x - 1)·25.
V1_ROWS = [
    (5, 3, 1),  # (2·100 + 50 + 0) / 4 = 62.5
    (4, 4, 4),  # 75
    (3, 5, 5),  # (2·50 + 100 + 100) / 4 = 75
    (5, 5, 5),  # 100
    (1, 1, 1),  # 0
    (5, 1, 1),  # (2·100 + 0 + 0) / 4 = 50
    (2, 2, ""),  # (2·25 + 25) / 3 = 25
]  # sum 387.5, mean 55.357 -> 55.36 (with v2's weights it would be 350 / 7 = 50.00)
# 2025, answered on v2 (weights A 1, B 1, C 2).
V2_ROWS = [
    (5, 5, 1),  # (100 + 100 + 0) / 4 = 50
    (1, 1, 5),  # (0 + 0 + 2·100) / 4 = 50
    (2, 4, 4),  # (25 + 75 + 2·75) / 4 = 62.5
    (3, 3, 3),  # 50
    (5, 5, 5),  # 100
    (4, "", 2),  # (75 + 2·25) / 3 = 41.667
    (1, 5, 3),  # (0 + 100 + 2·50) / 4 = 50
]  # sum 404.167, mean 57.738 -> 57.74 (with v1's weights: 412.5 / 7 = 58.93)


def _load(app: Flask, a: int, c: int) -> None:
    with app.app_context():
        definition = parse_battery(YAML.format(a=a, c=c), source="test")
        batteries.load_definition(definition, actor_id=None)


def _rows(year: int, rows: list[tuple[Any, ...]]) -> list[list[Any]]:
    return [[f"{year}-03-01T10:00:00+01:00", *row] for row in rows]


def _means(stats_json: Any) -> dict[str, float]:
    # --json keeps full precision (387.5 / 7 = 55.357142…); compared at the hand-worked 2 decimals.
    groups = stats_json("--by", "year", battery=BATTERY)["groups"]
    return {g["period"]: round(g["mean"], 2) for g in groups}


def _raw_equals_rollups(app: Flask) -> None:
    with app.app_context():
        filters = statistics.Filters.from_args({"battery": BATTERY})
        raw, rolled = (statistics.load(filters, source=s) for s in ("raw", "rollup"))
        want = statistics.index_groups(filters, index="nki", by="year", min_n=2, data=raw)
        got = statistics.index_groups(filters, index="nki", by="year", min_n=2, data=rolled)
        assert_close(
            [(g.period, g.estimate) for g in got[0]], [(g.period, g.estimate) for g in want[0]]
        )


def test_publishing_new_weights_keeps_earlier_nki(
    app: Flask,
    backend: str,
    import_csv: Any,
    stats_json: Any,
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _load(app, a=2, c=1)
    import_csv(HEADER, _rows(2024, V1_ROWS), BATTERY)
    assert _means(stats_json) == {"2024": 55.36}

    # v2: other weights. Even a battery too large to rebuild at publishing keeps its
    # rollups: no sum depends on a later version's weights.
    monkeypatch.setattr(rollups, "INLINE_REBUILD_LIMIT", 0)
    _load(app, a=1, c=2)
    import_csv(HEADER, _rows(2025, V2_ROWS), BATTERY)

    assert _means(stats_json) == {"2024": 55.36, "2025": 57.74}
    _raw_equals_rollups(app)
    result = runner.invoke(args=["stats", "rebuild-rollups", "--battery", BATTERY])
    assert result.exit_code == 0, result.output
    assert _means(stats_json) == {"2024": 55.36, "2025": 57.74}
    _raw_equals_rollups(app)
