"""The wide export's rows: the database pivots each response's answers into one row.

One query returns one row per response: the context columns, then the answer columns, each
picked out of the response's answers with ``max(CASE WHEN question_id IN (the key's question
ids) ...)`` in a ``GROUP BY`` over the answers (portable SQL; on PostgreSQL a merge of two
index orders, no sort). A response has at most one answer per question (a unique
constraint), so `max` only picks that answer.

Scale and NPS answers (whole numbers, validated on every way in) and "vet ej" flags are
integers, which never need quoting: the database joins each run of such columns into CSV
text itself (``'5,0,,1,...'``), so Python neither fetches nor writes them one by one. The
other cells (text, multiple-choice options, other numbers, the context) are formatted and
quoted here exactly as ``csv.writer`` would (QUOTE_MINIMAL). Rows are read in batches
(export_reader) and written a batch at a time: memory is bounded by a few batches whatever
the number of responses, and there is no ORM object per answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    Select,
    String,
    case,
    cast,
    func,
    literal,
    select,
    type_coerce,
)

from survey.extensions import db
from survey.models import Answer, Company, Response, ServiceArea, Survey, Visit
from survey.services.export_columns import Column, Layout, QuestionInfo
from survey.services.export_reader import read_batches
from survey.services.export_rows import DANGEROUS_STARTS, Dialect, neutralise

BATCH = 2000  # responses per round trip and per written chunk
Cell = Callable[[Any], str]  # database value -> CSV cell text (unquoted)
NUMBER, TEXT = "number", "text"  # cells formatted as a number in the dialect, or as text
SUSPECT_STARTS = (*DANGEROUS_STARTS, "'")  # text that neutralise may change

CONTEXT = (
    Response.id.label("response_id"),
    # Naive UTC as stored: made aware here, cheaper than UTCDateTime's per-row processor.
    type_coerce(Response.submitted_at, DateTime()).label("submitted_at"),
    Response.collection_mode,  # the text columns, 2 to 7
    Response.language,
    Survey.name.label("survey"),
    ServiceArea.key.label("area"),
    Response.sni_section.label("industry"),
    Response.size_class.label("size"),
    Visit.visit_date,
    Survey.anonymous,
    Company.org_number,
    Company.name.label("company_name"),
)
CONTEXT_NAMES = ("response_id", "submitted_at", "collection_mode", "language", "survey", "area",
                 "industry", "size", "visit_date")  # fmt: skip
FIRST_ANSWER = len(CONTEXT)  # where the answer parts start in a query row


class Quoter:
    """Text to a CSV field as csv.writer writes it (QUOTE_MINIMAL), neutralised first."""

    def __init__(self, delimiter: str) -> None:
        self.special = re.compile("[" + re.escape(delimiter) + '"\r\n]').search

    def __call__(self, value: str | None) -> str:
        if value is None:
            return ""
        if value.startswith(SUSPECT_STARTS):
            value = neutralise(value)
        if self.special(value):
            return '"' + value.replace('"', '""') + '"'
        return value


class WidePlan:
    """The answer columns of the pivot, and how each reaches the CSV line.

    Each CSV answer column is an integer the database writes (`None`), a number in the
    dialect (`NUMBER`), text (`TEXT`) or a function of the stored value (an option flag).
    """

    def __init__(self, layout: Layout, dialect: Dialect) -> None:
        self.layout = layout
        self.dialect = dialect
        self.quote = Quoter(dialect.delimiter)
        self.columns: list[ColumnElement[Any]] = []  # pivot columns, one per CSV column
        self.cells: list[Cell | str | None] = []
        # Keys stored as numbers in one version and text in another: number column -> text.
        self.texts: dict[int, ColumnElement[Any]] = {}
        for info in layout.questions.values():
            self._plan(info)

    def _add(self, expression: ColumnElement[Any], cell: Cell | str | None) -> int:
        self.columns.append(expression.label(f"a{len(self.columns)}"))
        self.cells.append(cell)
        return len(self.columns) - 1

    def _plan(self, info: QuestionInfo) -> None:
        asked = Answer.question_id.in_(sorted(info.ids))
        answered = asked & ~Answer.dont_know
        if info.type == "multiple_choice":
            chosen = func.max(case((asked, func.coalesce(Answer.value_text, ""))))
            for option in info.options:
                self._add(chosen, _option_cell(option))
            return
        text = func.max(case((answered, Answer.value_text)))
        if info.whole:
            self._add(cast(func.max(case((answered, Answer.value_number))), Integer), None)
        elif info.numeric:
            position = self._add(func.max(case((answered, Answer.value_number))), NUMBER)
            if info.textual:
                self.texts[position] = text.label(f"t{position}")
        else:
            self._add(text, TEXT)
        if info.dont_know:
            flag = case((Answer.dont_know, literal(1)), else_=literal(0))
            self._add(func.max(case((asked, flag))), None)

    def query(self, survey_id: int | None) -> tuple[Select[Any], list[Callable[[Any], str]]]:
        """Return the query (one row per submitted response, by id) and the answer parts.

        Each part turns a query row into the CSV text of one or more answer columns.
        """
        scope = Response.battery_version_id.in_(self.layout.version_ids)
        if survey_id is not None:
            scope = scope & (Response.survey_id == survey_id)
        pivot = (
            select(Answer.response_id, *self.columns, *self.texts.values())
            .join(Response, Response.id == Answer.response_id)
            .where(scope)
            .group_by(Answer.response_id)
            .subquery("pivot")
        )
        selected, parts = self._parts(pivot)
        query = (
            select(*CONTEXT, *selected)
            .select_from(Response)
            .outerjoin(Survey, Response.survey_id == Survey.id)
            .outerjoin(ServiceArea, Response.service_area_id == ServiceArea.id)
            .outerjoin(Visit, Response.visit_id == Visit.id)
            .outerjoin(Company, Response.company_id == Company.id)
            .outerjoin(pivot, pivot.c.response_id == Response.id)
            .where(scope)
            .order_by(Response.id)
        )
        return query, parts

    def _parts(self, pivot: Any) -> tuple[list[ColumnElement[Any]], list[Callable[[Any], str]]]:
        """Select the text fallbacks, then runs of integers (joined in SQL) and single cells."""
        selected: list[ColumnElement[Any]] = [pivot.c[text.name] for text in self.texts.values()]
        fallback = {p: FIRST_ANSWER + i for i, p in enumerate(self.texts)}
        parts: list[Callable[[Any], str]] = []
        run: list[ColumnElement[Any]] = []

        def end_run() -> None:
            if run:
                parts.append(itemgetter(FIRST_ANSWER + len(selected)))
                selected.append(self._joined(run))
                run.clear()

        for position, cell in enumerate(self.cells):
            column = pivot.c[f"a{position}"]
            if cell is None:
                run.append(column)
                continue
            end_run()
            index = FIRST_ANSWER + len(selected)
            parts.append(self._part(index, cell, fallback.get(position)))
            selected.append(column)
        end_run()
        return selected, parts

    def _joined(self, run: list[ColumnElement[Any]]) -> ColumnElement[Any]:
        """The CSV text of integer columns: `5,0,,1` (empty for NULL), in SQL."""
        cells = [func.coalesce(cast(column, String), "") for column in run]
        joined = cells[0]
        for cell in cells[1:]:
            joined = joined + literal(self.dialect.delimiter) + cell
        return joined

    def _part(self, index: int, cell: Cell | str, text: int | None) -> Callable[[Any], str]:
        quote = self.quote
        if cell == NUMBER:
            number = self.dialect.number
            if text is not None:
                return lambda row: (
                    number(row[index]) if row[index] is not None else quote(row[text])
                )
            return lambda row: "" if row[index] is None else number(row[index])
        if cell == TEXT:
            return lambda row: quote(row[index])
        function: Cell = cell  # type: ignore[assignment]
        return lambda row: "" if row[index] is None else quote(function(row[index]))


def _option_cell(option: str) -> Cell:
    """A multiple-choice option's 0/1 cell from the answer's space-separated option keys."""
    return lambda chosen: "1" if option in chosen.split() else "0"


class WideLines:
    """Turn pivot query rows into wide CSV lines in the layout's column order."""

    def __init__(
        self,
        plan: WidePlan,
        parts: list[Callable[[Any], str]],
        columns: tuple[Column, ...],
        zone: ZoneInfo,
        pseudonym: Callable[[str], str] | None,
    ) -> None:
        context = [column.name for column in columns if column.question is None]
        if tuple(context[: len(CONTEXT_NAMES)]) != CONTEXT_NAMES:
            raise ValueError(f"unexpected context columns {context}")
        self.identities = "org_number" in context
        self.pseudonyms = "company" in context
        self.zone = zone
        self.pseudonym = pseudonym
        self.quote = plan.quote
        self.parts = parts
        self.delimiter = plan.dialect.delimiter

    def line(self, record: Any) -> str:
        """Return one response's CSV line: context, then every question column."""
        quote, visit_date = self.quote, record[8]
        cells = [
            str(record[0]),
            record[1].replace(tzinfo=UTC).astimezone(self.zone).isoformat(timespec="seconds"),
            *[quote(value) for value in record[2:8]],
            "" if visit_date is None else visit_date.isoformat(),
        ]
        if self.identities or self.pseudonyms:
            cells.extend(self._company(record[9], record[10], record[11]))
        cells.extend([part(record) for part in self.parts])
        return self.delimiter.join(cells) + "\r\n"

    def _company(self, anonymous: bool | None, org_number: str | None, name: str | None) -> list:
        identified = not anonymous and org_number is not None
        if self.identities:
            return [self.quote(org_number), self.quote(name)] if identified else ["", ""]
        if identified and self.pseudonym is not None:
            return [self.quote(self.pseudonym(org_number))]
        return [""]


def wide_text(
    layout: Layout,
    survey_id: int | None,
    dialect: Dialect,
    zone: ZoneInfo,
    pseudonym: Callable[[str], str] | None,
) -> Iterator[str]:
    """Yield the CSV text of every submitted response's row, a batch at a time, by id."""
    plan = WidePlan(layout, dialect)
    query, parts = plan.query(survey_id)
    lines = WideLines(plan, parts, layout.columns, zone, pseudonym)
    for partition in read_batches(db.engine, query, BATCH):
        yield "".join([lines.line(record) for record in partition])
