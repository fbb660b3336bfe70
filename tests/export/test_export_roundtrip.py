"""Round trip: export wide -> `survey responses import` into an empty database -> export again.

The import keeps no response ids (they are the database's), so the comparison is byte for byte
when the source's ids are 1..n in file order, as in a database that was itself filled by an
import: both databases then number the same responses alike. Collection mode ("import"), the
survey, visit and company links are the database's too; from a database with web or interview
responses the round trip keeps every other column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.export.conftest import BATTERY_YAML, ExportData, load_battery

HEADER = (
    "submitted_at,area,industry,size,language,NKI_HELHET,NKI_HELHET__dont_know,REK,OMRADE,"
    "BEHOV__lokaler,BEHOV__kompetens,BEHOV__tillstand,KONTAKT,BELOPP,DATUM,KOMMENTAR"
).split(",")
ROWS = [
    ["2023-05-04T09:15:00+02:00", "bygglov", "C", "1-9", "sv", "5", "0", "9", "bygglov"]
    + ["1", "0", "1", "yes", "-12.5", "2023-04-30", "Snabbt och bra – tack!"],
    ["2023-11-30T23:30:00+01:00", "livsmedel", "I", "10-49", "en", "", "1", "3", "miljo"]
    + ["", "", "", "no", "1000", "", 'Rad ett\nrad två, med "citat" och åäö ÅÄÖ'],
    ["2024-01-01T00:00:00+01:00", "", "", "", "sv", "2", "0", "", ""]
    + ["0", "1", "0", "", "0.125", "2024-02-29", '=HYPERLINK("http://x","y")'],
]


def _source(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])


@pytest.fixture
def second_app(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """Another app on an empty, migrated database of the same backend."""
    from survey import create_app
    from survey.extensions import db
    from tests.databases import PgSchema

    schema = None
    if backend == "sqlite":
        url = request.getfixturevalue("sqlite_files").fresh(tmp_path / "second.db")
    else:
        schema = PgSchema()
        url = schema.url
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SURVEY_INSTANCE_DIR": str(tmp_path / "instance2"),
            "SERVER_NAME": None,
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()
    if schema is not None:
        schema.drop()


def _import(app: Flask, path: Path) -> None:
    result = app.test_cli_runner().invoke(
        args=["responses", "import", str(path), "--battery", "export-test"]
    )
    assert result.exit_code == 0, result.output


def _export(app: Flask, path: Path, *options: str) -> bytes:
    runner = app.test_cli_runner()
    args = ["responses", "export", "--battery", "export-test", "-o", str(path), *options]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    return path.read_bytes()


@pytest.mark.parametrize("options", [(), ("--excel",)], ids=["plain", "excel"])
def test_round_trip_is_byte_identical(
    app: Flask, second_app: Flask, tmp_path: Path, options: tuple[str, ...]
) -> None:
    source = tmp_path / "source.csv"
    _source(source)
    with app.app_context():
        load_battery(BATTERY_YAML)
    _import(app, source)
    first = _export(app, tmp_path / "first.csv", *options)
    with second_app.app_context():
        load_battery(BATTERY_YAML)
    _import(second_app, tmp_path / "first.csv")
    second = _export(second_app, tmp_path / "second.csv", *options)
    assert second == first
    text = first.decode("utf-8-sig")
    assert "Rad ett\r\nrad två" in text or "Rad ett\nrad två" in text
    assert "'=HYPERLINK" in text and "åäö ÅÄÖ" in text


def test_round_trip_from_interviews_keeps_the_answers(
    app: Flask, second_app: Flask, export_data: ExportData, tmp_path: Path
) -> None:
    first = _export(app, tmp_path / "first.csv")
    with second_app.app_context():
        load_battery(BATTERY_YAML)
    _import(second_app, tmp_path / "first.csv")
    second = _export(second_app, tmp_path / "second.csv")
    kept = lambda row: {  # noqa: E731
        k: v for k, v in row.items() if k not in ("response_id", "collection_mode", "company")
    }
    before = [kept(row) for row in csv.DictReader(io.StringIO(first.decode()))]
    after = [kept(row) for row in csv.DictReader(io.StringIO(second.decode()))]
    assert after == before


FORMULA_TEXTS = [
    "=1+1",
    "+46 70 123 45 67",
    "-inget att tillägga",
    "@SUMMA(A1)",
    "'=redan citerad",
    "''+två citattecken",
    "'bara ett citattecken",
    "vanlig text, åäö",
]


def test_neutralised_texts_import_as_they_were(
    app: Flask, second_app: Flask, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from survey.extensions import db
    from survey.models import Answer, Question
    from tests.export.conftest import store

    with app.app_context():
        load_battery(BATTERY_YAML)
        for text in FORMULA_TEXTS:
            store("export-test", {"KOMMENTAR": text, "REK": 7})
    first = _export(app, tmp_path / "first.csv")
    exported = [row["KOMMENTAR"] for row in csv.DictReader(io.StringIO(first.decode()))]
    assert exported[:2] == ["'=1+1", "'+46 70 123 45 67"]
    assert exported[4:] == ["''=redan citerad", "'''+två citattecken", "'bara ett citattecken",
                            "vanlig text, åäö"]  # fmt: skip
    with second_app.app_context():
        load_battery(BATTERY_YAML)
    _import(second_app, tmp_path / "first.csv")
    with second_app.app_context():
        stored = db.session.scalars(
            select(Answer.value_text)
            .join(Question, Answer.question_id == Question.id)
            .where(Question.key == "KOMMENTAR")
            .order_by(Answer.response_id)
        ).all()
    assert stored == FORMULA_TEXTS
    assert _export(second_app, tmp_path / "second.csv").count(b"\r\n") == first.count(b"\r\n")
