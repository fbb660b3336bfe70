"""content_hash depends on what a battery says, not on how its YAML is written."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings

from survey.questionnaires import Battery, content_hash, dump_battery, load_file, parse_battery
from survey.questionnaires.model import canonical_json
from tests.questionnaires.strategies import batteries

NKI_FILE = Path(__file__).resolve().parents[2] / "questionnaires" / "nki-myndighetsutovning.yaml"


def _data() -> dict[str, Any]:
    return yaml.safe_load(NKI_FILE.read_text(encoding="utf-8"))


def _hash(data: dict[str, Any]) -> str:
    return content_hash(parse_battery(yaml.safe_dump(data, allow_unicode=True), source="x.yaml"))


def _reversed_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _reversed_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [_reversed_keys(item) for item in value]
    return value


def test_content_hash_is_sha256_hex() -> None:
    digest = content_hash(load_file(NKI_FILE))
    assert len(digest) == 64 and int(digest, 16) >= 0


@pytest.mark.parametrize(
    "reformat",
    [
        lambda text: json.dumps(yaml.safe_load(text), indent=1, ensure_ascii=True),
        lambda text: yaml.safe_dump(_reversed_keys(yaml.safe_load(text)), default_flow_style=True),
        lambda text: yaml.safe_dump(yaml.safe_load(text), sort_keys=True, width=40),
        lambda text: "# a comment\n\n" + text.replace("\nsections:", "\n\n# x\nsections:  "),
        lambda text: dump_battery(parse_battery(text, source="x.yaml")),
    ],
    ids=["json", "reversed-keys-flow", "sorted-keys-narrow", "comments-spaces", "dumped"],
)
def test_content_hash_ignores_formatting(reformat: Callable[[str], str]) -> None:
    text = NKI_FILE.read_text(encoding="utf-8")
    original = content_hash(parse_battery(text, source="a.yaml"))
    assert content_hash(parse_battery(reformat(text), source="b.yaml")) == original


def test_content_hash_ignores_explicit_defaults() -> None:
    data = _data()
    plain = _hash(data)
    question = data["sections"][1]["questions"][0]
    question.update(required=False, weight=1.0, help=None)
    data["sections"][3]["questions"][0]["max_length"] = 5000
    assert _hash(data) == plain


def _question(data: dict[str, Any], section: int, number: int) -> dict[str, Any]:
    return data["sections"][section]["questions"][number]


CHANGES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "battery-key": lambda d: d.update(key="nki-annan"),
    "english-title": lambda d: d["title"].update(en="Another title"),
    "drop-introduction": lambda d: d.pop("introduction"),
    "section-order": lambda d: d["sections"].reverse(),
    "question-text": lambda d: _question(d, 1, 0)["text"].update(sv="Ny fråga?"),
    "question-key": lambda d: _question(d, 1, 0).update(key="INFO_NY"),
    "required": lambda d: _question(d, 1, 0).update(required=True),
    "option-order": lambda d: _question(d, 0, 0)["options"].reverse(),
    "scale-points": lambda d: _question(d, 2, 0)["scale"].update(max=5),
    "dont-know": lambda d: _question(d, 2, 0)["scale"].update(dont_know=True),
    "weight": lambda d: _question(d, 2, 0).update(weight=2),
    "index": lambda d: _question(d, 1, 0).update(index="kompetens"),
    "condition": lambda d: _question(d, 0, 1)["show_if"].update(equals="bygglov"),
    "max-length": lambda d: _question(d, 3, 0).update(max_length=4999),
    "drop-question": lambda d: d["sections"][3]["questions"].pop(),
    "service-area": lambda d: _question(d, 0, 0).pop("service_area"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_content_hash_changes_with_content(change: Callable[[dict[str, Any]], Any]) -> None:
    data = _data()
    changed = copy.deepcopy(data)
    change(changed)
    assert _hash(changed) != _hash(data)


@settings(deadline=None)
@given(batteries(), batteries())
def test_content_hash_equal_exactly_when_batteries_equal(first: Battery, second: Battery) -> None:
    assert (content_hash(first) == content_hash(second)) == (first == second)


def test_content_hash_of_a_battery_without_service_area_question_is_as_before() -> None:
    """Versions stored before `service_area` existed keep their fingerprints."""
    data = _data()
    data["sections"][0]["questions"][0].pop("service_area")
    assert "service_area" not in canonical_json(parse_battery(yaml.safe_dump(data), source="x"))
    assert "service_area" in canonical_json(load_file(NKI_FILE))
