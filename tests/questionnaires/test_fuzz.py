"""Whatever the input, parse_battery returns a Battery or raises BatteryFileError."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.questionnaires import Battery, BatteryFileError, parse_battery

SHIPPED = sorted((Path(__file__).resolve().parents[2] / "questionnaires").glob("*.yaml"))
DOCUMENTS = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in SHIPPED]

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["yes", "NKI_HELHET", "scale", "nki", "ja", "sv", "1"])
)
_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["key", "sv", "type", "min", "x"]), children, max_size=4)
    ),
    max_leaves=12,
)


def _parses_or_reports(text: str | bytes) -> None:
    try:
        result = parse_battery(text, source="fuzz.yaml")
    except BatteryFileError as error:
        assert error.errors and all("\n" not in str(problem) for problem in error.errors)
    else:
        assert isinstance(result, Battery)


@settings(deadline=None)
@given(st.text(max_size=300))
def test_parse_battery_on_random_text(text: str) -> None:
    _parses_or_reports(text)


@settings(deadline=None)
@given(st.text(alphabet="{}[]:-, \n\t'\"&*!#|>?%@`abk1.e2\x00\ufeff", max_size=200))
def test_parse_battery_on_random_yaml_punctuation(text: str) -> None:
    _parses_or_reports(text)


@settings(deadline=None)
@given(st.binary(max_size=300))
def test_parse_battery_on_random_bytes(data: bytes) -> None:
    _parses_or_reports(data)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for number, child in enumerate(value):
            found += _paths(child, (*prefix, number))
    return found


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_parse_battery_on_mutated_shipped_file(data: st.DataObject) -> None:
    document = copy.deepcopy(data.draw(st.sampled_from(DOCUMENTS)))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(document)[1:]))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = data.draw(_values)
    _parses_or_reports(yaml.safe_dump(document, allow_unicode=True))
