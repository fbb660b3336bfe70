"""The columns of a response export: context columns, then the union of question keys.

Question keys are stable across battery versions, so the columns of a battery are the union of
the keys of its published versions: in the order of the latest version, then keys that only
older versions have (newest first). Each key's type, texts and labels come from the latest
version that has it; options and the "vet ej" flag are the union over versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey.extensions import db
from survey.models import Battery, BatteryVersion, Question, Section
from survey.models.response import COLLECTION_MODES
from survey.services.errors import NotFound

NUMBER_TYPES = ("scale", "nps")
STORED_AS_NUMBER = ("scale", "nps", "number")  # answers.value_number; the rest value_text
TEXT_TYPES = ("short_text", "long_text")
DONT_KNOW_SUFFIX = "__dont_know"


@dataclass
class QuestionInfo:
    """One question key of a battery, merged over its published versions."""

    key: str
    type: str
    text_sv: str
    text_en: str | None
    index_role: str | None
    scale: tuple[int, int] | None = None
    scale_labels: tuple[str | None, str | None, str | None, str | None] = (None,) * 4
    dont_know: bool = False
    integer: bool = True
    options: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)  # the question rows (one per version)
    numeric: bool = False  # some version stores this key's answers as numbers
    textual: bool = False  # some version stores them as text
    whole: bool = True  # every version is a scale or NPS: whole numbers within the scale


@dataclass(frozen=True)
class Column:
    """One column of the wide export and its codebook entry."""

    name: str
    type: str  # Table Schema type: integer, number, string, date, datetime
    description_sv: str = ""
    description_en: str = ""
    question: str | None = None  # the question key this column comes from
    option: str | None = None  # multiple choice: the option this 0/1 column flags
    flag: bool = False  # the "vet ej" 0/1 column of a question
    enum: tuple[str, ...] | None = None
    labels: tuple[tuple[str, str, str], ...] = ()  # (value, label sv, label en)


@dataclass(frozen=True)
class Layout:
    """The questions (by key) and columns of one battery's export."""

    battery: str
    version_ids: tuple[int, ...]
    questions: dict[str, QuestionInfo]
    question_ids: dict[int, str]  # question row id -> key
    columns: tuple[Column, ...]


def _published_versions(battery_key: str) -> list[BatteryVersion]:
    versions = db.session.scalars(
        select(BatteryVersion)
        .join(Battery)
        .where(Battery.key == battery_key, BatteryVersion.status == "published")
        .order_by(BatteryVersion.number.desc())
    ).all()
    if not versions:
        raise NotFound(_("There is no question battery %(key)s.", key=battery_key))
    return list(versions)


def _merge(infos: dict[str, QuestionInfo], question: Question) -> None:
    info = infos.get(question.key)
    if info is None:
        info = infos[question.key] = QuestionInfo(
            key=question.key,
            type=question.type,
            text_sv=question.text_sv,
            text_en=question.text_en,
            index_role=question.index_role,
        )
        if question.scale_min is not None and question.scale_max is not None:
            info.scale = (question.scale_min, question.scale_max)
            info.scale_labels = (
                question.min_label_sv,
                question.min_label_en,
                question.max_label_sv,
                question.max_label_en,
            )
    info.ids.append(question.id)
    info.numeric = info.numeric or question.type in STORED_AS_NUMBER
    info.textual = info.textual or question.type not in STORED_AS_NUMBER
    info.whole = info.whole and question.type in NUMBER_TYPES
    info.dont_know = info.dont_know or question.dont_know
    info.integer = info.integer and (question.type != "number" or question.number_integer)
    for option in question.options:
        info.options.setdefault(option.key, (option.label_sv, option.label_en))


def battery_layout(battery_key: str, *, identities: bool, pseudonyms: bool) -> Layout:
    """Return the merged questions and export columns of a battery's published versions."""
    versions = _published_versions(battery_key)
    rank = {version.id: position for position, version in enumerate(versions)}
    questions = db.session.scalars(
        select(Question)
        .join(Section, Question.section_id == Section.id)
        .where(Question.version_id.in_(rank))
        .options(selectinload(Question.options))
        .order_by(Section.position, Question.position)
    ).all()
    infos: dict[str, QuestionInfo] = {}
    for question in sorted(questions, key=lambda q: rank[q.version_id]):  # stable sort
        _merge(infos, question)
    if identities:  # nobody sees which company wrote a comment (SECURITY.md, Small groups)
        infos = {key: info for key, info in infos.items() if info.type not in TEXT_TYPES}
    columns = context_columns(identities=identities, pseudonyms=pseudonyms)
    for info in infos.values():
        columns.extend(question_columns(info))
    return Layout(
        battery=battery_key,
        version_ids=tuple(rank),
        questions=infos,
        question_ids={q.id: q.key for q in questions if q.key in infos},
        columns=tuple(columns),
    )


def context_columns(*, identities: bool, pseudonyms: bool) -> list[Column]:
    """Return the columns that describe each response before its answers."""
    columns = [
        Column("response_id", "integer", "Svarets id", "Response id"),
        Column("submitted_at", "datetime", "Tid för inskickat svar", "Time submitted"),
        Column(
            "collection_mode",
            "string",
            "Insamlingssätt",
            "Collection mode",
            enum=COLLECTION_MODES,
        ),
        Column("language", "string", "Språk som svaret gavs på", "Language answered in"),
        Column("survey", "string", "Utskickets namn", "Survey name"),
        Column("area", "string", "Myndighetsområde (nyckel)", "Service area (key)"),
        Column("industry", "string", "Bransch (SNI-avdelning)", "Industry (SNI section)"),
        Column("size", "string", "Storleksklass (anställda)", "Size class (employees)"),
        Column("visit_date", "date", "Besöksdatum", "Visit date"),
    ]
    if identities:
        columns.append(Column("org_number", "string", "Organisationsnummer", "Org. number"))
        columns.append(Column("company_name", "string", "Företagets namn", "Company name"))
    elif pseudonyms:
        columns.append(Column("company", "string", "Företagets pseudonym", "Company pseudonym"))
    return columns


def question_columns(info: QuestionInfo) -> list[Column]:
    """Return the column(s) one question fills: value, options or "vet ej" flag."""
    sv, en = info.text_sv, info.text_en or ""
    if info.type == "multiple_choice":
        return [
            Column(
                f"{info.key}__{key}",
                "integer",
                f"{sv}: {label_sv}",
                f"{en}: {label_en or label_sv}" if en else "",
                question=info.key,
                option=key,
                enum=("0", "1"),
                labels=(("1", "vald", "chosen"), ("0", "ej vald", "not chosen")),
            )
            for key, (label_sv, label_en) in info.options.items()
        ]
    columns = [_value_column(info)]
    if info.dont_know:
        columns.append(
            Column(
                info.key + DONT_KNOW_SUFFIX,
                "integer",
                f"{sv}: Vet ej / ej aktuellt",
                f"{en}: Don't know / not applicable" if en else "",
                question=info.key,
                flag=True,
                enum=("0", "1"),
                labels=(("1", "vet ej", "don't know"), ("0", "svar givet", "answered")),
            )
        )
    return columns


def _value_column(info: QuestionInfo) -> Column:
    sv, en = info.text_sv, info.text_en or ""
    base = {"description_sv": sv, "description_en": en, "question": info.key}
    if info.type in NUMBER_TYPES:
        return Column(info.key, "integer", labels=_scale_labels(info), **base)
    if info.type == "number":
        return Column(info.key, "integer" if info.integer else "number", **base)
    if info.type == "date":
        return Column(info.key, "date", **base)
    if info.type == "yes_no":
        labels = (("yes", "Ja", "Yes"), ("no", "Nej", "No"))
        return Column(info.key, "string", enum=("yes", "no"), labels=labels, **base)
    if info.type == "single_choice":
        labels = tuple((k, sv_, en_ or sv_) for k, (sv_, en_) in info.options.items())
        return Column(info.key, "string", enum=tuple(info.options), labels=labels, **base)
    return Column(info.key, "string", **base)


def _scale_labels(info: QuestionInfo) -> tuple[tuple[str, str, str], ...]:
    if info.type == "nps":
        return (
            ("0", "Inte alls troligt", "Not at all likely"),
            ("10", "Mycket troligt", "Very likely"),
        )
    if info.scale is None:
        return ()
    low, high = info.scale
    min_sv, min_en, max_sv, max_en = info.scale_labels
    labels = []
    if min_sv:
        labels.append((str(low), min_sv, min_en or min_sv))
    if max_sv:
        labels.append((str(high), max_sv, max_en or max_sv))
    return tuple(labels)
