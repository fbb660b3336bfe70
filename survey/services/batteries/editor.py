"""The builder's edits of a draft's sections and questions (add, change, move, remove).

Questions are edited and moved as blocks: a question, or all the items of one matrix, which
always stay together in their section.
"""

from __future__ import annotations

import dataclasses

from flask_babel import gettext as _
from sqlalchemy import select

from survey.extensions import db
from survey.models import BatteryVersion, Question, Section
from survey.questionnaires import model as spec
from survey.services.batteries import keys
from survey.services.batteries.builder import draft_version
from survey.services.batteries.conditions import targets_before
from survey.services.batteries.drafts import QuestionDraft, question_block
from survey.services.batteries.inputs import SectionInput, section_definition
from survey.services.batteries.mapping import question_row, version_definition
from survey.services.batteries.validation import InvalidDraft, problems_of, section_problems
from survey.services.errors import DomainError, NotFound


def find_section(version: BatteryVersion, section_id: int) -> Section:
    """Return a section of this version, or raise NotFound."""
    section = db.session.get(Section, section_id)
    if section is None or section.version_id != version.id:
        raise NotFound(_("The section does not exist."))
    return section


def save_section(key: str, number: int, section_id: int | None, data: SectionInput) -> Section:
    """Add a section at the end of a draft, or change one (a new one's key from its title)."""
    version = draft_version(key, number)
    definition = version_definition(version)
    sections = list(definition.sections)
    if not data.title_sv.strip():
        raise InvalidDraft({"title_sv": [_("Write the section's title in Swedish.")]})
    if section_id is None:
        taken = {s.key for s in sections}
        if not data.key.strip():
            data = dataclasses.replace(data, key=keys.section_key(data.title_sv, taken))
        index = len(sections)
        sections.append(section_definition(data, ()))
    else:
        section = find_section(version, section_id)
        index = version.sections.index(section)
        data = dataclasses.replace(data, key=data.key.strip() or section.key)
        sections[index] = section_definition(data, sections[index].questions)
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


def move_section(key: str, number: int, section_id: int, direction: str) -> None:
    """Move a draft's section up or down."""
    version = draft_version(key, number)
    sections = list(version.sections)
    section = find_section(version, section_id)
    index = sections.index(section)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(sections):
        raise DomainError(_("It cannot move further in that direction."))
    sections[index], sections[other] = sections[other], sections[index]
    _renumber(sections)
    _check_conditions(version)
    db.session.commit()


def place_section(key: str, number: int, section_id: int, before_id: int | None) -> None:
    """Move a section before another one (or last when `before_id` is None)."""
    version = draft_version(key, number)
    section = find_section(version, section_id)
    sections = [s for s in version.sections if s is not section]
    at = len(sections)
    if before_id is not None:
        at = sections.index(find_section(version, before_id)) if before_id != section_id else 0
    sections.insert(at, section)
    _renumber(sections)
    _check_conditions(version)
    db.session.commit()


def remove_section(key: str, number: int, section_id: int) -> None:
    """Remove a section and its questions from a draft."""
    version = draft_version(key, number)
    section = find_section(version, section_id)
    version.sections.remove(section)
    _renumber(version.sections)
    _check_conditions(version)
    db.session.commit()


def _renumber(items: list) -> None:
    for position, item in enumerate(items):
        item.position = position


def _check_conditions(version: BatteryVersion) -> None:
    """Refuse (and roll back) a move or removal that breaks a show-if condition."""
    db.session.flush()
    # Reload the ordered collections: positions changed, not the loaded lists' order.
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
        raise DomainError(
            _(
                "A question shown only after an answer must come after the question it "
                "depends on; move that one first."
            )
        )


def find_question(version: BatteryVersion, question_id: int) -> Question:
    """Return a question of this version, or raise NotFound."""
    question = db.session.get(Question, question_id)
    if question is None or question.version_id != version.id:
        raise NotFound(_("The question does not exist."))
    return question


def block_of(question: Question) -> list[Question]:
    """Return the question with the other items of its matrix (in order), or just it."""
    if question.matrix_key is None:
        return [question]
    return [q for q in question.section.questions if q.matrix_key == question.matrix_key]


def blocks(questions: list[Question]) -> list[list[Question]]:
    """Return a section's questions in blocks: a matrix's items together, others alone."""
    return _blocks(questions)


def _blocks(questions: list[Question]) -> list[list[Question]]:
    blocks: list[list[Question]] = []
    for question in questions:
        same = blocks and question.matrix_key and blocks[-1][0].matrix_key == question.matrix_key
        if same:
            blocks[-1].append(question)
        else:
            blocks.append([question])
    return blocks


def used_keys(version: BatteryVersion) -> set[str]:
    """Return the question keys of every version of the battery (never reused for a new one)."""
    rows = db.session.scalars(
        select(Question.key)
        .join(BatteryVersion)
        .where(BatteryVersion.battery_id == version.battery_id)
    )
    return set(rows)


def save_block(
    key: str, number: int, section_id: int, question_id: int | None, draft: QuestionDraft
) -> Question:
    """Add a question (or a matrix) at the end of a section, or change one; return its first row."""
    version = draft_version(key, number)
    section = find_section(version, section_id)
    old: list[Question] = []
    if question_id is not None:
        old = block_of(find_question(version, question_id))
        if old[0].section_id != section.id:
            raise NotFound(_("The question does not exist."))
    definition = version_definition(version)
    s_index = version.sections.index(section)
    kept = {q.key for q in old}
    others = {q.key for q in definition.questions() if q.key not in kept}
    _check_kept_keys(draft, others)
    matrices = {q.matrix.key for q in definition.questions() if q.matrix} - {
        q.matrix_key for q in old if q.matrix_key
    }
    _check_condition(draft, definition, section.key, old[0].key if old else None)
    new = question_block(draft, taken=(used_keys(version) | others) - kept, matrices=matrices)
    start = section.questions.index(old[0]) if old else len(section.questions)
    questions = list(definition.sections[s_index].questions)
    questions[start : start + len(old)] = new
    sections = list(definition.sections)
    sections[s_index] = dataclasses.replace(sections[s_index], questions=tuple(questions))
    candidate = dataclasses.replace(definition, sections=tuple(sections))
    before = {message for _where, message in problems_of(definition)}
    added = [m for _where, m in problems_of(candidate) if m not in before]
    if added:
        raise InvalidDraft(
            {"": [_("The question cannot be saved yet: %(problem)s", problem=added[0])]}
        )
    return _write_block(version, section, old, new, start)


def _check_condition(
    draft: QuestionDraft, definition: spec.Battery, section_key: str, first_key: str | None
) -> None:
    """A condition names a question before this one, and some of its answers."""
    if not draft.show_if_question.strip():
        return
    targets = {t.key: t for t in targets_before(definition, section_key, first_key)}
    target = targets.get(draft.show_if_question.strip())
    if target is None:
        message = _("Choose one of the questions that come before this one.")
        raise InvalidDraft({"show_if_question": [message]})
    possible = {value for value, _label in target.answers}
    if any(value not in possible for value in draft.show_if_values):
        message = _("Tick among the answers of the chosen question.")
        raise InvalidDraft({"show_if_values": [message]})


def _check_kept_keys(draft: QuestionDraft, others: set[str]) -> None:
    """A key sent with the draft (kept, or from the library) must not be another question's."""
    sent = [draft.key] + [row.key for row in draft.items]
    clash = next((k for k in sent if k and k in others), None)
    if clash:
        message = _("The battery already has this question (%(key)s).", key=clash)
        raise InvalidDraft({"text_sv": [message]})


def _write_block(
    version: BatteryVersion,
    section: Section,
    old: list[Question],
    new: list[spec.Question],
    start: int,
) -> Question:
    for question in old:
        section.questions.remove(question)
    db.session.flush()  # free the old rows' keys before the new rows take them
    rows = []
    for offset, definition in enumerate(new):
        row = question_row(definition, start + offset)
        row.version = version
        section.questions.insert(start + offset, row)
        rows.append(row)
    _renumber(section.questions)
    db.session.commit()
    return rows[0]


def move_question(key: str, number: int, question_id: int, direction: str) -> None:
    """Move a question (or a whole matrix) up or down within its section."""
    version = draft_version(key, number)
    question = find_question(version, question_id)
    blocks = _blocks(list(question.section.questions))
    index = next(i for i, b in enumerate(blocks) if question in b)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(blocks):
        raise DomainError(_("It cannot move further in that direction."))
    blocks[index], blocks[other] = blocks[other], blocks[index]
    _renumber([q for block in blocks for q in block])
    _check_conditions(version)
    db.session.commit()


def place_question(
    key: str, number: int, question_id: int, section_id: int, before_id: int | None
) -> None:
    """Move a question (or its whole matrix) before another question, or last in a section."""
    version = draft_version(key, number)
    block = block_of(find_question(version, question_id))
    target = find_section(version, section_id)
    before = find_question(version, before_id) if before_id is not None else None
    if before is not None and before in block:
        return
    source = block[0].section
    rest = [q for q in source.questions if q not in block]
    placed = [q for q in target.questions if q not in block]
    at = len(placed)
    if before is not None and before in placed:
        at = placed.index(block_of(before)[0])
    placed[at:at] = block
    for question in block:
        question.section = target
    _renumber(placed)
    if source is not target:
        _renumber(rest)
    _check_conditions(version)
    db.session.commit()


def remove_question(key: str, number: int, question_id: int) -> None:
    """Remove a question (a matrix with all its items) from a draft."""
    version = draft_version(key, number)
    block = block_of(find_question(version, question_id))
    section = block[0].section
    for question in block:
        section.questions.remove(question)
    _renumber(section.questions)
    _check_conditions(version)
    db.session.commit()
