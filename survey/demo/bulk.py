"""Bulk writing of generated responses: COPY on PostgreSQL, Core executemany elsewhere.

Response ids are reserved in bulk (the table is locked on PostgreSQL for the transaction so
no concurrent insert takes one of them); answers get their ids from the database.

On PostgreSQL, when the role may, the per-row foreign-key triggers are switched off while the
generator writes (`session_replication_role = replica`, for this transaction only): they
cost three quarters of the load time, and every reference written is correct by
construction (responses of this block, questions of the published version, areas and
companies read in the same transaction). Unique and check constraints stay enforced, and
tests/demo checks referential integrity after a generation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, insert, select, text

from survey.demo.answers import AnswerColumn, QuestionSpec
from survey.extensions import db
from survey.models import Answer, Response

RESPONSE_COLUMNS = (
    "id", "battery_version_id", "collection_mode", "language", "submitted_at",
    "service_area_id", "sni_section", "size_class", "company_id", "created_at",
)  # fmt: skip
ANSWER_COLUMNS = ("response_id", "question_id", "value_number", "value_text", "dont_know")


def write_block(
    version_id: int,
    frame: dict[str, np.ndarray],
    questions: Sequence[QuestionSpec],
    columns: dict[str, AnswerColumn],
) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Insert one block of responses and their answers; return their ids and the answers
    (response id, question id, number, text, vet ej)."""
    connection = db.session.connection()
    size = frame["submitted_at"].size
    ids = reserve_ids(connection, size)
    answers = _answer_arrays(ids, questions, columns)
    postgres = connection.dialect.name == "postgresql"
    (_copy if postgres else _executemany)(connection, version_id, ids, frame, answers)
    return ids, answers


@contextmanager
def bulk_session(connection: Connection) -> Iterator[None]:
    """Skip the per-row foreign-key triggers inside the block when PostgreSQL allows it."""
    if (
        connection.dialect.name != "postgresql"
        or not connection.execute(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar()
    ):
        yield
        return
    connection.execute(text("SET LOCAL session_replication_role = replica"))
    try:
        yield
    finally:
        connection.execute(text("SET LOCAL session_replication_role = origin"))


def reserve_ids(connection: Connection, count: int) -> np.ndarray:
    """Return `count` fresh response ids, consecutive, that no other writer will use."""
    if connection.dialect.name != "postgresql":
        last = connection.execute(select(func.coalesce(func.max(Response.id), 0))).scalar_one()
        return np.arange(last + 1, last + 1 + count, dtype=np.int64)
    connection.execute(text("LOCK TABLE responses IN SHARE ROW EXCLUSIVE MODE"))
    sequence = connection.execute(text("SELECT pg_get_serial_sequence('responses', 'id')")).scalar()
    last = connection.execute(
        text(
            "SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM responses), "
            f"(SELECT last_value - CASE WHEN is_called THEN 0 ELSE 1 END FROM {sequence}))"
        )
    ).scalar_one()
    connection.execute(
        text("SELECT setval(:sequence, :value)"), {"sequence": sequence, "value": last + count}
    )
    return np.arange(last + 1, last + 1 + count, dtype=np.int64)


def _answer_arrays(
    ids: np.ndarray, questions: Sequence[QuestionSpec], columns: dict[str, AnswerColumn]
) -> tuple[np.ndarray, ...]:
    """Return answer columns (response id, question id, number, text, vet ej), by response."""
    parts: list[tuple[np.ndarray, ...]] = []
    for question in questions:
        column = columns[question.key]
        mask = column.answered
        parts.append(
            (
                ids[mask],
                np.full(int(mask.sum()), question.id, dtype=np.int64),
                column.number[mask],
                column.text[mask],
                column.dont_know[mask],
            )
        )
    joined = [np.concatenate([part[i] for part in parts]) for i in range(5)]
    order = np.argsort(joined[0], kind="stable")  # question order within each response
    return tuple(array[order] for array in joined)


def _copy_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _copy(
    connection: Connection,
    version_id: int,
    ids: np.ndarray,
    frame: dict[str, np.ndarray],
    answers: tuple[np.ndarray, ...],
) -> None:
    """Write the block with COPY ... FROM STDIN (text format) through psycopg."""
    stamps = np.datetime_as_string(frame["submitted_at"], unit="s").tolist()
    null = "\\N"
    lines = [
        f"{rid}\t{version_id}\t{mode}\t{lang}\t{at}\t{area}\t{sni or null}\t{size or null}\t"
        f"{null if company is None else company}\t{at}\n"
        for rid, mode, lang, at, area, sni, size, company in zip(
            ids.tolist(),
            frame["collection_mode"].tolist(),
            frame["language"].tolist(),
            stamps,
            frame["service_area_id"].tolist(),
            frame["sni_section"].tolist(),
            frame["size_class"].tolist(),
            frame["company_id"].tolist(),
            strict=True,
        )
    ]
    rid, qid, number, value_text, dont_know = answers
    numbers = [null if n != n else f"{n:g}" for n in number.tolist()]
    texts = [null if t is None else _copy_text(t) for t in value_text.tolist()]
    answer_lines = [
        f"{r}\t{q}\t{n}\t{t}\t{'t' if d else 'f'}\n"
        for r, q, n, t, d in zip(
            rid.tolist(), qid.tolist(), numbers, texts, dont_know.tolist(), strict=True
        )
    ]
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY responses ({', '.join(RESPONSE_COLUMNS)}) FROM STDIN") as copy:
        copy.write("".join(lines))
    with cursor.copy(f"COPY answers ({', '.join(ANSWER_COLUMNS)}) FROM STDIN") as copy:
        copy.write("".join(answer_lines))


def _executemany(
    connection: Connection,
    version_id: int,
    ids: np.ndarray,
    frame: dict[str, np.ndarray],
    answers: tuple[np.ndarray, ...],
) -> None:
    """Write the block with SQLAlchemy Core insert() executemany (any database)."""
    stamps = [
        moment.replace(tzinfo=UTC) for moment in frame["submitted_at"].astype(object).tolist()
    ]
    rows: list[dict[str, Any]] = [
        dict(zip(RESPONSE_COLUMNS, values, strict=True))
        for values in zip(
            ids.tolist(),
            [version_id] * ids.size,
            frame["collection_mode"].tolist(),
            frame["language"].tolist(),
            stamps,
            frame["service_area_id"].tolist(),
            frame["sni_section"].tolist(),
            frame["size_class"].tolist(),
            frame["company_id"].tolist(),
            stamps,
            strict=True,
        )
    ]
    connection.execute(insert(Response), rows)
    rid, qid, number, value_text, dont_know = answers
    answer_rows = [
        dict(zip(ANSWER_COLUMNS, (r, q, None if n != n else n, t, d), strict=True))
        for r, q, n, t, d in zip(
            rid.tolist(),
            qid.tolist(),
            number.tolist(),
            value_text.tolist(),
            dont_know.tolist(),
            strict=True,
        )  # fmt: skip
    ]
    connection.execute(insert(Answer), answer_rows)
