"""The generator writes responses that store_response itself would have written."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from survey.demo.responses import add_responses, generate_responses
from survey.extensions import db
from survey.models import Answer, BatteryVersion, Question, Response
from survey.services.batteries.mapping import version_definition
from survey.services.respondents.answers import answers_of, clean_answers

# Each test generates hundreds to thousands of responses.
pytestmark = pytest.mark.slow

END = date(2025, 6, 30)


def test_generates_the_count_asked_with_answers_of_the_exact_version(shipped: Flask) -> None:
    with shipped.app_context():
        result = generate_responses(1500, seed=2, end=END)
        assert result.responses == 1500
        assert db.session.scalar(select(func.count(Response.id))) == 1500
        assert db.session.scalar(select(func.count(Answer.response_id))) == result.answers
        foreign = db.session.scalar(
            select(func.count(Answer.response_id))
            .join(Response, Answer.response_id == Response.id)
            .join(Question, Answer.question_id == Question.id)
            .where(Question.version_id != Response.battery_version_id)
        )
        assert foreign == 0
        unpublished = db.session.scalar(
            select(func.count(Response.id))
            .join(BatteryVersion, Response.battery_version_id == BatteryVersion.id)
            .where(BatteryVersion.status != "published")
        )
        assert unpublished == 0


def test_every_response_is_canonical_for_store_response(shipped: Flask) -> None:
    """Cleaning a generated response again (types, show-if, required) changes nothing."""
    with shipped.app_context():
        generate_responses(400, seed=5, end=END)
        responses = db.session.scalars(select(Response).order_by(Response.id)).all()
        definitions: dict[int, object] = {}
        for response in responses:
            version = response.battery_version
            definition = definitions.setdefault(version.id, version_definition(version))
            stored = answers_of(response)
            assert clean_answers(definition, stored) == stored, response.id


def test_ids_continue_after_generation_and_normal_inserts_still_work(shipped: Flask) -> None:
    from survey.services.batteries import batteries
    from survey.services.respondents.answers import store_response

    with shipped.app_context():
        generate_responses(300, seed=1, end=END)
        version = batteries.get_version("uppfoljning-foretagsbesok")
        response = store_response(
            version,
            {"BESOK_VART_TIDEN": 5, "NKI_HELHET": 4, "NKI_FORVANTAN": 4},
            collection_mode="web",
            language="sv",
        )
        db.session.commit()
        assert response.id == 301
        generate_responses(10, seed=9, end=END)
        assert db.session.scalar(select(func.max(Response.id))) == 311


def test_foreign_keys_hold_after_a_bulk_generation(shipped: Flask, backend: str) -> None:
    with shipped.app_context():
        generate_responses(800, seed=3, end=END)
        orphans = db.session.execute(
            text(
                "SELECT count(*) FROM answers a LEFT JOIN responses r ON r.id = a.response_id "
                "LEFT JOIN questions q ON q.id = a.question_id WHERE r.id IS NULL OR q.id IS NULL"
            )
        ).scalar()
        assert orphans == 0
        if backend == "postgresql":  # the triggers are back on for the rest of the transaction
            role = db.session.execute(text("SHOW session_replication_role")).scalar()
            assert role == "origin"


def test_without_batteries_nothing_is_generated(app: Flask) -> None:
    with app.app_context():
        assert add_responses(100, seed=1).responses == 0
        db.session.rollback()


@pytest.mark.parametrize("count", [0, 1, 7])
def test_small_counts(shipped: Flask, count: int) -> None:
    with shipped.app_context():
        generate_responses(count, seed=4, end=END)
        assert db.session.scalar(select(func.count(Response.id))) == count
