"""Lists of organisationsnummer an official pastes or uploads to choose a survey's recipients.

One company a line. People paste a column from a spreadsheet, or upload the spreadsheet saved
as text or CSV: a line may then hold several cells (separated by tab, semicolon or comma), a
header line names the columns, and numbers come in any spelling `survey.orgnr` accepts
(556677-8899, 5566778899, 16556677-8899). A header line (no cell with a digit) is skipped; if
it names an organisation-number column that column is read, else the first. Every line that
gives no valid number is reported with its line number, so the official can correct the file.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from survey import orgnr
from survey.extensions import db
from survey.models import Company

#: Header names (lower case, without spaces and dots) of an organisation-number column.
ORG_NUMBER_HEADERS = frozenset(
    {"orgnr", "organisationsnummer", "organisationsnr", "orgnummer", "orgno", "organisationnumber",
     "corporateidentitynumber", "identitetsbeteckning"}
)  # fmt: skip
_DELIMITERS = "\t;,"
CHUNK = 500  # numbers looked up per query (SQLite binds a limited number of parameters)
_HEADER_NOISE = re.compile(r"[\s._-]+")


@dataclass(frozen=True)
class ListProblem:
    """A line of the list that chooses no company, and why (in the user's language)."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class OrgNumberList:
    """The valid numbers of a list (normalised, with the line each first came on) and its
    problems: invalid numbers and repeats."""

    numbers: dict[str, int] = field(default_factory=dict)
    problems: list[ListProblem] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Return an uploaded file's text: UTF-8 (with or without BOM), else Windows-1252 (Excel)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(lines: list[str]) -> str | None:
    """Return the cell separator the lines use (the most frequent of tab, ; and ,), or None."""
    sample = "\n".join(lines[:20])
    counts = {d: sample.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


def _is_header(cells: list[str]) -> bool:
    return not any(any(char.isdigit() for char in cell) for cell in cells)


def _column(header: list[str]) -> int:
    names = [_HEADER_NOISE.sub("", cell.lower()) for cell in header]
    return next((i for i, name in enumerate(names) if name in ORG_NUMBER_HEADERS), 0)


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """Return the non-blank lines as (line number, cells)."""
    lines = text.splitlines()
    delimiter = _delimiter(lines)
    if delimiter is None:
        return [(n, [line]) for n, line in enumerate(lines, start=1) if line.strip()]
    # A comma inside a number ("556677-8899,") is a cell separator too; a quoted cell keeps it.
    cells = csv.reader(lines, delimiter=delimiter)
    return [(n, row) for n, row in enumerate(cells, start=1) if any(c.strip() for c in row)]


def parse(text: str) -> OrgNumberList:
    """Read one organisation number a line; report invalid numbers and repeats by line."""
    result = OrgNumberList()
    rows = _rows(text)
    column = 0
    if rows and _is_header(rows[0][1]):
        column = _column(rows[0][1])
        rows = rows[1:]
    for line, cells in rows:
        raw = cells[column].strip() if column < len(cells) else ""
        try:
            number = orgnr.normalize(raw)
        except orgnr.OrgNumberError as error:
            result.problems.append(ListProblem(line, raw or "; ".join(cells), error.message))
            continue
        if number in result.numbers:
            reason = _("Repeats line %(line)s.", line=result.numbers[number])
            result.problems.append(ListProblem(line, raw, reason))
            continue
        result.numbers[number] = line
    return result


def resolve(numbers: OrgNumberList) -> tuple[list[int], list[ListProblem]]:
    """Return the ids of the register's companies the list names (in list order) and a
    problem for each number the register does not hold."""
    wanted = list(numbers.numbers)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(Company.org_number, Company.id).where(
            Company.org_number.in_(wanted[start : start + CHUNK])
        )
        found.update((number, company_id) for number, company_id in db.session.execute(query))
    ids: list[int] = []
    unknown: list[ListProblem] = []
    for number, line in numbers.numbers.items():
        if number in found:
            ids.append(found[number])
        else:
            unknown.append(ListProblem(line, number, _("Not in the company register.")))
    return ids, unknown
