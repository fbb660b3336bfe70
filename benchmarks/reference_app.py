"""The submit benchmark's reference: a minimal Flask route inserting the same rows at once.

Served by gunicorn like the real app: `gunicorn -w 2 benchmarks.reference_app:app`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_size=5)
QUESTIONS: dict[str, int] = {}


@app.post("/submit/<int:version_id>")
def submit(version_id: int) -> tuple[str, int]:
    """Insert one response and its answers (one executemany) in one transaction."""
    with engine.begin() as connection:
        if not QUESTIONS:
            QUESTIONS.update(
                connection.execute(
                    text("SELECT key, id FROM questions WHERE version_id = :v"), {"v": version_id}
                ).all()
            )
        now = datetime.now(UTC).replace(tzinfo=None)
        response_id = connection.execute(
            text(
                "INSERT INTO responses (battery_version_id, collection_mode, language, "
                "submitted_at, created_at) VALUES (:v, 'web', 'sv', :now, :now) RETURNING id"
            ),
            {"v": version_id, "now": now},
        ).scalar_one()
        rows = [
            {"r": response_id, "q": QUESTIONS[key], "n": _number(value), "t": _text(value)}
            for key, value in request.form.items()
            if key in QUESTIONS
        ]
        connection.execute(
            text(
                "INSERT INTO answers (response_id, question_id, value_number, value_text, "
                "dont_know) VALUES (:r, :q, :n, :t, false)"
            ),
            rows,
        )
    return "ok", 200


def _number(value: str) -> float | None:
    return float(value) if value.isdigit() else None


def _text(value: str) -> str | None:
    return None if value.isdigit() else value
