"""Read an imported response file as CSV rows, a line at a time, never the whole file at once.

The file is checked in a first, cheap pass over its raw lines (UTF-8, no NUL bytes), so that
a bad byte is reported with its line before anything is parsed or written, and the delimiter
is picked from the header line. The second pass decodes it as a stream (a BOM is dropped)
and yields the CSV rows with the line each starts on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from flask_babel import gettext as _


@dataclass(frozen=True)
class ImportProblem:
    """A bad cell (or row, or header) of the file: ``line`` is the file's line number."""

    line: int
    column: str | None
    message: str


class UnreadableFile(ValueError):
    """The file cannot be read as CSV text; ``problem`` says where and why."""

    def __init__(self, problem: ImportProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def check_text(source: BinaryIO) -> str:
    """Check that the file is UTF-8 text without NUL bytes; return its delimiter (`;` or `,`).

    Reads the file once, line by line (a UTF-8 character never contains a newline byte, so
    each line decodes on its own), and leaves it at its start.
    """
    first = ""
    for number, raw in enumerate(source, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            message = _("The file is not UTF-8 text; save it as UTF-8.")
            raise UnreadableFile(ImportProblem(number, None, message)) from None
        if "\x00" in line:  # never text, and PostgreSQL cannot store it
            message = _("The file contains NUL characters.")
            raise UnreadableFile(ImportProblem(number, None, message))
        if number == 1:
            first = line
    source.seek(0)
    return ";" if first.count(";") > first.count(",") else ","


class CsvRows:
    """The CSV rows of a checked file, decoded as a stream; the caller's file stays open."""

    def __init__(self, source: BinaryIO, delimiter: str) -> None:
        self.text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
        self.reader: Any = csv.reader(self.text, delimiter=delimiter)

    def header(self) -> list[str]:
        """Return the header row; UnreadableFile when there is none or it cannot be read."""
        try:
            header = next(self.reader, None)
        except csv.Error as error:
            message = _("The line cannot be read: %(error)s", error=str(error))
            raise UnreadableFile(ImportProblem(1, None, message)) from None
        if not header:
            raise UnreadableFile(ImportProblem(1, None, _("The file is empty.")))
        return header

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        """Yield each non-blank row with the line it starts on (UnreadableFile if unreadable)."""
        reader = self.reader
        line = reader.line_num + 1
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield line, row
                line = reader.line_num + 1
        except csv.Error as error:  # e.g. a field over the csv module's size limit
            message = _("The line cannot be read: %(error)s", error=str(error))
            raise UnreadableFile(ImportProblem(line, None, message)) from None

    def close(self) -> None:
        """Let go of the decoder without closing the caller's file."""
        self.text.detach()
