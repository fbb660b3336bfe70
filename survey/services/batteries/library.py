"""The question library: questions of published batteries (the shipped ones too) to reuse.

A question added from the library keeps its key, scale and index role, so its answers join
the trend of the battery it came from (trends join on question keys).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from survey.extensions import db
from survey.models import Battery, BatteryVersion
from survey.questionnaires import model as spec
from survey.services.batteries.builder import draft_version
from survey.services.batteries.editor import find_section
from survey.services.batteries.mapping import question_row, version_definition
from survey.services.batteries.validation import problems_of
from survey.services.errors import DomainError


@dataclass(frozen=True)
class Entry:
    """A question, or a matrix with its items, that can be added: `pick` names it."""

    pick: str
    text: str
    questions: tuple[spec.Question, ...]


@dataclass(frozen=True)
class Shelf:
    """The library's questions of one battery (its latest published version)."""

    key: str
    title: str
    entries: tuple[Entry, ...]


def _entries(version: BatteryVersion) -> tuple[Entry, ...]:
    found: list[Entry] = []
    for question in version_definition(version).questions():
        pick = f"{version.id}:{question.matrix.key if question.matrix else question.key}"
        if found and found[-1].pick == pick:
            last = found[-1]
            found[-1] = dataclasses.replace(last, questions=(*last.questions, question))
            continue
        text = question.matrix.text.sv if question.matrix else question.text.sv
        found.append(Entry(pick, text, (question,)))
    return tuple(found)


def shelves(exclude: str | None = None) -> list[Shelf]:
    """Return the latest published version's questions of every battery but `exclude`."""
    result = []
    for battery in db.session.scalars(select(Battery).order_by(Battery.key)):
        published = [v for v in battery.versions if v.is_published]
        if battery.key == exclude or not published or battery.archived_at is not None:
            continue
        latest = published[-1]
        result.append(Shelf(battery.key, latest.title_sv, _entries(latest)))
    return result


def add_from_library(key: str, number: int, section_id: int, picks: list[str]) -> list[str]:
    """Add the picked questions at the end of a draft's section; return the keys skipped.

    A question whose key the draft already has is skipped (a key appears once per battery);
    a condition on a question the draft does not have before it is left out.
    """
    version = draft_version(key, number)
    section = find_section(version, section_id)
    definition = version_definition(version)
    have = {q.key for q in definition.questions()}
    chosen: list[spec.Question] = []
    skipped: list[str] = []
    for entry in _picked(picks):
        for question in entry.questions:
            if question.key in have:
                skipped.append(question.key)
                continue
            have.add(question.key)
            chosen.append(question)
    if not chosen and not skipped:
        raise DomainError(_("Tick the questions to add."), field="picks")
    before = {message for _where, message in problems_of(definition)}
    index = version.sections.index(section)
    problems = [m for _w, m in problems_of(_with(definition, index, chosen)) if m not in before]
    if problems:  # a condition on a question the draft lacks: add the question without it
        chosen = [dataclasses.replace(q, show_if=None) for q in chosen]
        candidate = _with(definition, index, chosen)
        if any(m not in before for _w, m in problems_of(candidate)):
            raise DomainError(_("These questions cannot be added here: %(p)s", p=problems[0]))
    start = len(section.questions)
    for offset, question in enumerate(chosen):
        row = question_row(question, start + offset)
        row.version = version
        section.questions.append(row)
    db.session.commit()
    return skipped


def _picked(picks: list[str]) -> list[Entry]:
    entries: list[Entry] = []
    versions: dict[int, tuple[Entry, ...]] = {}
    for pick in picks:
        version_id = pick.partition(":")[0]
        if not version_id.isdigit():
            continue
        number = int(version_id)
        if number not in versions:
            version = db.session.get(BatteryVersion, number)
            versions[number] = _entries(version) if version and version.is_published else ()
        entries.extend(e for e in versions[number] if e.pick == pick)
    return entries


def _with(definition: spec.Battery, index: int, added: list[spec.Question]) -> spec.Battery:
    sections = list(definition.sections)
    section = sections[index]
    sections[index] = dataclasses.replace(section, questions=(*section.questions, *added))
    return dataclasses.replace(definition, sections=tuple(sections))
