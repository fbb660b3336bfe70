"""Write imported responses a batch at a time, in the import's one transaction.

Valid rows are buffered and written every ``BATCH`` rows (responses with their ids returned
in order, then their answers, each with one executemany) and added to the index rollups, so
memory stays bounded however long the file is (the rollup builder's memory grows with the
number of responses it is given at once: about 18 kB each). Nothing is committed here: the
import commits once at the end, or rolls everything back when the file has problems.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, text

from survey.extensions import db
from survey.models import Answer, BatteryVersion, Question, Response, ServiceArea
from survey.models.base import utcnow
from survey.services.imports.cells import Answer as AnswerValues
from survey.services.imports.context import link_companies
from survey.services.statistics import rollups

BATCH = 1000  # rows per insert and rollup update: memory stays bounded
ANSWER_COLUMNS = ("response_id", "question_id", "value_number", "value_text", "dont_know")


class BatchWriter:
    """Buffer valid rows; insert them in batches; count what was written."""

    def __init__(self, target: BatteryVersion, actor_id: int | None) -> None:
        self.target = target
        self.actor_id = actor_id
        self.responses: list[dict[str, Any]] = []
        self.extras: list[dict[str, Any]] = []
        self.answers: list[list[tuple[int, AnswerValues]]] = []
        self.written_responses = 0
        self.written_answers = 0
        self.analyze_at = 1  # responses written when the planner statistics are next renewed
        # The version's service area question, and the areas its answers may name.
        self.area_question = db.session.scalar(
            select(Question.id).where(Question.version_id == target.id, Question.service_area)
        )
        self.area_ids = dict(db.session.execute(select(ServiceArea.key, ServiceArea.id)).all())

    def add(self, values: dict[str, Any], answers: list[tuple[int, AnswerValues]]) -> None:
        """Buffer one valid row; write the buffer when it is full."""
        self.responses.append(self._response(values, answers))
        self.extras.append(values)
        self.answers.append(answers)
        if len(self.responses) >= BATCH:
            self._write()

    def finish(self) -> None:
        """Write what is still buffered (flush only)."""
        self._write()

    def _area(self, values: dict[str, Any], answers: list[tuple[int, AnswerValues]]) -> int | None:
        """The row's `area`, else the area its answer to the service area question names."""
        if values.get("service_area_id") is not None or self.area_question is None:
            return values.get("service_area_id")
        chosen = next((a[1] for q, a in answers if q == self.area_question), None)
        return self.area_ids.get(chosen) if isinstance(chosen, str) else None

    def _response(
        self, values: dict[str, Any], answers: list[tuple[int, AnswerValues]]
    ) -> dict[str, Any]:
        return {
            "battery_version_id": self.target.id,
            "survey_id": values.get("survey_id"),
            "invitation_id": None,
            "visit_id": None,
            "company_id": None,
            "collection_mode": "import",
            "language": values.get("language", "sv"),
            "submitted_at": values["submitted_at"],
            "service_area_id": self._area(values, answers),
            "sni_section": values.get("sni_section"),
            "size_class": values.get("size_class"),
            "created_by_id": self.actor_id,
            "created_at": utcnow(),
        }

    def _write(self) -> None:
        """Insert the buffered responses (ids returned in order), their answers, and roll up."""
        if not self.responses:
            return
        link_companies(self.responses, self.extras)
        ids = insert_responses(self.responses)
        rows = [
            (response_id, question_id, number, text, dont_know)
            for response_id, answers in zip(ids, self.answers, strict=True)
            for question_id, (number, text, dont_know) in answers
        ]
        insert_answers(rows)
        self.written_responses += len(ids)
        self.written_answers += len(rows)
        if self.written_responses >= self.analyze_at:
            self.analyze_at = self.written_responses * 10
            renew_statistics()
        rollups.add_responses(self.target.battery_id, ids)
        self.responses, self.extras, self.answers = [], [], []


def renew_statistics() -> None:
    """Let PostgreSQL's planner see the rows this import has written so far.

    Into an empty or small database the tables grow by orders of magnitude inside the
    import's transaction, which autovacuum cannot see: with stale statistics, the rollups'
    per-batch read of answers by response id chose the question-id index and scanned every
    answer of the battery, so each batch cost more than the last (minutes at 200k). ANALYZE
    in the transaction counts its own rows; after 1, 10, 100, ... times the first batch.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("ANALYZE responses, answers"))


def insert_responses(rows: list[dict[str, Any]]) -> list[int]:
    """Insert response rows in the session's transaction; return their ids in row order.

    PostgreSQL: ids taken from the table's sequence in one query (no lock: others keep
    inserting), rows written with COPY (timestamps as naive UTC, as UTCDateTime stores them).
    Elsewhere: one multi-row INSERT ... RETURNING.
    """
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        table = Response.__table__
        returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(connection.execute(returning, rows).scalars())
    ids = sorted(
        connection.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence('responses', 'id')) "
                "FROM generate_series(1, :n)"
            ),
            {"n": len(rows)},
        ).scalars()
    )
    names = list(rows[0])
    with connection.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
        with cursor.copy(f"COPY responses (id, {', '.join(names)}) FROM STDIN") as copy:
            for response_id, row in zip(ids, rows, strict=True):
                copy.write_row([response_id, *(_utc(row[name]) for name in names)])
    return ids


def _utc(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def insert_answers(rows: list[tuple[int, int, float | None, str | None, bool]]) -> None:
    """Insert answer rows (response, question, number, text, vet ej) in the session's transaction.

    PostgreSQL gets them through COPY (an executemany sends one INSERT per answer, which was
    most of an import's time); other databases through one executemany.
    """
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        with connection.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy(f"COPY answers ({', '.join(ANSWER_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    connection.execute(
        insert(Answer.__table__), [dict(zip(ANSWER_COLUMNS, row, strict=True)) for row in rows]
    )
