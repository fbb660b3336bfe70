"""`survey responses import` writes in batches inside one transaction: all rows or none.

The batch size is made tiny so that a short file spans several batches and rollup updates.
"""

from __future__ import annotations

from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Answer, Response, index_rollups
from survey.services.imports import responses as response_import
from survey.services.imports import writer
from tests.statistics.conftest import NKI_KEYS, write_csv

HEADER = ["submitted_at", "area", *NKI_KEYS, "KOMMENTAR_BRA"]
GOOD = ["2024-03-01T10:00:00+01:00", "bygglov", "5", "4", "6", "Bra"]


def _counts(app) -> tuple[int, int, int]:  # noqa: ANN001
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Response.id))),
            db.session.scalar(select(func.count(Answer.response_id))),
            db.session.scalar(select(func.count()).select_from(index_rollups)),
        )


def _small_batches(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(writer, "BATCH", 3)


def _import(runner, path):  # noqa: ANN001, ANN202
    return runner.invoke(
        args=["responses", "import", str(path), "--battery", "nki-myndighetsutovning"]
    )


def test_every_row_is_written_across_batches(
    app, runner, nki_battery, tmp_path, monkeypatch
) -> None:
    _small_batches(monkeypatch)
    rows = [[f"2024-03-{day:02d}T10:00:00+01:00", *GOOD[1:]] for day in range(1, 11)]
    path = write_csv(tmp_path / "svar.csv", HEADER, rows)

    result = _import(runner, path)

    assert result.exit_code == 0, result.output
    assert "10 responses with 40 answers" in result.output
    responses, answers, rollup_rows = _counts(app)
    assert (responses, answers) == (10, 40) and rollup_rows > 0


def test_a_problem_after_written_batches_keeps_nothing(
    app, runner, nki_battery, tmp_path, monkeypatch
) -> None:
    _small_batches(monkeypatch)
    bad = [*GOOD[:2], "9", *GOOD[3:]]
    path = write_csv(tmp_path / "svar.csv", HEADER, [GOOD] * 10 + [bad, GOOD])

    result = _import(runner, path)

    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert problems == [problems[0]] and problems[0].startswith(f"{path}:12: NKI_HELHET: ")
    assert _counts(app) == (0, 0, 0)


def test_only_the_first_problems_are_listed(
    app, runner, nki_battery, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(response_import, "MAX_LISTED", 2)
    bad = [*GOOD[:2], "0", *GOOD[3:]]
    path = write_csv(tmp_path / "svar.csv", HEADER, [bad, GOOD, bad, bad, bad])

    result = _import(runner, path)

    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert [line.split(":")[1] for line in lines[:2]] == ["2", "4"]
    assert lines[2] == f"{path}: Ytterligare 2 fel visas inte."
    assert "4 fel i filen" in result.output
    assert _counts(app) == (0, 0, 0)


def test_neutralised_text_cells_import_as_their_text(app, runner, nki_battery, tmp_path) -> None:
    cells = ["'\tindraget", "'\rvagnretur", "'=1+1", "''-redan citerad", "'bara citattecken"]
    rows = [[*GOOD[:-1], cell] for cell in cells]
    path = write_csv(tmp_path / "svar.csv", HEADER, rows)

    assert _import(runner, path).exit_code == 0
    with app.app_context():
        texts = db.session.scalars(
            select(Answer.value_text)
            .where(Answer.value_text.is_not(None))
            .order_by(Answer.response_id, Answer.question_id)
        ).all()
    assert texts == ["\tindraget", "\rvagnretur", "=1+1", "'-redan citerad", "'bara citattecken"]
