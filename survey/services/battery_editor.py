"""The builder's edits of a draft's sections and questions (add, change, move, remove)."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_babel import gettext as _

from survey.extensions import db
from survey.models import BatteryVersion, Question, Section
from survey.questionnaires import model as spec
from survey.services.battery_builder import draft_version
from survey.services.battery_inputs import (
    QuestionInput,
    SectionInput,
    question_definition,
    section_definition,
)
from survey.services.battery_mapping import question_row, version_definition
from survey.services.battery_validation import (
    InvalidDraft,
    problems_of,
    question_problems,
    section_problems,
)
from survey.services.errors import DomainError, NotFound


def find_section(version: BatteryVersion, section_id: int) -> Section:
    """Return a section of this version, or raise NotFound."""
    section = db.session.get(Section, section_id)
    if section is None or section.version_id != version.id:
        raise NotFound(_("The section does not exist."))
    return section


def save_section(key: str, number: int, section_id: int | None, data: SectionInput) -> Section:
    """Add a section at the end of a draft, or change one."""
    version = draft_version(key, number)
    definition = version_definition(version)
    sections = list(definition.sections)
    if section_id is None:
        index, questions = len(sections), ()
        sections.append(section_definition(data, ()))
    else:
        section = find_section(version, section_id)
        index = version.sections.index(section)
        questions = sections[index].questions
        sections[index] = section_definition(data, questions)
    problems = section_problems(dataclasses.replace(definition, sections=tuple(sections)), index)
    if problems:
        raise InvalidDraft(problems)
    if section_id is None:
        section = Section(position=len(version.sections))
        version.sections.append(section)
    new = sections[index]
    section.key, section.title_sv, section.title_en = new.key, new.title.sv, new.title.en
    section.description_sv = new.description.sv if new.description else None
    section.description_en = new.description.en if new.description else None
    db.session.commit()
    return section


def _swap(items: list, index: int, direction: str) -> None:
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        raise DomainError(_("It cannot move further in that direction."))
    items[index].position, items[other].position = items[other].position, items[index].position


def move_section(key: str, number: int, section_id: int, direction: str) -> None:
    """Move a draft's section up or down."""
    version = draft_version(key, number)
    section = find_section(version, section_id)
    _swap(list(version.sections), version.sections.index(section), direction)
    _check_conditions(version)
    db.session.commit()


def remove_section(key: str, number: int, section_id: int) -> None:
    """Remove a section and its questions from a draft."""
    version = draft_version(key, number)
    section = find_section(version, section_id)
    version.sections.remove(section)
    for position, remaining in enumerate(version.sections):
        remaining.position = position
    _check_conditions(version)
    db.session.commit()


def _check_conditions(version: BatteryVersion) -> None:
    """Refuse (and roll back) a move or removal that breaks a show-if condition."""
    db.session.flush()
    # Reload the ordered collections: a swap changes positions, not the loaded lists' order.
    for section in version.sections:
        db.session.expire(section, ["questions"])
    db.session.expire(version, ["sections"])
    broken = [
        message
        for location, message in problems_of(version_definition(version))
        if ".show_if" in location or location == "(draft)"
    ]
    if broken:
        db.session.rollback()
        raise DomainError(_("A show-if condition would break: %(problem)s", problem=broken[0]))


def find_question(version: BatteryVersion, question_id: int) -> Question:
    """Return a question of this version, or raise NotFound."""
    question = db.session.get(Question, question_id)
    if question is None or question.version_id != version.id:
        raise NotFound(_("The question does not exist."))
    return question


def _candidate(
    version: BatteryVersion, section: Section, index: int, new: spec.Question, *, insert: bool
) -> tuple[spec.Battery, int]:
    definition = version_definition(version)
    s_index = version.sections.index(section)
    questions = list(definition.sections[s_index].questions)
    if insert:
        questions.insert(index, new)
    else:
        questions[index] = new
    sections = list(definition.sections)
    sections[s_index] = dataclasses.replace(sections[s_index], questions=tuple(questions))
    return dataclasses.replace(definition, sections=tuple(sections)), s_index


def _check_condition_target(candidate: spec.Battery, new: spec.Question) -> None:
    if new.show_if is None:
        return
    keys = [q.key for q in candidate.questions()]
    if new.show_if.question not in keys:
        message = _("There is no question %(key)s in this battery.", key=new.show_if.question)
        raise DomainError(message, field="show_if_question")
    target = candidate.question(new.show_if.question)
    if target.type in ("scale", "nps") and not all(
        v.lstrip("+-").isdigit() for v in new.show_if.values
    ):
        raise DomainError(_("Enter the scale values as numbers."), field="show_if_values")


def save_question(
    key: str, number: int, section_id: int, question_id: int | None, data: QuestionInput
) -> Question:
    """Add a question at the end of a draft's section, or change one."""
    version = draft_version(key, number)
    section = find_section(version, section_id)
    new = question_definition(data)
    if question_id is None:
        index, insert = len(section.questions), True
    else:
        question = find_question(version, question_id)
        if question.section_id != section.id:
            raise NotFound(_("The question does not exist."))
        index, insert = section.questions.index(question), False
    candidate, s_index = _candidate(version, section, index, new, insert=insert)
    _check_condition_target(candidate, new)
    problems = question_problems(candidate, s_index, index)
    if problems:
        raise InvalidDraft(problems)
    row = question_row(candidate.sections[s_index].questions[index], index)
    if question_id is None:
        row.version = version
        section.questions.append(row)
    else:
        _copy_question(row, question)
        row = question
    db.session.commit()
    return row


_QUESTION_COLUMNS = (
    "key type text_sv text_en help_sv help_en required scale_min scale_max min_label_sv "
    "min_label_en max_label_sv max_label_en dont_know number_min number_max number_integer "
    "max_length show_if_question show_if_values index_role weight"
).split()


def _copy_question(source: Question, target: Question) -> None:
    for name in _QUESTION_COLUMNS:
        setattr(target, name, getattr(source, name))
    target.options.clear()
    db.session.flush()  # delete the old options before new ones reuse their keys
    target.options.extend(source.options)
    source.options = []


def move_question(key: str, number: int, question_id: int, direction: str) -> None:
    """Move a question up or down within its section."""
    version = draft_version(key, number)
    question = find_question(version, question_id)
    questions: list[Any] = list(question.section.questions)
    _swap(questions, questions.index(question), direction)
    _check_conditions(version)
    db.session.commit()


def remove_question(key: str, number: int, question_id: int) -> None:
    """Remove a question from a draft."""
    version = draft_version(key, number)
    question = find_question(version, question_id)
    section = question.section
    section.questions.remove(question)
    for position, remaining in enumerate(section.questions):
        remaining.position = position
    _check_conditions(version)
    db.session.commit()
