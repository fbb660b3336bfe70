"""The wide export's rows: the database pivots each response's answers into one row.

One query returns one row per response: the context columns, then the answer columns, each
picked out of the response's answers with ``max(CASE WHEN question_id IN (the key's question
ids) ...)`` in a ``GROUP BY`` over the answers (portable SQL). A response has at most one
answer per question (a unique constraint), so `max` only picks that answer. The rows are
streamed in batches and written by ``csv.writer`` (export_rows): memory is bounded by a
batch whatever the number of responses, and there is no ORM object per answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    Select,
    case,
    cast,
    func,
    literal,
    select,
    type_coerce,
)

from survey.models import Answer, Company, Response, ServiceArea, Survey, Visit
from survey.services.exports.columns import Column, Layout, QuestionInfo
from survey.services.exports.rows import Dialect, neutralise, stream_batches

BATCH = 2000  # responses per round trip and per written chunk
Cell = Callable[[Any], Any]  # database value -> CSV cell
WHOLE, NUMBER, TEXT = "whole", "number", "text"  # an integer as it is, a number, text


def _text(value: str | None) -> str | None:
    return None if value is None else neutralise(value)


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


class WidePlan:
    """The answer columns of the pivot, and how each becomes a CSV cell: an integer as it
    is (`WHOLE`), a number in the dialect (`NUMBER`), text (`TEXT`) or a function of the
    stored value (an option flag)."""

    def __init__(self, layout: Layout, dialect: Dialect) -> None:
        self.layout = layout
        self.dialect = dialect
        self.columns: list[ColumnElement[Any]] = []  # pivot columns, one per CSV column
        self.cells: list[Cell | str] = []
        # Keys stored as numbers in one version and text in another: number column -> text.
        self.texts: dict[int, ColumnElement[Any]] = {}
        for info in layout.questions.values():
            self._plan(info)

    def _add(self, expression: ColumnElement[Any], cell: Cell | str) -> int:
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
            self._add(cast(func.max(case((answered, Answer.value_number))), Integer), WHOLE)
        elif info.numeric:
            position = self._add(func.max(case((answered, Answer.value_number))), NUMBER)
            if info.textual:
                self.texts[position] = text.label(f"t{position}")
        else:
            self._add(text, TEXT)
        if info.dont_know:
            flag = case((Answer.dont_know, literal(1)), else_=literal(0))
            self._add(func.max(case((asked, flag))), WHOLE)

    def query(self, survey_id: int | None) -> Select[Any]:
        """Return the query: one row per submitted response, by id, with the context
        columns, the answer columns in order, then the text fallbacks."""
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
        answers = [pivot.c[f"a{position}"] for position in range(len(self.columns))]
        texts = [pivot.c[text.name] for text in self.texts.values()]
        return (
            select(*CONTEXT, *answers, *texts)
            .select_from(Response)
            .outerjoin(Survey, Response.survey_id == Survey.id)
            .outerjoin(ServiceArea, Response.service_area_id == ServiceArea.id)
            .outerjoin(Visit, Response.visit_id == Visit.id)
            .outerjoin(Company, Response.company_id == Company.id)
            .outerjoin(pivot, pivot.c.response_id == Response.id)
            .where(scope)
            .order_by(Response.id)
        )

    def parts(self) -> dict[int, Callable[[Any], Any]]:
        """Return, by answer column, a function from a query row to its CSV cell; columns
        without one (`WHOLE`: integers and "vet ej" flags) are written as they are read."""
        fallback_start = FIRST_ANSWER + len(self.columns)
        fallback = {p: fallback_start + i for i, p in enumerate(self.texts)}
        return {
            position: self._part(FIRST_ANSWER + position, cell, fallback.get(position))
            for position, cell in enumerate(self.cells)
            if cell != WHOLE
        }

    def _part(self, index: int, cell: Cell | str, text: int | None) -> Callable[[Any], Any]:
        if cell == NUMBER:
            number = self.dialect.number
            if text is not None:
                return lambda row: (
                    number(row[index]) if row[index] is not None else _text(row[text])
                )
            return lambda row: None if row[index] is None else number(row[index])
        if cell == TEXT:
            return lambda row: _text(row[index])
        function: Cell = cell  # type: ignore[assignment]
        return lambda row: None if row[index] is None else _text(function(row[index]))


def _option_cell(option: str) -> Cell:
    """A multiple-choice option's 0/1 cell from the answer's space-separated option keys."""
    return lambda chosen: "1" if option in chosen.split() else "0"


class WideRows:
    """Turn pivot query rows into wide CSV rows in the layout's column order."""

    def __init__(
        self,
        plan: WidePlan,
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
        self.parts = list(plan.parts().items())
        self.answers_end = FIRST_ANSWER + len(plan.columns)

    def row(self, record: Any) -> list[Any]:
        """Return one response's CSV row: context, then every question column."""
        visit_date = record[8]
        cells = [
            record[0],
            record[1].replace(tzinfo=UTC).astimezone(self.zone).isoformat(timespec="seconds"),
            *[_text(value) for value in record[2:8]],
            None if visit_date is None else visit_date.isoformat(),
        ]
        if self.identities or self.pseudonyms:
            cells.extend(self._company(record[9], record[10], record[11]))
        answers = list(record[FIRST_ANSWER : self.answers_end])
        for position, part in self.parts:
            answers[position] = part(record)
        return cells + answers

    def _company(self, anonymous: bool | None, org_number: str | None, name: str | None) -> list:
        identified = not anonymous and org_number is not None
        if self.identities:
            return [_text(org_number), _text(name)] if identified else [None, None]
        if identified and self.pseudonym is not None:
            return [_text(self.pseudonym(org_number))]
        return [None]


def wide_rows(
    layout: Layout,
    survey_id: int | None,
    dialect: Dialect,
    zone: ZoneInfo,
    pseudonym: Callable[[str], str] | None,
) -> Iterator[list[list[Any]]]:
    """Yield every submitted response's CSV row, a batch at a time, by id."""
    plan = WidePlan(layout, dialect)
    rows = WideRows(plan, layout.columns, zone, pseudonym)
    for partition in stream_batches(plan.query(survey_id), BATCH):
        yield [rows.row(record) for record in partition]
