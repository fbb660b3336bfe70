"""CSV writing shared by every export (dialect, formula neutralisation) and the long layout.

The long (tidy) layout reads the answers as plain tuples ordered by response, with
`yield_per` (a server-side cursor on PostgreSQL), a batch at a time: memory stays flat however
many responses there are. The wide layout's rows come from export_wide.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import Row, Select, select

from survey.extensions import db
from survey.models import Answer, Response
from survey.services.exports.columns import Layout

BATCH = 5000  # answers fetched per round trip (long layout)
FLUSH_EVERY = 500  # CSV rows per yielded chunk of csv_chunks
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Dialect:
    """How cells are written: plain (`,` and `.`) or for Swedish Excel (`;`, `,` and a BOM)."""

    excel: bool = False

    @property
    def delimiter(self) -> str:
        return ";" if self.excel else ","

    @property
    def encoding(self) -> str:
        return "utf-8-sig" if self.excel else "utf-8"

    def number(self, value: float) -> str:
        """Format a number without losing precision, with this dialect's decimal mark."""
        text = repr(float(value))
        if text.endswith(".0"):
            text = text[:-2]
        return text.replace(".", ",") if self.excel else text


def neutralise(text: str) -> str:
    """Prefix `'` to text a spreadsheet would run as a formula (CSV injection).

    Text that already starts with `'` before such a character gets one more, so that
    `restore` (used by the import) gives back exactly the original text.
    """
    if text.startswith(DANGEROUS_STARTS):
        return "'" + text
    if text.startswith("'") and text.lstrip("'").startswith(DANGEROUS_STARTS):
        return "'" + text
    return text


def restore(cell: str) -> str:
    """Undo `neutralise`: drop the `'` it put before `=`, `+`, `-`, `@`, tab or CR."""
    if cell.startswith("'") and cell.lstrip("'").startswith(DANGEROUS_STARTS):
        return cell[1:]
    return cell


def csv_chunks(header: list[str], rows: Iterable[list[Any]], dialect: Dialect) -> Iterator[str]:
    """Write rows as CSV and yield the text in chunks (the first starts with a BOM for Excel)."""
    return csv_batches(header, batched(rows, FLUSH_EVERY), dialect)


def csv_batches(
    header: list[str], batches: Iterable[list[list[Any]]], dialect: Dialect
) -> Iterator[str]:
    """Write the header, then each batch of rows with one `writerows`; yield a chunk per batch.

    Cells are text, or numbers and None, which the csv module writes as-is and empty.
    """
    buffer = io.StringIO()
    if dialect.excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(name) for name in header])
    for batch in batches:
        writer.writerows(batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def batched(rows: Iterable[list[Any]], size: int) -> Iterator[list[list[Any]]]:
    """Group rows into lists of `size` (the last may be shorter)."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def stream_batches(query: Select[Any], size: int) -> Iterator[Sequence[Row[Any]]]:
    """Yield the rows of `query` in lists of up to `size`, streamed (`yield_per`: a
    server-side cursor on PostgreSQL), on a connection of their own."""
    with db.engine.connect() as connection:
        result = connection.execute(query.execution_options(yield_per=size))
        try:
            yield from result.partitions()
        finally:
            result.close()  # the server-side cursor, before its connection


def long_query(layout: Layout, survey_id: int | None) -> Select[Any]:
    """Select every answer of the layout's submitted responses, by response and question id."""
    query = (
        select(
            Answer.response_id,
            Answer.question_id,
            Answer.value_number,
            Answer.value_text,
            Answer.dont_know,
        )
        .join(Response, Response.id == Answer.response_id)
        .where(Response.battery_version_id.in_(layout.version_ids))
        .order_by(Answer.response_id, Answer.question_id)
    )
    if survey_id is not None:
        query = query.where(Response.survey_id == survey_id)
    return query


def long_batches(
    layout: Layout, survey_id: int | None, dialect: Dialect
) -> Iterator[list[list[Any]]]:
    """Yield the long rows (response_id, question_key, value) of every answer, in batches.

    "vet ej" has the value `dont_know`; multiple choice gives one row per chosen option.
    """
    keys = layout.question_ids
    types = {key: info.type for key, info in layout.questions.items()}
    for partition in stream_batches(long_query(layout, survey_id), BATCH):
        rows: list[list[Any]] = []
        for response_id, question_id, number, text, dont_know in partition:
            key = keys.get(question_id)
            if key is None:
                continue
            if dont_know:
                rows.append([response_id, key, "dont_know"])
            elif types[key] == "multiple_choice":
                rows.extend([response_id, key, neutralise(o)] for o in (text or "").split())
            elif number is not None:
                rows.append([response_id, key, dialect.number(number)])
            else:
                rows.append([response_id, key, "" if text is None else neutralise(text)])
        yield rows
