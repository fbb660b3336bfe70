"""Stream response rows out of the database as CSV text, in wide or long (tidy) layout.

One SQL query over responses with their answers (outer join), ordered by response id and read
with `yield_per` (a server-side cursor on PostgreSQL), is pivoted one response at a time:
memory stays flat however many responses there are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select

from survey.extensions import db
from survey.models import Answer, Company, Response, ServiceArea, Survey, Visit
from survey.services.export_columns import DONT_KNOW_SUFFIX, Layout

BATCH = 2000  # rows fetched per round trip
FLUSH_EVERY = 500  # CSV rows per yielded chunk
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
    """Prefix `'` to text a spreadsheet would run as a formula (CSV injection)."""
    return "'" + text if text.startswith(DANGEROUS_STARTS) else text


def responses_query(layout: Layout, survey_id: int | None) -> Select[Any]:
    """Select every submitted response of the layout's battery with its answers, by id."""
    query = (
        select(
            Response.id.label("response_id"),
            Response.submitted_at,
            Response.collection_mode,
            Response.language,
            Survey.name.label("survey"),
            Survey.anonymous,
            ServiceArea.key.label("area"),
            Response.sni_section.label("industry"),
            Response.size_class.label("size"),
            Visit.visit_date,
            Company.org_number,
            Company.name.label("company_name"),
            Answer.question_id,
            Answer.value_number,
            Answer.value_text,
            Answer.dont_know,
        )
        .select_from(Response)
        .outerjoin(Survey, Response.survey_id == Survey.id)
        .outerjoin(ServiceArea, Response.service_area_id == ServiceArea.id)
        .outerjoin(Visit, Response.visit_id == Visit.id)
        .outerjoin(Company, Response.company_id == Company.id)
        .outerjoin(Answer, Answer.response_id == Response.id)
        .where(Response.battery_version_id.in_(layout.version_ids))
        .order_by(Response.id, Answer.id)
    )
    if survey_id is not None:
        query = query.where(Response.survey_id == survey_id)
    return query


def stream_rows(layout: Layout, survey_id: int | None) -> Iterator[tuple[Any, list[Any]]]:
    """Yield (response row, [answer rows]) per response, reading the database in batches."""
    result = db.session.execute(
        responses_query(layout, survey_id).execution_options(yield_per=BATCH, stream_results=True)
    )
    try:
        for _id, rows in groupby(result, key=attrgetter("response_id")):
            group = list(rows)
            yield group[0], [row for row in group if row.question_id is not None]
    finally:
        result.close()


def csv_chunks(header: list[str], rows: Iterable[list[str]], dialect: Dialect) -> Iterator[str]:
    """Write rows as CSV and yield the text in chunks (the first starts with a BOM for Excel)."""
    buffer = io.StringIO()
    if dialect.excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(name) for name in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % FLUSH_EVERY == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


class Formatter:
    """Turn one response (context row + answer rows) into wide or long CSV cells."""

    def __init__(
        self,
        layout: Layout,
        dialect: Dialect,
        zone: ZoneInfo,
        pseudonym: Callable[[str], str] | None,
    ) -> None:
        self.layout = layout
        self.dialect = dialect
        self.zone = zone
        self.pseudonym = pseudonym
        self.columns = layout.columns
        self.position = {column.name: i for i, column in enumerate(self.columns)}

    def context(self, head: Any) -> list[str]:
        """Return the context cells of a response, in the order of the context columns."""
        identified = not head.anonymous and head.org_number is not None
        values: dict[str, Any] = {
            "response_id": str(head.response_id),
            "submitted_at": self._datetime(head.submitted_at),
            "collection_mode": head.collection_mode,
            "language": head.language,
            "survey": head.survey,
            "area": head.area,
            "industry": head.industry,
            "size": head.size,
            "visit_date": _date(head.visit_date),
            "org_number": head.org_number if identified else None,
            "company_name": head.company_name if identified else None,
            "company": self.pseudonym(head.org_number) if identified and self.pseudonym else None,
        }
        return [
            _text(values[c.name]) for c in self.columns if c.question is None and c.name in values
        ]

    def wide(self, head: Any, answers: list[Any]) -> list[str]:
        """Return one wide row: context cells, then every question column."""
        row = self.context(head)
        row.extend([""] * (len(self.columns) - len(row)))
        for answer in answers:
            key = self.layout.question_ids.get(answer.question_id)
            if key is not None:
                self._fill(row, key, answer)
        return row

    def long(self, head: Any, answers: list[Any]) -> Iterator[list[str]]:
        """Yield (response_id, question_key, value) rows; "vet ej" has the value `dont_know`."""
        for answer in answers:
            key = self.layout.question_ids.get(answer.question_id)
            if key is None:
                continue
            info = self.layout.questions[key]
            if answer.dont_know:
                yield [str(head.response_id), key, "dont_know"]
            elif info.type == "multiple_choice":
                for option in (answer.value_text or "").split():
                    yield [str(head.response_id), key, neutralise(option)]
            else:
                yield [str(head.response_id), key, self._value(answer)]

    def _fill(self, row: list[str], key: str, answer: Any) -> None:
        info = self.layout.questions[key]
        if info.type == "multiple_choice":
            chosen = set((answer.value_text or "").split())
            for option in info.options:
                row[self.position[f"{key}__{option}"]] = "1" if option in chosen else "0"
            return
        flag = self.position.get(key + DONT_KNOW_SUFFIX)
        if flag is not None:
            row[flag] = "1" if answer.dont_know else "0"
        if not answer.dont_know:
            row[self.position[key]] = self._value(answer)

    def _value(self, answer: Any) -> str:
        if answer.value_number is not None:
            return self.dialect.number(answer.value_number)
        return _text(answer.value_text)

    def _datetime(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return value.astimezone(self.zone).isoformat(timespec="seconds")


def _date(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _text(value: Any) -> str:
    return "" if value is None else neutralise(str(value))
