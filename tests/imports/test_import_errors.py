"""`survey responses import`: each bad cell is reported with line and column; nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Answer, Response
from tests.statistics.conftest import write_csv

HEADER = ["submitted_at", "area", "NKI_A", "NKI_B", "BETYG", "BETYG__dont_know", "ANTAL",
          "BELOPP", "DATUM", "KORT", "KONTAKT", "VAL", "FLERA__x", "FLERA__y", "NPS",
          "KOMMENTAR"]  # fmt: skip
GOOD = ["2024-03-01T10:00:00+01:00", "bygglov", "7", "8", "4", "0", "12", "2.5", "2024-02-01",
        "kort", "yes", "a", "1", "0", "9", "Bra service"]  # fmt: skip


def _count(app) -> tuple[int, int]:
    with app.app_context():
        responses = db.session.scalar(select(func.count(Response.id)))
        answers = db.session.scalar(select(func.count(Answer.response_id)))
    return responses, answers


def _import(runner, path, battery="blandat"):
    return runner.invoke(args=["responses", "import", str(path), "--battery", battery])


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("submitted_at", "2024-13-01"),
        ("submitted_at", "igår"),
        ("submitted_at", "2999-01-01"),
        ("area", "månen"),
        ("NKI_A", "11"),
        ("NKI_A", "0"),
        ("NKI_B", "7.5"),
        ("BETYG", "x"),
        ("BETYG__dont_know", "2"),
        ("ANTAL", "501"),
        ("ANTAL", "3.5"),
        ("BELOPP", "tio"),
        ("BELOPP", "2,5"),
        ("DATUM", "1 februari"),
        ("KORT", "sex tecken"),
        ("KONTAKT", "kanske"),
        ("VAL", "c"),
        ("FLERA__x", "ja"),
        ("NPS", "11"),
    ],
)
def test_bad_cell_is_reported_with_line_and_column_and_nothing_is_written(
    app, runner, mixed_battery, tmp_path, column, value
) -> None:
    bad = list(GOOD)
    bad[HEADER.index(column)] = value
    path = write_csv(tmp_path / "svar.csv", HEADER, [GOOD, GOOD, bad, GOOD])

    result = _import(runner, path)

    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert len(problems) == 1, result.output
    assert problems[0].startswith(f"{path}:4: {column}: ")
    assert value in problems[0] or column in ("KORT",)
    assert _count(app) == (0, 0)


def test_every_bad_cell_of_the_file_is_reported(app, runner, mixed_battery, tmp_path) -> None:
    first, second = list(GOOD), list(GOOD)
    first[HEADER.index("NKI_A")] = "99"
    first[HEADER.index("VAL")] = "z"
    second[HEADER.index("submitted_at")] = ""
    path = write_csv(tmp_path / "svar.csv", HEADER, [first, GOOD, second])

    result = _import(runner, path)

    lines = [
        line.split(":")[1:3] for line in result.output.splitlines() if line.startswith(str(path))
    ]
    assert lines == [["2", " NKI_A"], ["2", " VAL"], ["4", " submitted_at"]]
    assert _count(app) == (0, 0)


@pytest.mark.parametrize(
    ("header", "column"),
    [
        (["submitted_at", "NKI_A", "FARG"], "FARG"),
        (["submitted_at", "NKI_A", "NKI_A__dont_know"], "NKI_A__dont_know"),
        (["submitted_at", "NKI_A", "FLERA__z"], "FLERA__z"),
        (["NKI_A", "NKI_B"], "submitted_at"),
        (["submitted_at", "NKI_A", "NKI_A"], "NKI_A"),
        (["submitted_at", "FLERA", "FLERA__x"], "FLERA"),
    ],
)
def test_bad_header_names_the_column(app, runner, mixed_battery, tmp_path, header, column) -> None:
    path = write_csv(tmp_path / "svar.csv", header, [["2024-01-01"] + ["1"] * (len(header) - 1)])

    result = _import(runner, path)

    assert result.exit_code == 1
    assert f"{path}:1: {column}: " in result.output
    assert _count(app) == (0, 0)


def test_row_with_wrong_cell_count_and_empty_row(app, runner, mixed_battery, tmp_path) -> None:
    path = tmp_path / "svar.csv"
    path.write_text("submitted_at,NKI_A\n2024-01-01,5,6\n2024-01-02,\n", encoding="utf-8")

    result = _import(runner, path)

    problems = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert [p.split(":")[1] for p in problems] == ["2", "3"]
    assert _count(app) == (0, 0)


def test_file_that_is_not_utf8(app, runner, mixed_battery, tmp_path) -> None:
    path = tmp_path / "svar.csv"
    path.write_bytes("submitted_at,KORT\n2024-01-01,\n2024-01-02,åäö\n".encode("latin-1"))

    result = _import(runner, path)

    assert result.exit_code == 1
    assert f"{path}:3: " in result.output


def test_semicolon_file_with_bom_and_decimal_comma(app, runner, mixed_battery, tmp_path) -> None:
    row = list(GOOD)
    row[HEADER.index("BELOPP")] = "2,5"
    row[HEADER.index("BETYG")] = ""
    row[HEADER.index("BETYG__dont_know")] = "1"
    row[HEADER.index("KOMMENTAR")] = "Bra; snabbt, och\nvänligt"
    path = write_csv(tmp_path / "svar.csv", HEADER, [row, GOOD], delimiter=";", bom=True)

    result = _import(runner, path)

    assert result.exit_code == 0, result.output
    assert "2 responses" in result.output
    with app.app_context():
        rows = db.session.execute(
            select(Answer.value_number, Answer.value_text, Answer.dont_know).order_by(
                Answer.response_id, Answer.question_id
            )
        ).all()
        modes = set(db.session.scalars(select(Response.collection_mode)))
    assert modes == {"import"}
    first = rows[: len(rows) // 2]
    assert (2.5, None, False) in first
    assert (None, None, True) in first
    assert (None, "Bra; snabbt, och\nvänligt", False) in first
    assert (None, "x", False) in first  # FLERA__x=1, FLERA__y=0
    assert (None, "yes", False) in first


def test_import_into_unknown_battery_or_version(app, runner, mixed_battery, tmp_path) -> None:
    path = write_csv(tmp_path / "svar.csv", HEADER, [GOOD])

    unknown = _import(runner, path, battery="finns-inte")
    bad_version = runner.invoke(
        args=["responses", "import", str(path), "--battery", "blandat", "--version", "9"]
    )

    assert unknown.exit_code == 1 and "finns-inte" in unknown.output
    assert bad_version.exit_code == 1 and len(bad_version.output.splitlines()) == 1
    assert _count(app) == (0, 0)
