"""Problems with the file itself (syntax, encoding, size) are reported, never raised as crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.questionnaires import MAX_FILE_BYTES, BatteryFileError, load_file, parse_battery

RAW_CASES: list[tuple[str, str | bytes, str, str]] = [
    (
        "invalid-yaml",
        "key: test\ntitle: {sv: Test\nsections: []\n",
        "line 3, column 9",
        "invalid YAML: while parsing a flow mapping; expected ',' or '}'",
    ),
    (
        "bad-indentation",
        "key: test\ntitle:\n  sv: Test\n en: Test\n",
        "line 4, column 2",
        "invalid YAML:",
    ),
    (
        "duplicate-yaml-key",
        "key: test\ntitle: {sv: A}\ntitle: {sv: B}\nsections: []\n",
        "line 3, column 1",
        "invalid YAML: while reading a mapping; found key 'title' twice",
    ),
    ("empty-file", "", "(root)", "the file must be a mapping with key, title and sections; it is"),
    (
        "list-document",
        "- key: test\n",
        "(root)",
        "the file must be a mapping with key, title and sections; it is a list",
    ),
    ("invalid-utf8", b"key: test\ntitle: {sv: \xe5ret}\n", "line 2", "not valid UTF-8 (byte 22)"),
    ("too-large", "#" * (MAX_FILE_BYTES + 1), "(file)", "file is larger than 1 MB"),
    ("bad-timestamp", "key: 2024-13-45\n", "(file)", "invalid YAML: month must be in 1..12"),
    ("python-tag", "key: !!python/object:os.system {}\n", "line 1, column 6", "invalid YAML:"),
    (
        "control-character",
        "key: a\x07b\n",
        "line 1",
        "invalid YAML: character U+0007 is not allowed",
    ),
]


@pytest.mark.parametrize(
    ("text", "location", "message"),
    [case[1:] for case in RAW_CASES],
    ids=[case[0] for case in RAW_CASES],
)
def test_parse_battery_reports_file_problem(text: str | bytes, location: str, message: str) -> None:
    with pytest.raises(BatteryFileError) as caught:
        parse_battery(text, source="raw.yaml")
    assert len(caught.value.errors) == 1
    problem = caught.value.errors[0]
    assert (problem.location, problem.message[: len(message)]) == (location, message)


def test_load_file_reports_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("key: test\ntitle: {sv: Företag}\n".encode("latin-1"))
    with pytest.raises(BatteryFileError) as caught:
        load_file(path)
    assert str(caught.value).startswith(f"{path}: line 2: not valid UTF-8")


def test_load_file_refuses_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * (5 * MAX_FILE_BYTES))
    with pytest.raises(BatteryFileError, match="file is larger than 1 MB"):
        load_file(path)


def test_load_file_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BatteryFileError, match="cannot read: No such file"):
        load_file(tmp_path / "missing.yaml")


def test_parse_battery_accepts_byte_order_mark_and_crlf() -> None:
    text = "key: bom\r\ntitle: {sv: Bom}\r\nsections:\r\n  - key: a\r\n    title: {sv: A}\r\n"
    text += "    questions: [{key: DATUM, type: date, text: {sv: Datum}}]\r\n"
    battery = parse_battery(b"\xef\xbb\xbf" + text.encode("utf-8"), source="bom.yaml")
    assert battery.key == "bom"


def test_parse_battery_reports_deep_nesting() -> None:
    with pytest.raises(BatteryFileError) as caught:
        parse_battery("[" * 1000, source="deep.yaml")
    assert caught.value.errors[0].message.startswith("invalid YAML")
