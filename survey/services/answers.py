"""Store a filled-in questionnaire as a Response with one Answer row per answered question.

`insert_response` (the respondent pages) and `store_response` (interview mode; it returns
the ORM Response) write in the caller's transaction and never commit: the calling service
commits (or rolls back) with its own changes, e.g. marking an invitation submitted in the
same commit. The response is added to its battery's index rollups in the same transaction,
from memory (one upsert). The writes are Core statements, not ORM objects: a submission is
the respondent path's hot spot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.dialects import postgresql

from survey.extensions import db
from survey.forms.published import published_versions
from survey.forms.values import DONT_KNOW, InvalidAnswer, clean_value
from survey.forms.visibility import effective_answers, visible_keys
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
from survey.models.base import UTCDateTime, utcnow
from survey.models.response import COLLECTION_MODES
from survey.questionnaires import model as spec
from survey.services import rollups
from survey.services.battery_mapping import version_definition
from survey.services.errors import DomainError
from survey.services.links import (
    CompanySnapshot,
    InvitationSnapshot,
    SurveySnapshot,
    VersionSnapshot,
    VisitSnapshot,
)
from survey.services.rollup_cube import DIMENSIONS


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


def store_response(version: BatteryVersion, answers: dict[str, Any], **context: Any) -> Response:
    """Add a Response for a published version with its answers; flush only, the caller commits.

    Takes the keyword arguments of `prepare_response` and returns the stored Response.
    """
    return db.session.get_one(Response, insert_response(version, answers, **context))


@dataclass(frozen=True)
class PreparedResponse:
    """A checked response ready to write: its row, its answers' rows and its rollup input."""

    row: dict[str, Any]
    answers: list[dict[str, Any]]
    rollup: rollups.OneResponse


def insert_response(
    version: BatteryVersion | VersionSnapshot, answers: dict[str, Any], **context: Any
) -> int:
    """Insert a Response of a published version with its answers; return its id.

    Takes the keyword arguments of `prepare_response`. In the caller's transaction: the
    response with its answers (one statement on PostgreSQL) and the rollups' upsert; no ORM
    objects.
    """
    return write_response(prepare_response(version, answers, **context))


def prepare_response(
    version: BatteryVersion | VersionSnapshot,
    answers: dict[str, Any],
    *,
    collection_mode: str,
    language: str,
    submitted_at: datetime | None = None,
    created_at: datetime | None = None,
    invitation: Invitation | InvitationSnapshot | None = None,
    visit: Visit | VisitSnapshot | None = None,
    company: Company | CompanySnapshot | None = None,
    survey: Survey | SurveySnapshot | None = None,
    actor_id: int | None = None,
    anonymous: bool = False,
) -> PreparedResponse:
    """Check the answers of a published version and build the rows to write; writes nothing.

    Context is copied so statistics need no joins: the service area of the visit (else of the
    survey, else the answer to the battery's service area question), and the company's SNI
    section and size class. An anonymous response keeps no
    company, visit, industry or size. Raises DomainError for an answer that does not fit.
    """
    if collection_mode not in COLLECTION_MODES:
        raise ValueError(f"unknown collection_mode {collection_mode!r}")
    if not version.is_published:
        raise DomainError(_("Only a published version of a battery can be answered."))
    cleaned = clean_answers(version_definition(version), answers)
    if db.session.registry.has():  # what the response refers to may be pending in it
        db.session.flush()
    survey = survey or (invitation.survey if invitation is not None else None)
    company = company or _company_of(visit, invitation)
    area = visit.service_area_id if visit is not None else None
    if area is None and survey is not None:
        area = survey.service_area_id
    if area is None:
        area = answered_area(version_definition(version), cleaned)
    row = {
        "battery_version_id": version.id,
        "survey_id": survey.id if survey is not None else None,
        "invitation_id": invitation.id if invitation is not None else None,
        "visit_id": None if anonymous or visit is None else visit.id,
        "company_id": None if anonymous or company is None else company.id,
        "collection_mode": collection_mode,
        "language": None if anonymous else (language if language in ("sv", "en") else "sv"),
        "submitted_at": submitted_at or utcnow(),
        "service_area_id": area,
        "sni_section": None if anonymous or company is None else company.sni_section,
        "size_class": None if anonymous or company is None else company.size_class,
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
    """Insert the response and its answers; return the response's id.

    PostgreSQL: one statement (the answers as arrays, `unnest`ed beside the new response's
    id in a data-modifying CTE); elsewhere, and for a row that brings its own id (an
    anonymous response, `survey.services.anonymity`), the response, then the answers'
    executemany.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql" and "id" not in row:
        arrays = {name: [a[name] for a in answers] for name in ANSWER_COLUMNS}
        return connection.execute(_STORE, {**row, **arrays}).scalar_one()
    response_id = connection.execute(_INSERT_RESPONSE, row).scalar_one()
    if answers:
        connection.execute(_INSERT_ANSWER, [{**a, "response_id": response_id} for a in answers])
    return response_id


_RESPONSES = Response.__table__
_INSERT_RESPONSE = insert(_RESPONSES).returning(_RESPONSES.c.id)
_INSERT_ANSWER = insert(Answer.__table__)
# Every column but the id, as the row built by insert_response holds them.
RESPONSE_COLUMNS = tuple(c.name for c in _RESPONSES.columns if c.name != "id")
# The answer columns sent as arrays, with their PostgreSQL types.
ANSWER_COLUMNS = {
    c.name: c.type.compile(dialect=postgresql.dialect())
    for c in Answer.__table__.columns
    if c.name not in ("id", "response_id")
}


def store_sql(source: str | None = None) -> str:
    """Return the CTEs ``response`` (the new response's id) and ``stored`` (its answers, the
    arrays ``unnest``ed beside that id) that store a response on PostgreSQL.

    With ``source`` (a CTE's name) the response is inserted once per row of it: none when
    it has no row. Parameters: the response's columns and one array per answer column.
    """
    values = ", ".join(":" + c for c in RESPONSE_COLUMNS)
    row = f"SELECT {values} FROM {source}" if source else f"VALUES ({values})"
    arrays = ", ".join(f"CAST(:{c} AS {kind}[])" for c, kind in ANSWER_COLUMNS.items())
    return (
        f"response AS (INSERT INTO responses ({', '.join(RESPONSE_COLUMNS)}) {row} "
        "RETURNING id), "
        f"stored AS (INSERT INTO answers (response_id, {', '.join(ANSWER_COLUMNS)}) "
        f"SELECT response.id, {', '.join('a.' + c for c in ANSWER_COLUMNS)} FROM response, "
        f"unnest({arrays}) AS a ({', '.join(ANSWER_COLUMNS)}))"
    )


#: The response's timestamps, stored as naive UTC.
STORE_TIMES = (
    bindparam("submitted_at", type_=UTCDateTime()),
    bindparam("created_at", type_=UTCDateTime()),
)
_STORE = text(f"WITH {store_sql()} SELECT id FROM response").bindparams(*STORE_TIMES)


def _company_of(visit: Visit | None, invitation: Invitation | None) -> Company | None:
    if visit is not None:
        return visit.company
    return invitation.company if invitation is not None else None


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
