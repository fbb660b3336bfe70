"""Store a filled-in questionnaire as a Response with one Answer row per answered question.

`prepare_response` checks the answers and builds the rows; `write_response` (the respondent
pages, interview mode) and `store_response` (returns the ORM Response) write them in the
caller's transaction and never commit: the calling service commits (or rolls back) with its
own changes, e.g. marking an invitation submitted in the same commit. The response is added
to its battery's index rollups in the same transaction. The same statements run on SQLite
and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import insert, select

from survey.extensions import db
from survey.models import (
    Answer,
    BatteryVersion,
    Company,
    Invitation,
    Question,
    Response,
    ServiceArea,
    Survey,
    Visit,
)
from survey.models.base import utcnow
from survey.models.response import COLLECTION_MODES
from survey.questionnaires import model as spec
from survey.questionnaires.published import published_versions
from survey.questionnaires.values import DONT_KNOW, InvalidAnswer, clean_value
from survey.questionnaires.visibility import effective_answers, visible_keys
from survey.services.batteries.mapping import VersionSnapshot, version_definition
from survey.services.errors import DomainError
from survey.services.statistics import rollups
from survey.services.statistics.cube import DIMENSIONS


def clean_answers(definition: spec.Battery, answers: dict[str, Any]) -> dict[str, Any]:
    """Return canonical answers: unknown and hidden keys dropped, values checked, required met.

    Raises DomainError(field=<question key>) for the first answer that does not fit.
    """
    cleaned: dict[str, Any] = {}
    for question in definition.questions():
        if question.key not in answers:
            continue
        try:
            value = clean_value(question, answers[question.key])
        except InvalidAnswer as error:
            raise DomainError(error.message, field=question.key) from None
        if value is not None:
            cleaned[question.key] = value
    cleaned = effective_answers(definition, cleaned)
    shown = visible_keys(definition, cleaned)
    for question in definition.questions():
        if question.required and question.key in shown and question.key not in cleaned:
            raise DomainError(_("Answer this question."), field=question.key)
    return cleaned


@dataclass(frozen=True)
class QuestionRow:
    """What storing an answer needs of a version's question (kept per published version)."""

    id: int
    key: str
    type: str
    index_role: str | None
    scale_min: int | None
    scale_max: int | None
    weight: float = 1.0


@dataclass(frozen=True)
class ResponseContext:
    """Where a response comes from: the ids and the values copied onto its row, so
    statistics need no joins (an anonymous response keeps none of the company's)."""

    survey_id: int | None = None
    invitation_id: int | None = None
    visit_id: int | None = None
    company_id: int | None = None
    service_area_id: int | None = None
    sni_section: str | None = None
    size_class: str | None = None


def context_of(
    *,
    invitation: Invitation | None = None,
    visit: Visit | None = None,
    company: Company | None = None,
    survey: Survey | None = None,
) -> ResponseContext:
    """Return the context of a response given as models (the service area of the visit, else
    of the survey; the company of the visit or invitation unless given)."""
    survey = survey or (invitation.survey if invitation is not None else None)
    if company is None and visit is not None:
        company = visit.company
    if company is None and invitation is not None:
        company = invitation.company
    area = visit.service_area_id if visit is not None else None
    if area is None and survey is not None:
        area = survey.service_area_id
    return ResponseContext(
        survey_id=survey.id if survey is not None else None,
        invitation_id=invitation.id if invitation is not None else None,
        visit_id=visit.id if visit is not None else None,
        company_id=company.id if company is not None else None,
        service_area_id=area,
        sni_section=company.sni_section if company is not None else None,
        size_class=company.size_class if company is not None else None,
    )


def store_response(
    version: BatteryVersion,
    answers: dict[str, Any],
    *,
    invitation: Invitation | None = None,
    visit: Visit | None = None,
    company: Company | None = None,
    survey: Survey | None = None,
    **options: Any,
) -> Response:
    """Add a Response for a published version with its answers; flush only, the caller commits.

    Takes the keyword options of `prepare_response` and returns the stored Response.
    """
    if db.session.registry.has():  # what the response refers to may be pending in it
        db.session.flush()
    context = context_of(invitation=invitation, visit=visit, company=company, survey=survey)
    prepared = prepare_response(version, answers, context=context, **options)
    return db.session.get_one(Response, write_response(prepared))


@dataclass(frozen=True)
class PreparedResponse:
    """A checked response ready to write: its row, its answers' rows and its rollup input."""

    row: dict[str, Any]
    answers: list[dict[str, Any]]
    rollup: rollups.OneResponse


def prepare_response(
    version: BatteryVersion | VersionSnapshot,
    answers: dict[str, Any],
    *,
    collection_mode: str,
    language: str,
    context: ResponseContext,
    submitted_at: datetime | None = None,
    created_at: datetime | None = None,
    actor_id: int | None = None,
    anonymous: bool = False,
) -> PreparedResponse:
    """Check the answers of a published version and build the rows to write; writes nothing.

    Without a service area in the context, the answer to the battery's service area
    question names it. An anonymous response keeps no invitation, company, visit, industry
    or size. Raises DomainError for an answer that does not fit.
    """
    if collection_mode not in COLLECTION_MODES:
        raise ValueError(f"unknown collection_mode {collection_mode!r}")
    if not version.is_published:
        raise DomainError(_("Only a published version of a battery can be answered."))
    cleaned = clean_answers(version_definition(version), answers)
    area = context.service_area_id
    if area is None:
        area = answered_area(version_definition(version), cleaned)
    kept = ResponseContext() if anonymous else context
    row = {
        "battery_version_id": version.id,
        "survey_id": context.survey_id,
        "invitation_id": kept.invitation_id,
        "visit_id": kept.visit_id,
        "company_id": kept.company_id,
        "collection_mode": collection_mode,
        "language": None if anonymous else (language if language in ("sv", "en") else "sv"),
        "submitted_at": submitted_at or utcnow(),
        "service_area_id": area,
        "sni_section": kept.sni_section,
        "size_class": kept.size_class,
        "created_by_id": actor_id,
        "created_at": created_at or utcnow(),
    }
    questions = question_rows(version)
    stored = [_answer_row(questions[key], value) for key, value in cleaned.items()]
    rollup = rollups.OneResponse(
        version.battery_id,
        row["submitted_at"],
        {name: row[name] for name in DIMENSIONS},
        [(a["question_id"], a["value_number"], a["dont_know"]) for a in stored],
        tuple(questions.values()),
    )
    return PreparedResponse(row, stored, rollup)


def answered_area(definition: spec.Battery, cleaned: dict[str, Any]) -> int | None:
    """Return the id of the service area named by the answer to the battery's service area
    question (questionnaires/README.md, `service_area`); None without one or for an option
    that is no service area (such as a local "other")."""
    question = definition.service_area_question()
    chosen = cleaned.get(question.key) if question is not None else None
    if not isinstance(chosen, str):
        return None
    return db.session.scalar(select(ServiceArea.id).where(ServiceArea.key == chosen))


def write_response(prepared: PreparedResponse) -> int:
    """Insert a prepared response with its answers and add it to the rollups; its id."""
    response_id = _insert(prepared.row, prepared.answers)
    rollups.add_response(prepared.rollup)
    return response_id


def _insert(row: dict[str, Any], answers: list[dict[str, Any]]) -> int:
    """Insert the response, then its answers (executemany); return the response's id."""
    connection = db.session.connection()
    response_id = connection.execute(_INSERT_RESPONSE, row).scalar_one()
    if answers:
        connection.execute(_INSERT_ANSWER, [{**a, "response_id": response_id} for a in answers])
    return response_id


_RESPONSES = Response.__table__
_INSERT_RESPONSE = insert(_RESPONSES).returning(_RESPONSES.c.id)
_INSERT_ANSWER = insert(Answer.__table__)


def question_rows(version: BatteryVersion | VersionSnapshot) -> dict[str, QuestionRow]:
    """Return a version's questions by key (read once per published version and process)."""

    def load() -> dict[str, QuestionRow]:
        table = Question.__table__
        rows = db.session.connection().execute(
            select(
                table.c.id,
                table.c.key,
                table.c.type,
                table.c.index_role,
                table.c.scale_min,
                table.c.scale_max,
                table.c.weight,
            ).where(table.c.version_id == version.id)
        )
        return {row.key: QuestionRow(*row) for row in rows}

    cache = published_versions()
    if cache is None or not version.is_published:
        return load()
    return cache.derived(version_definition(version), "question rows", load)


def _answer_row(question: QuestionRow, value: Any) -> dict[str, Any]:
    row = {
        "question_id": question.id,
        "value_number": None,
        "value_text": None,
        "dont_know": False,
    }
    if value == DONT_KNOW and question.type == "scale":
        row["dont_know"] = True
    elif question.type in ("scale", "nps", "number"):
        row["value_number"] = float(value)
    elif question.type == "multiple_choice":
        row["value_text"] = " ".join(value)
    else:
        row["value_text"] = str(value)
    return row


def answers_of(response: Response) -> dict[str, Any]:
    """Return a stored response as a canonical answers dict (to show or edit it again)."""
    result: dict[str, Any] = {}
    for answer in response.answers:
        question = answer.question
        if answer.dont_know:
            result[question.key] = DONT_KNOW
        elif answer.value_number is not None:
            number = answer.value_number
            result[question.key] = int(number) if number.is_integer() else number
        elif question.type == "multiple_choice":
            result[question.key] = (answer.value_text or "").split()
        elif answer.value_text is not None:
            result[question.key] = answer.value_text
    return result
