"""The builder reads its own dumps with libyaml's parser: the same values as PyYAML's own
parser, and for a document it refuses the same error in the same words. A person's file is
read by PyYAML's own parser alone: libyaml accepts some text that PyYAML refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given

from survey.questionnaires import Battery, BatteryFileError, parse
from survey.questionnaires.dump import dump_battery
from tests.questionnaires.strategies import batteries

SHIPPED = sorted((Path(__file__).resolve().parents[2] / "questionnaires").glob("*.yaml"))
REFUSED = [
    "key: a\nkey: b\n",  # a key twice
    "when: 2024-13-45\n",  # a timestamp that is no date
    "a: [1, 2\n",  # unclosed
    "a: !!python/object/apply:os.system [ls]\n",  # an unsafe tag
    "a:\n  - b\n c: d\n",  # bad indentation
]

pytestmark = pytest.mark.skipif(parse.FAST_LOADER is None, reason="PyYAML without libyaml")


def _outcome(text: str, *, dumped: bool) -> Any:
    try:
        return ("value", parse._load_yaml(text, "x.yaml", dumped=dumped))
    except BatteryFileError as error:
        return ("error", [str(problem) for problem in error.errors])


def test_the_shipped_batteries_dumped_read_alike() -> None:
    for path in SHIPPED:
        dumped = dump_battery(parse.load_file(path))
        assert _outcome(dumped, dumped=True) == _outcome(dumped, dumped=False)


@given(batteries())
def test_any_battery_dumped_reads_back_alike(battery: Battery) -> None:
    text = dump_battery(battery)
    assert _outcome(text, dumped=True) == _outcome(text, dumped=False)
    assert parse.parse_battery(text, source="x.yaml", dumped=True) == battery


@pytest.mark.parametrize("text", REFUSED)
def test_a_refused_document_has_the_same_error(text: str) -> None:
    assert _outcome(text, dumped=True) == _outcome(text, dumped=False)
    assert _outcome(text, dumped=True)[0] == "error"


def test_a_persons_file_is_read_by_pyyaml_alone() -> None:
    """libyaml takes "1\\t" as the number 1; PyYAML refuses the tab, and so do we."""
    assert yaml.load("1\t", Loader=parse.FAST_LOADER) == 1
    with pytest.raises(BatteryFileError, match="invalid YAML"):
        parse.parse_battery("1\t", source="x.yaml")
