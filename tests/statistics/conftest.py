"""Fixtures for the statistics tests: shipped and small test batteries, CSV files, imports."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from survey.questionnaires import parse_battery
from survey.services.batteries import batteries
from tests.factories import shipped_battery

NKI_BATTERY = "nki-myndighetsutovning"
NKI_KEYS = ("NKI_HELHET", "NKI_FORVANTAN", "NKI_IDEAL")
# The hand-worked example: ten respondents on a 1-6 scale.
TEN = [(6, 6, 5), (5, 5, 5), (6, 5, 5), (4, 4, 3), (5, 5, 4), (6, 6, 6), (3, 3, 2), (5, 4, 4),
       (6, 5, 5), (4, 4, 4)]  # fmt: skip

MIXED_YAML = """
key: blandat
title: {sv: Blandat}
sections:
  - key: s
    title: {sv: S}
    questions:
      - {key: NKI_A, type: scale, index: nki, text: {sv: A}, scale: {min: 1, max: 10}}
      - {key: NKI_B, type: scale, index: nki, text: {sv: B}, scale: {min: 1, max: 10}}
      - key: BETYG
        type: scale
        index: bemotande
        text: {sv: Betyg}
        scale: {min: 1, max: 5, dont_know: true}
      - {key: ANTAL, type: number, text: {sv: Antal}, number: {min: 0, max: 500, integer: true}}
      - {key: BELOPP, type: number, text: {sv: Belopp}, number: {min: 0, max: 10}}
      - {key: DATUM, type: date, text: {sv: Datum}}
      - {key: KORT, type: short_text, text: {sv: Kort}, max_length: 5}
      - {key: KONTAKT, type: yes_no, text: {sv: Kontakt}}
      - key: VAL
        type: single_choice
        text: {sv: Val}
        options: [{key: a, label: {sv: A}}, {key: b, label: {sv: B}}]
      - key: FLERA
        type: multiple_choice
        text: {sv: Flera}
        options: [{key: x, label: {sv: X}}, {key: y, label: {sv: Y}}]
      - {key: NPS, type: nps, text: {sv: NPS}}
      - {key: KOMMENTAR, type: long_text, text: {sv: Kommentar}}
"""


@pytest.fixture
def nki_battery(app: Flask) -> str:
    """Load the shipped NKI battery and return its key."""
    with app.app_context():
        batteries.load_definition(shipped_battery(NKI_BATTERY), actor_id=None)
    return NKI_BATTERY


@pytest.fixture
def mixed_battery(app: Flask) -> str:
    """Load a small battery with every question type and return its key."""
    with app.app_context():
        batteries.load_definition(parse_battery(MIXED_YAML, source="test"), actor_id=None)
    return "blandat"


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> Path:
    """Write a CSV file (UTF-8, optionally with BOM) and return its path."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return path


def nki_rows(
    triples: Sequence[Sequence[Any]], submitted_at: str | Sequence[str], **context: Sequence[Any]
) -> tuple[list[str], list[list[Any]]]:
    """Build the header and rows of NKI answers with a time and optional context columns."""
    times = [submitted_at] * len(triples) if isinstance(submitted_at, str) else submitted_at
    header = ["submitted_at", *context, *NKI_KEYS]
    rows = [
        [at, *(values[i] for values in context.values()), *triple]
        for i, (at, triple) in enumerate(zip(times, triples, strict=True))
    ]
    return header, rows


@pytest.fixture
def import_csv(runner: Any, tmp_path: Path) -> Callable[..., Any]:
    """Write rows to a CSV file and import them through the real CLI; assert success."""
    count = iter(range(1_000_000))

    def run(header: Sequence[str], rows: Sequence[Sequence[Any]], battery: str = NKI_BATTERY,
            **kwargs: Any) -> Any:  # fmt: skip
        path = write_csv(tmp_path / f"import-{next(count)}.csv", header, rows, **kwargs)
        result = runner.invoke(args=["responses", "import", str(path), "--battery", battery])
        assert result.exit_code == 0, result.output
        return result

    return run


@pytest.fixture
def stats_json(runner: Any) -> Callable[..., dict]:
    """Run `survey stats --json` with extra arguments and return the parsed object."""

    def run(*args: str, battery: str = NKI_BATTERY) -> dict:
        result = runner.invoke(args=["stats", "--battery", battery, "--json", *args])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return run
