"""Import companies from a CSV file as municipalities keep them: preview first, then write.

Files come as UTF-8 (with or without BOM) or as Windows-1252 from Excel, separated by `;` or
`,`, with Swedish or English column names. Each column's field is guessed from its title
(`company_columns`) and may be changed by the user; a column of no field is named as left out,
never dropped silently. An optional `språk` (language) column sets the language of the
company's survey mail: sv or en (or svenska/engelska); new companies without one get Swedish.
Every bad row is reported with its line, column and reason; nothing is written until the good
rows are confirmed. Re-importing updates companies by their organisation number; an empty
cell never erases a value already in the register.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import Company
from survey.models.base import utcnow
from survey.services import audit
from survey.services.errors import DomainError
from survey.services.register import import_columns
from survey.services.register.companies import DEFAULT_LANGUAGE, FIELDS, clean_fields

BATCH_SIZE = 1000
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Problem:
    """Why one row cannot be imported: its line, the file's column title, its field, the reason."""

    line: int
    column: str
    reason: str
    field: str = ""


@dataclass(frozen=True)
class Row:
    """A good row: its line and the cleaned company fields it gives."""

    line: int
    values: dict[str, Any]


@dataclass
class ImportPreview:
    """What an import would do: the columns' fields, the good rows (new or updates), problems.

    `mapping` gives each column of `header` its field ("" = left out); `samples` the first
    value of each column. When the mapping cannot be used, `mapping_error` says why and no
    row is read.
    """

    header: list[str] = field(default_factory=list)
    mapping: tuple[str, ...] = ()
    samples: list[str] = field(default_factory=list)
    mapping_error: str | None = None
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new: int = 0
    updates: int = 0

    @property
    def bad_rows(self) -> int:
        """Return the number of distinct lines with a problem."""
        return len({problem.line for problem in self.problems})

    @property
    def left_out(self) -> list[str]:
        """Return the titles of the columns that are not imported."""
        return [
            title for title, chosen in zip(self.header, self.mapping, strict=True) if not chosen
        ]

    @property
    def fields(self) -> list[str]:
        """Return the imported fields in the register's order (the preview table's columns)."""
        return [name for name in import_columns.FIELD_LABELS if name in self.mapping]


@dataclass(frozen=True)
class ImportResult:
    """How many companies an import created and updated."""

    created: int
    updated: int


def decode(data: bytes) -> str:
    """Decode as UTF-8 (BOM optional), else as Windows-1252 the way Excel saves CSV."""
    if b"\x00" in data:  # never text (UTF-16 or binary), and PostgreSQL cannot store it
        raise DomainError(_("The file contains NUL characters."), field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise DomainError(_("The file is not a text (CSV) file."), field="file") from None


def _reader(text: str) -> Any:  # a csv reader (its type is private)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first_line.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def parse(data: bytes, mapping: Sequence[str] | None = None) -> ImportPreview:
    """Read a CSV file into good rows and problems, without touching the database.

    Without a `mapping` each column's field is guessed from its title.
    """
    if len(data) > current_app.config["SURVEY_MAX_UPLOAD_BYTES"]:
        raise DomainError(_("The file is too large."), field="file")
    reader = _reader(decode(data))
    preview = ImportPreview()
    try:
        header = next((row for row in reader if any(cell.strip() for cell in row)), None)
        if header is None:
            raise DomainError(_("The file is empty."), field="file")
        preview.header = [title.strip() for title in header]
        guessed = import_columns.guess_mapping(preview.header)
        preview.mapping = tuple(mapping) if mapping is not None else guessed
        try:
            import_columns.check_mapping(preview.header, preview.mapping)
        except DomainError as error:
            preview.mapping_error = error.message
            if len(preview.mapping) != len(preview.header):
                preview.mapping = guessed
        _read_rows(reader, preview)
    except csv.Error as error:
        raise DomainError(
            _("Line %(line)s cannot be read: %(error)s", line=reader.line_num, error=str(error)),
            field="file",
        ) from None
    return preview


def _read_rows(reader: Any, preview: ImportPreview) -> None:
    columns = {name: index for index, name in enumerate(preview.mapping) if name}
    seen: dict[str, int] = {}
    preview.samples = [""] * len(preview.header)
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        for index, cell in enumerate(cells[: len(preview.header)]):
            preview.samples[index] = preview.samples[index] or cell.strip()
        if preview.mapping_error is None:
            _parse_row(reader.line_num, cells, columns, preview.header, seen, preview)
        if len(preview.rows) + len(preview.problems) > MAX_ROWS:
            raise DomainError(_("The file has too many rows."), field="file")


def _parse_row(
    line: int,
    cells: list[str],
    columns: dict[str, int],
    header: list[str],
    seen: dict[str, int],
    preview: ImportPreview,
) -> None:
    raw = {name: cells[index] if index < len(cells) else "" for name, index in columns.items()}
    values, errors = clean_fields(raw)
    number = values.get("org_number")
    if number in seen:
        errors["org_number"] = _(
            "The same organisation number as line %(line)s.", line=seen[number]
        )
    elif number:
        seen[number] = line
    for name, reason in errors.items():
        preview.problems.append(Problem(line, header[columns[name]], reason, name))
    if not errors:
        preview.rows.append(Row(line, values))


def _existing() -> dict[str, int]:
    return dict(db.session.execute(select(Company.org_number, Company.id)).all())


def preview(data: bytes, mapping: Sequence[str] | None = None) -> ImportPreview:
    """Parse a file and count which good rows are new companies and which update one."""
    result = parse(data, mapping)
    existing = _existing()
    result.updates = sum(1 for row in result.rows if row.values["org_number"] in existing)
    result.new = len(result.rows) - result.updates
    return result


def import_rows(
    result: ImportPreview,
    *,
    actor_id: int | None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Write the good rows of a preview: insert new companies, update known ones, in batches;
    `progress` hears of each batch's rows."""
    existing = _existing()
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row in result.rows:
        known = existing.get(row.values["org_number"])
        if known is None:
            blank = dict.fromkeys(FIELDS) | {"sni_section": None, "opted_out": False}
            language = row.values.get("language") or DEFAULT_LANGUAGE
            times = {"created_at": now, "updated_at": now}
            inserts.append(blank | row.values | {"language": language} | times)
        else:
            kept = {key: value for key, value in row.values.items() if value is not None}
            updates.append(kept | {"id": known, "updated_at": now})
    try:
        for statement, rows in ((insert(Company), inserts), (update(Company), updates)):
            for start in range(0, len(rows), BATCH_SIZE):
                batch = rows[start : start + BATCH_SIZE]
                db.session.execute(statement, batch)
                if progress is not None:
                    progress(len(batch))
        audit.record(
            "company.import",
            user_id=actor_id,
            object_type="company",
            created=len(inserts),
            updated=len(updates),
        )
        db.session.commit()
    except IntegrityError:  # another import registered one of these companies meanwhile
        db.session.rollback()
        raise DomainError(
            _("Some of these companies were registered meanwhile; confirm the import again."),
            field="file",
        ) from None
    return ImportResult(created=len(inserts), updated=len(updates))
