"""`survey questionnaires load|dump` through the CLI runner, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Battery, BatteryVersion
from survey.questionnaires import load_file
from survey.services.batteries import batteries

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"
NKI = SHIPPED / "nki-myndighetsutovning.yaml"
BAD = """\
key: trasig
title: {sv: Trasig}
sections:
  - key: del
    title: {sv: Del}
    questions:
      - {key: Q1, type: rating, text: {sv: Fråga}}
      - {key: Q2, type: scale, text: {en: Question}, scale: {min: 5, max: 1}}
      - {key: Q3, type: single_choice, text: {sv: Välj}, show_if: {question: Q9, equals: ja}}
"""


def _versions(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(BatteryVersion))


def test_load_without_paths_loads_every_shipped_file_once(app: Flask, runner) -> None:
    first = runner.invoke(args=["questionnaires", "load"])
    assert first.exit_code == 0, first.output
    assert first.output.count("created (version 1)") == len(list(SHIPPED.glob("*.yaml")))
    again = runner.invoke(args=["questionnaires", "load"])
    assert again.exit_code == 0, again.output
    assert "created" not in again.output and again.output.count("unchanged") == 3
    assert _versions(app) == 3


def test_bad_file_names_file_place_and_problem_and_nothing_is_written(
    app: Flask, runner, tmp_path: Path
) -> None:
    bad = tmp_path / "trasig.yaml"
    bad.write_text(BAD, encoding="utf-8")
    result = runner.invoke(args=["questionnaires", "load", str(NKI), str(bad)])
    assert result.exit_code == 1
    q = "sections[0].questions"
    for expected in (
        f"{bad}: {q}[0] (Q1).type: unknown question type 'rating'",
        f"{bad}: {q}[1] (Q2).text.sv: Swedish text (`sv`) is missing",
        f"{bad}: {q}[1] (Q2).scale.max: max (1) is below min (5)",
        f"{bad}: {q}[2] (Q3).show_if.question: ",
        f"{bad}: {q}[2] (Q3).options: ",
        "nothing was loaded",
    ):
        assert expected in result.output, result.output
    assert _versions(app) == 0  # the good file beside it was not loaded either


def test_changed_file_makes_a_new_version_and_never_touches_the_published_one(
    app: Flask, runner, tmp_path: Path
) -> None:
    assert runner.invoke(args=["questionnaires", "load", str(NKI)]).exit_code == 0
    changed = tmp_path / NKI.name
    text = NKI.read_text(encoding="utf-8")
    changed.write_text(text.replace("service i ditt ärende?", "service i ärendet?", 1), "utf-8")
    result = runner.invoke(args=["questionnaires", "load", str(changed)])
    assert result.exit_code == 0, result.output
    assert "nki-myndighetsutovning: new version (version 2)" in result.output
    with app.app_context():
        first = batteries.get_version("nki-myndighetsutovning", 1)
        assert batteries.definition_of(first) == load_file(NKI)
        assert batteries.get_version("nki-myndighetsutovning").title_sv.endswith("i ärendet?")


def test_dump_then_load_gives_the_same_battery(app: Flask, runner, tmp_path: Path) -> None:
    assert runner.invoke(args=["questionnaires", "load", str(NKI)]).exit_code == 0
    target = tmp_path / "dumped.yaml"
    dumped = runner.invoke(
        args=["questionnaires", "dump", "nki-myndighetsutovning", "--version", "1", "-o", target]
    )
    assert dumped.exit_code == 0, dumped.output
    assert load_file(target) == load_file(NKI)
    reloaded = runner.invoke(args=["questionnaires", "load", str(target)])
    assert "nki-myndighetsutovning: unchanged (version 1)" in reloaded.output
    to_stdout = runner.invoke(args=["questionnaires", "dump", "nki-myndighetsutovning"])
    assert to_stdout.output == target.read_text(encoding="utf-8")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Battery)) == 1


def test_dump_of_an_unknown_battery_is_one_line(runner) -> None:
    result = runner.invoke(args=["questionnaires", "dump", "finns-inte"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1


NUL_FIELDS = [
    ("title: {sv: Titel}", 'title: {sv: "Tit\\0el"}', "title.sv"),
    ("text: {sv: Fråga}", 'text: {sv: "Frå\\0ga"}', "sections[0].questions[0] (Q1).text.sv"),
    ("key: del\n", 'key: "de\\0l"\n', "sections[0].key"),
]


@pytest.mark.parametrize("original,changed,location", NUL_FIELDS)
def test_load_file_with_a_nul_in_a_text_is_one_line_naming_file_and_field(
    app: Flask, runner, tmp_path: Path, original: str, changed: str, location: str
) -> None:
    good = """\
key: med-nul
title: {sv: Titel}
sections:
  - key: del
    title: {sv: Del}
    questions:
      - {key: Q1, type: long_text, text: {sv: Fråga}}
"""
    bad = tmp_path / "nul.yaml"
    bad.write_text(good.replace(original, changed, 1), encoding="utf-8")
    result = runner.invoke(args=["questionnaires", "load", str(bad)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert lines == [
        f'Error: {bad}: {location}: contains a NUL character ("\\0"); remove it',
        "nothing was loaded",
    ]
    assert _versions(app) == 0
