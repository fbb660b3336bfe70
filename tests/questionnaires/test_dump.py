"""dump_battery writes YAML that parses back to the same Battery."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from survey.questionnaires import Battery, dump_battery, load_file, parse_battery
from tests.questionnaires.strategies import batteries

SHIPPED = sorted((Path(__file__).resolve().parents[2] / "questionnaires").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_dump_battery_round_trips_shipped_file(path: Path) -> None:
    battery = load_file(path)
    text = dump_battery(battery)
    assert parse_battery(text, source="dumped.yaml") == battery
    assert dump_battery(parse_battery(text, source="dumped.yaml")) == text


@settings(deadline=None)
@given(batteries())
def test_dump_battery_round_trips_generated_battery(battery: Battery) -> None:
    text = dump_battery(battery)
    assert parse_battery(text, source="generated.yaml") == battery


def test_dump_battery_writes_only_non_default_fields() -> None:
    source = """
key: standard
title: {sv: Standard}
sections:
  - key: allt
    title: {sv: Allt}
    questions:
      - key: BETYG
        type: scale
        text: {sv: Betyg}
        required: false
        scale: {min: 1, max: 5, dont_know: false}
        index: nki
        weight: 1.0
      - {key: KORT, type: short_text, text: {sv: Kort}, max_length: 200}
      - {key: LANG, type: long_text, text: {sv: Lång}, max_length: 5000}
      - {key: TAL, type: number, text: {sv: Tal}, number: {integer: false}}
"""
    battery = parse_battery(source, source="defaults.yaml")
    assert battery.question("TAL").number is None
    assert battery.question("KORT").max_length == 200
    assert battery.question("BETYG").weight == 1.0
    text = dump_battery(battery)
    for default in ("required", "dont_know", "weight", "max_length", "number:", "en:"):
        assert default not in text


def test_dump_battery_keeps_swedish_and_field_order() -> None:
    battery = load_file(SHIPPED[1])
    text = dump_battery(battery)
    assert "Miljö- och hälsoskydd" in text and "\\u" not in text
    first = text.index("key: NKI_HELHET")
    block = text[first : text.index("key: NKI_FORVANTAN")]
    positions = [block.index(field) for field in ("type:", "text:", "scale:", "index:")]
    assert positions == sorted(positions)
