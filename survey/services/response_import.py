"""Import past results from a wide CSV file (one row per response), all or nothing.

The format is the one the response export writes: context columns (see
response_import_context), then one column per question key; multiple choice as
``KEY__OPTION`` 0/1 columns (or one ``KEY`` column of space-separated option keys), and
"vet ej" as an empty cell with ``KEY__dont_know`` = 1. An empty cell is no answer. UTF-8
with or without BOM; `;` or `,` as delimiter; with `;` a decimal comma is accepted.
Every bad cell is reported with its line and column, and nothing is written unless the
whole file is valid. Rows are inserted in batches with executemany.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from survey.extensions import db
from survey.models import Answer, BatteryVersion, Question, Response
from survey.models.base import utcnow
from survey.services import audit, batteries, rollups
from survey.services.errors import DomainError
from survey.services.response_import_cells import CellError, QuestionSpec, answer_of
from survey.services.response_import_context import (
    CONTEXT_COLUMNS,
    Lookups,
    link_companies,
    read_context,
)
from survey.services.statistics_query import zone

BATCH = 1000
OPTION_SEPARATOR = "__"
DONT_KNOW_SUFFIX = "__dont_know"


@dataclass(frozen=True)
class ImportProblem:
    """A bad cell (or row, or header) of the file: ``line`` is the file's line number."""

    line: int
    column: str | None
    message: str


class ImportFailed(DomainError):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(_("%(n)s problems in the file; nothing was imported.", n=len(problems)))
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    battery: str
    version: int
    responses: int
    answers: int


def import_responses(
    data: bytes, *, battery: str, version: int | None = None, actor_id: int | None = None
) -> ImportResult:
    """Validate a response file against a published battery version and store every row."""
    target = batteries.get_version(battery, version)
    if not target.is_published:
        raise DomainError(_("Import into a published version only."), field="version")
    text, delimiter = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as error:
        message = _("The line cannot be read: %(error)s", error=str(error))
        raise ImportFailed([ImportProblem(1, None, message)]) from None
    if not header:
        raise ImportFailed([ImportProblem(1, None, _("The file is empty."))])
    specs, context = _layout([name.strip() for name in header], _questions(target))
    lookups = Lookups.load(target.battery_id, zone(), utcnow())
    responses, extras, answers, problems = [], [], [], []
    for line, row in _rows(reader):
        parsed = _parse_row(line, row, header, specs, context, lookups, delimiter == ";")
        if isinstance(parsed, list):
            problems.extend(parsed)
            continue
        values, row_answers = parsed
        responses.append(_response(target, values, actor_id))
        extras.append(values)
        answers.append(row_answers)
    if problems:
        raise ImportFailed(problems)
    if not responses:
        raise ImportFailed([ImportProblem(2, None, _("The file has no responses."))])
    link_companies(responses, extras)
    written = _insert(responses, answers, target.battery_id)
    audit.record(
        "responses.import",
        user_id=actor_id,
        object_type="battery_version",
        object_id=target.id,
        responses=len(responses),
    )
    db.session.commit()
    return ImportResult(battery, target.number, len(responses), written)


def _decode(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (dropping a BOM) and pick the delimiter from the header line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed(
            [ImportProblem(line, None, _("The file is not UTF-8 text; save it as UTF-8."))]
        ) from None
    if "\x00" in text:  # never text, and PostgreSQL cannot store it
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportFailed([ImportProblem(line, None, _("The file contains NUL characters."))])
    first = text.split("\n", 1)[0]
    return text, ";" if first.count(";") > first.count(",") else ","


def _rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Yield each non-blank row with the line number it starts on (ImportFailed if unreadable)."""
    line = reader.line_num + 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield line, row
            line = reader.line_num + 1
    except csv.Error as error:  # e.g. a field over the csv module's size limit
        raise ImportFailed(
            [ImportProblem(line, None, _("The line cannot be read: %(error)s", error=str(error)))]
        ) from None


def _questions(version: BatteryVersion) -> dict[str, QuestionSpec]:
    rows = db.session.scalars(
        select(Question)
        .where(Question.version_id == version.id)
        .options(selectinload(Question.options))
    )
    return {question.key: QuestionSpec.of(question) for question in rows}


def _layout(
    header: list[str], specs: dict[str, QuestionSpec]
) -> tuple[list[QuestionSpec], dict[int, str]]:
    """Map every header column to a context field or a question; unknown columns fail."""
    context: dict[int, str] = {}
    problems: list[ImportProblem] = []
    seen: set[str] = set()
    for i, name in enumerate(header):
        if name in seen:
            problems.append(ImportProblem(1, name, _("The column appears twice.")))
        seen.add(name)
        if name in CONTEXT_COLUMNS:
            context[i] = name
        elif not _attach(name, i, specs):
            problems.append(ImportProblem(1, name, _("Unknown column: no such question.")))
    if "submitted_at" not in seen:
        problems.append(ImportProblem(1, "submitted_at", _("The column is required.")))
    for spec in specs.values():
        if spec.value_column is not None and spec.option_columns:
            message = _("Give the options as one column or as 0/1 columns, not both.")
            problems.append(ImportProblem(1, spec.key, message))
    if problems:
        raise ImportFailed(problems)
    used = [s for s in specs.values() if s.value_column is not None or s.option_columns]
    return used, context


def _attach(name: str, column: int, specs: dict[str, QuestionSpec]) -> bool:
    """Attach a question column to its question; False when the name is unknown."""
    if name in specs:
        specs[name].value_column = column
        return True
    key, sep, suffix = name.rpartition(OPTION_SEPARATOR)
    spec = specs.get(key) if sep else None
    if spec is None:
        return False
    if name.endswith(DONT_KNOW_SUFFIX) and spec.dont_know:
        spec.dont_know_column = column
        return True
    if spec.type == "multiple_choice" and suffix in spec.options:
        spec.option_columns[suffix] = column
        return True
    return False


def _parse_row(
    line: int,
    row: list[str],
    header: list[str],
    specs: list[QuestionSpec],
    context: dict[int, str],
    lookups: Lookups,
    decimal_comma: bool,
) -> tuple[dict[str, Any], list[tuple[int, Any]]] | list[ImportProblem]:
    """Return a row's context values and answers, or its problems."""
    if len(row) != len(header):
        message = _("The row has %(n)s cells but the header has %(m)s.", n=len(row), m=len(header))
        return [ImportProblem(line, None, message)]
    problems: list[ImportProblem] = []
    values: dict[str, Any] = {}
    for i, name in context.items():
        if row[i].strip():
            try:
                read_context(name, row[i], lookups, values)
            except CellError as error:
                problems.append(ImportProblem(line, name, str(error.args[0])))
    if "submitted_at" not in values and not any(p.column == "submitted_at" for p in problems):
        problems.append(ImportProblem(line, "submitted_at", _("Give the time of the response.")))
    answers: list[tuple[int, Any]] = []
    for spec in specs:
        try:
            answer = answer_of(spec, row, decimal_comma=decimal_comma)
        except CellError as error:
            problems.append(ImportProblem(line, header[error.args[1]].strip(), str(error.args[0])))
            continue
        if answer is not None:
            answers.append((spec.question_id, answer))
    if not answers and not problems:
        problems.append(ImportProblem(line, None, _("The row has no answers.")))
    return problems or (values, answers)


def _response(target: BatteryVersion, values: dict[str, Any], actor_id: int | None) -> dict:
    return {
        "battery_version_id": target.id,
        "survey_id": values.get("survey_id"),
        "invitation_id": None,
        "visit_id": None,
        "company_id": None,
        "collection_mode": "import",
        "language": values.get("language", "sv"),
        "submitted_at": values["submitted_at"],
        "service_area_id": values.get("service_area_id"),
        "sni_section": values.get("sni_section"),
        "size_class": values.get("size_class"),
        "created_by_id": actor_id,
        "created_at": utcnow(),
    }


def _insert(responses: list[dict], answers: list[list[tuple[int, Any]]], battery_id: int) -> int:
    """Insert responses in batches (ids returned in order), then their answers; count answers.

    The new responses are then added to the battery's index rollups in one go.
    """
    table = Response.__table__
    returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    written = 0
    inserted: list[int] = []
    for start in range(0, len(responses), BATCH):
        ids = db.session.execute(returning, responses[start : start + BATCH]).scalars().all()
        inserted.extend(ids)
        rows = [
            {
                "response_id": response_id,
                "question_id": question_id,
                "value_number": number,
                "value_text": text,
                "dont_know": dont_know,
            }
            for response_id, row in zip(ids, answers[start : start + BATCH], strict=True)
            for question_id, (number, text, dont_know) in row
        ]
        db.session.execute(insert(Answer.__table__), rows)
        written += len(rows)
    rollups.add_responses(battery_id, inserted)
    return written
