"""Loading battery definitions into the database, versions, and the freeze invariant."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import BatteryVersion, Question, QuestionOption, Section
from survey.models.guards import FrozenVersionError
from survey.questionnaires import Text, content_hash, load_file
from survey.services.batteries import batteries

SHIPPED = sorted((Path(__file__).resolve().parents[2] / "questionnaires").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_file_loads_and_round_trips_through_the_database(app, path: Path) -> None:
    definition = load_file(path)
    with app.app_context():
        result = batteries.load_definition(definition, actor_id=None)
        assert result.outcome == "created"
        version = batteries.get_version(definition.key)
        assert version.is_published
        assert batteries.definition_of(version) == definition
        assert version.content_hash == content_hash(definition)


def test_unchanged_definition_changes_nothing_and_changed_one_makes_a_version(app) -> None:
    definition = load_file(SHIPPED[0])
    changed = dataclasses.replace(definition, title=Text(sv="Ny titel", en="New title"))
    with app.app_context():
        batteries.load_definition(definition, actor_id=None)
        assert batteries.load_definition(definition, actor_id=None).outcome == "unchanged"
        result = batteries.load_definition(changed, actor_id=None)
        assert (result.outcome, result.version_number) == ("new_version", 2)
        assert batteries.get_version(definition.key, 1).title_sv == definition.title.sv
        assert batteries.get_version(definition.key).title_sv == "Ny titel"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda v, q, o, s: setattr(v, "title_sv", "Ändrad"),
        lambda v, q, o, s: setattr(q, "text_sv", "Ändrad fråga"),
        lambda v, q, o, s: setattr(q, "weight", 2.0),
        lambda v, q, o, s: setattr(o, "label_sv", "Ändrat alternativ"),
        lambda v, q, o, s: setattr(s, "title_sv", "Ändrad del"),
        lambda v, q, o, s: db.session.delete(q),
        lambda v, q, o, s: db.session.delete(v),
        lambda v, q, o, s: s.questions.append(
            Question(version=v, position=99, key="NY_FRAGA", type="short_text", text_sv="Ny fråga")
        ),
        lambda v, q, o, s: setattr(v, "status", "draft"),
    ],
    ids=[
        "title",
        "question-text",
        "weight",
        "option-label",
        "section-title",
        "delete-question",
        "delete-version",
        "add-question",
        "unpublish",
    ],
)
def test_published_version_cannot_change_by_any_orm_path(app, mutate) -> None:
    path = next(p for p in SHIPPED if "nki" in p.stem)
    with app.app_context():
        batteries.load_definition(load_file(path), actor_id=None)
        version = batteries.get_version("nki-myndighetsutovning")
        option = db.session.scalars(
            select(QuestionOption).join(Question).where(Question.version_id == version.id).limit(1)
        ).one()
        question = option.question
        section = db.session.scalars(
            select(Section).where(Section.version_id == version.id)
        ).first()
        mutate(version, question, option, section)
        with pytest.raises(FrozenVersionError):
            db.session.commit()
        db.session.rollback()
        fresh = db.session.get(BatteryVersion, version.id)
        assert batteries.definition_of(fresh) == load_file(path)
