"""Translate between battery definitions (plain frozen data) and the database models."""

from __future__ import annotations

from dataclasses import dataclass

from survey.extensions import db
from survey.models import BatteryVersion, Question, QuestionOption, Section
from survey.questionnaires import model as spec
from survey.questionnaires.published import published_versions


@dataclass(frozen=True, slots=True)
class VersionSnapshot:
    """The battery version a survey asks (published: its definition is kept per process)."""

    id: int
    battery_id: int
    status: str
    content_hash: str | None
    title_sv: str
    title_en: str | None
    intro_sv: str | None
    intro_en: str | None

    @property
    def is_published(self) -> bool:
        return self.status == "published"


def _text(sv: str | None, en: str | None) -> spec.Text | None:
    return None if sv is None else spec.Text(sv=sv, en=en)


def fill_version(version: BatteryVersion, definition: spec.Battery) -> None:
    """Give an empty version the title, introduction, sections and questions of a definition."""
    version.title_sv = definition.title.sv
    version.title_en = definition.title.en
    version.intro_sv = definition.introduction.sv if definition.introduction else None
    version.intro_en = definition.introduction.en if definition.introduction else None
    for position, section_def in enumerate(definition.sections):
        section = Section(
            position=position,
            key=section_def.key,
            title_sv=section_def.title.sv,
            title_en=section_def.title.en,
            description_sv=section_def.description.sv if section_def.description else None,
            description_en=section_def.description.en if section_def.description else None,
        )
        version.sections.append(section)
        for q_position, question_def in enumerate(section_def.questions):
            question = question_row(question_def, q_position)
            question.version = version
            section.questions.append(question)


def question_row(definition: spec.Question, position: int) -> Question:
    """Build a Question row (with its options) from a question definition."""
    scale, number, matrix = definition.scale, definition.number, definition.matrix
    return Question(
        position=position,
        key=definition.key,
        type=definition.type,
        text_sv=definition.text.sv,
        text_en=definition.text.en,
        help_sv=definition.help.sv if definition.help else None,
        help_en=definition.help.en if definition.help else None,
        required=definition.required,
        scale_min=scale.min if scale else None,
        scale_max=scale.max if scale else None,
        min_label_sv=scale.min_label.sv if scale and scale.min_label else None,
        min_label_en=scale.min_label.en if scale and scale.min_label else None,
        max_label_sv=scale.max_label.sv if scale and scale.max_label else None,
        max_label_en=scale.max_label.en if scale and scale.max_label else None,
        dont_know=bool(scale and scale.dont_know),
        number_min=number.min if number else None,
        number_max=number.max if number else None,
        number_integer=bool(number and number.integer),
        max_length=definition.max_length,
        show_if_question=definition.show_if.question if definition.show_if else None,
        show_if_values=list(definition.show_if.values) if definition.show_if else None,
        index_role=definition.index,
        weight=definition.weight,
        service_area=definition.service_area,
        contact_role=definition.contact,
        matrix_key=matrix.key if matrix else None,
        matrix_text_sv=matrix.text.sv if matrix else None,
        matrix_text_en=matrix.text.en if matrix else None,
        matrix_help_sv=matrix.help.sv if matrix and matrix.help else None,
        matrix_help_en=matrix.help.en if matrix and matrix.help else None,
        options=[
            QuestionOption(
                position=i,
                key=o.key,
                label_sv=o.label.sv,
                label_en=o.label.en,
                exclusive=o.exclusive,
            )
            for i, o in enumerate(definition.options)
        ],
    )


def question_definition(question: Question) -> spec.Question:
    """Return the plain definition of a stored question."""
    scale = None
    if question.type == "scale":
        scale = spec.Scale(
            min=question.scale_min or 0,
            max=question.scale_max or 0,
            min_label=_text(question.min_label_sv, question.min_label_en),
            max_label=_text(question.max_label_sv, question.max_label_en),
            dont_know=question.dont_know,
        )
    number = None
    if question.type == "number" and (
        question.number_min is not None
        or question.number_max is not None
        or question.number_integer
    ):
        number = spec.NumberBounds(
            min=question.number_min, max=question.number_max, integer=question.number_integer
        )
    condition = None
    if question.show_if_question:
        condition = spec.Condition(
            question=question.show_if_question, values=tuple(question.show_if_values or ())
        )
    return spec.Question(
        key=question.key,
        type=question.type,
        text=spec.Text(sv=question.text_sv, en=question.text_en),
        help=_text(question.help_sv, question.help_en),
        required=question.required,
        scale=scale,
        options=tuple(
            spec.Option(
                key=o.key, label=spec.Text(sv=o.label_sv, en=o.label_en), exclusive=o.exclusive
            )
            for o in question.options
        ),
        number=number,
        max_length=question.max_length,
        show_if=condition,
        index=question.index_role,
        weight=question.weight,
        service_area=question.service_area,
        contact=question.contact_role,
        matrix=_matrix(question),
    )


def _matrix(question: Question) -> spec.Matrix | None:
    if question.matrix_key is None:
        return None
    return spec.Matrix(
        key=question.matrix_key,
        text=spec.Text(sv=question.matrix_text_sv or "", en=question.matrix_text_en),
        help=_text(question.matrix_help_sv, question.matrix_help_en),
    )


def version_definition(version: BatteryVersion | VersionSnapshot) -> spec.Battery:
    """Return the plain definition of a stored battery version (for dump, hash and preview).

    A published version never changes, so its definition is built once per app process and
    kept (`survey.questionnaires.published`); a draft's is built from its rows every time. A
    respondent page's snapshot of the version is read as a model only when not kept.
    """
    cache = published_versions()
    if cache is None:
        return _definition(version)
    return cache.definition(version, _definition)


def _definition(version: BatteryVersion | VersionSnapshot) -> spec.Battery:
    if not isinstance(version, BatteryVersion):
        version = db.session.get_one(BatteryVersion, version.id)
    return spec.Battery(
        key=version.battery.key,
        title=spec.Text(sv=version.title_sv, en=version.title_en),
        introduction=_text(version.intro_sv, version.intro_en),
        sections=tuple(
            spec.Section(
                key=section.key,
                title=spec.Text(sv=section.title_sv, en=section.title_en),
                description=_text(section.description_sv, section.description_en),
                questions=tuple(question_definition(q) for q in section.questions),
            )
            for section in version.sections
        ),
    )
