"""Import past results from a wide CSV file (one row per response), all or nothing.

The format is the one the response export writes: context columns (see
response_import_context), then one column per question key; multiple choice as
``KEY__OPTION`` 0/1 columns (or one ``KEY`` column of space-separated option keys), and
"vet ej" as an empty cell with ``KEY__dont_know`` = 1. An empty cell is no answer. UTF-8
with or without BOM; `;` or `,` as delimiter; with `;` a decimal comma is accepted. Text
the export neutralised against formula injection (a `'` before `=`, `+`, `-`, `@`, tab or
CR) comes back as it was.

The file is read as a stream and valid rows are written in batches (response_import_writer)
inside one transaction, so memory stays bounded however long the file is. Every bad cell is
reported with its line and column (the first ``MAX_LISTED``), and nothing is kept unless the
whole file is valid: the transaction is rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey.extensions import db
from survey.models import BatteryVersion, Question
from survey.models.base import utcnow
from survey.services import audit
from survey.services.batteries import batteries
from survey.services.errors import DomainError
from survey.services.imports.cells import CellError, QuestionSpec, answer_of
from survey.services.imports.context import CONTEXT_COLUMNS, Lookups, read_context
from survey.services.imports.file import (
    CsvRows,
    ImportProblem,
    UnreadableFile,
    check_text,
)
from survey.services.imports.writer import BatchWriter
from survey.services.statistics.sql import zone

OPTION_SEPARATOR = "__"
DONT_KNOW_SUFFIX = "__dont_know"
MAX_LISTED = 1000  # problems listed one by one; the rest are counted
PROGRESS_LINES = 1000  # a progress callback hears of every so many lines

__all__ = ["ImportFailed", "ImportProblem", "ImportResult", "import_responses"]


class ImportFailed(DomainError):
    """The file has problems; nothing was imported. ``total`` counts unlisted ones too."""

    def __init__(self, problems: list[ImportProblem], total: int | None = None) -> None:
        self.total = len(problems) if total is None else total
        super().__init__(
            ngettext(
                "%(num)s problem in the file; nothing was imported.",
                "%(num)s problems in the file; nothing was imported.",
                self.total,
            )
        )
        self.problems = problems

    @property
    def unlisted(self) -> int:
        """How many problems are not in ``problems``."""
        return self.total - len(self.problems)


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    battery: str
    version: int
    responses: int
    answers: int


def import_responses(
    source: BinaryIO,
    *,
    battery: str,
    version: int | None = None,
    actor_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check a response file against a published battery version; store every row, or none.

    ``source`` is a seekable binary file (it is read twice: bytes, then CSV), left open.
    ``progress`` is told how many more of the file's lines have been read, now and then.
    """
    target = batteries.get_version(battery, version)
    if not target.is_published:
        raise DomainError(_("Import into a published version only."), field="version")
    try:
        delimiter = check_text(source)
    except UnreadableFile as error:
        raise ImportFailed([error.problem]) from None
    rows = CsvRows(source, delimiter)
    try:
        written = _import_rows(
            rows, target, decimal_comma=delimiter == ";", actor_id=actor_id, progress=progress
        )
    except BaseException:
        db.session.rollback()
        raise
    finally:
        rows.close()
    audit.record(
        "responses.import",
        user_id=actor_id,
        object_type="battery_version",
        object_id=target.id,
        responses=written.written_responses,
    )
    db.session.commit()
    return ImportResult(battery, target.number, written.written_responses, written.written_answers)


def _import_rows(
    rows: CsvRows,
    target: BatteryVersion,
    *,
    decimal_comma: bool,
    actor_id: int | None,
    progress: Callable[[int], None] | None,
) -> BatchWriter:
    """Check every row; write the valid ones in batches until the first problem; flush only."""
    try:
        header = rows.header()
    except UnreadableFile as error:
        raise ImportFailed([error.problem]) from None
    specs, context = _layout([name.strip() for name in header], _questions(target))
    lookups = Lookups.load(target.battery_id, zone(), utcnow())
    writer = BatchWriter(target, actor_id)
    problems: list[ImportProblem] = []
    total = valid = 0
    told = 0
    try:
        for line, row in rows:
            if progress is not None and line - told >= PROGRESS_LINES:
                progress(line - told)
                told = line
            parsed = _parse_row(line, row, header, specs, context, lookups, decimal_comma)
            if isinstance(parsed, list):
                total += len(parsed)
                problems.extend(parsed[: MAX_LISTED - len(problems)])
                continue
            valid += 1
            if not total:  # after a problem nothing more is written: it all rolls back
                writer.add(*parsed)
    except UnreadableFile as error:
        raise ImportFailed([error.problem]) from None
    if progress is not None:
        progress(rows.reader.line_num - told)
    if total:
        raise ImportFailed(problems, total)
    if not valid:
        raise ImportFailed([ImportProblem(2, None, _("The file has no responses."))])
    writer.finish()
    return writer


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
    used.sort(key=_first_column)  # a row's problems are reported in the file's column order
    return used, context


def _first_column(spec: QuestionSpec) -> int:
    columns = [*spec.option_columns.values()]
    if spec.value_column is not None:
        columns.append(spec.value_column)
    return min(columns)


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
