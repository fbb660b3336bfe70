"""Interview mode: an official fills in a published battery on a company's behalf at a visit."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import Answer, Battery, BatteryVersion, Response, Visit
from survey.services import audit
from survey.services.batteries import batteries
from survey.services.errors import NotFound
from survey.services.respondents.answers import (
    PreparedResponse,
    answers_of,
    context_of,
    prepare_response,
    write_response,
)
from survey.services.statistics import rollups

CONVERSATION_GUIDE = "foretagsbesok-samtalsguide"


def get_visit(visit_id: int) -> Visit:
    """Return the visit, or raise NotFound."""
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise NotFound(_("The visit does not exist."))
    return visit


def interview_batteries() -> list[BatteryVersion]:
    """Return the latest published version of every battery in use, the guide first."""
    versions = []
    for battery in db.session.scalars(
        select(Battery).where(Battery.archived_at.is_(None)).order_by(Battery.key)
    ):
        published = [v for v in battery.versions if v.is_published]
        if published:
            versions.append(published[-1])
    return sorted(versions, key=lambda v: v.battery.key != CONVERSATION_GUIDE)


def _saved_id(visit_id: int, version_id: int, *, lock: bool = False) -> int | None:
    query = select(Response.id).where(
        Response.visit_id == visit_id,
        Response.battery_version_id == version_id,
        Response.collection_mode == "interview",
    )
    return db.session.scalar(query.with_for_update() if lock else query)


def saved_answers(visit_id: int, battery_key: str) -> dict[str, Any] | None:
    """Return the answers saved for the visit in the battery's latest version, if any."""
    version = batteries.get_version(battery_key)
    response_id = _saved_id(visit_id, version.id)
    if response_id is None:
        return None
    return answers_of(db.session.get_one(Response, response_id))


def record_interview(
    visit_id: int,
    battery_key: str,
    answers: dict[str, Any],
    *,
    language: str,
    actor_id: int | None,
) -> Response:
    """Store the answers as the visit's interview response; saving again replaces them.

    A visit has one interview response per battery version (a unique index), so a repeated
    or parallel save updates that response, rollups included, instead of adding another:
    of two first saves at once, the second meets the index, rolls back and updates.
    """
    try:
        return _save(visit_id, battery_key, answers, language=language, actor_id=actor_id)
    except IntegrityError:  # a parallel first save took the index: update its response
        db.session.rollback()
    return _save(visit_id, battery_key, answers, language=language, actor_id=actor_id)


def _save(
    visit_id: int, battery_key: str, answers: dict[str, Any], *, language: str, actor_id: int | None
) -> Response:
    visit = get_visit(visit_id)
    version = batteries.get_version(battery_key)
    prepared = prepare_response(
        version,
        answers,
        collection_mode="interview",
        language=language,
        context=context_of(visit=visit),
        actor_id=actor_id,
    )
    response_id = _saved_id(visit.id, version.id, lock=True)
    if response_id is None:
        response_id = write_response(prepared)
        action = "interview.record"
    else:
        _replace(response_id, version.battery_id, prepared)
        action = "interview.update"
    audit.record(
        action,
        user_id=actor_id,
        object_type="response",
        object_id=response_id,
        visit=visit.id,
        battery=battery_key,
    )
    db.session.commit()
    return db.session.get_one(Response, response_id)


def _replace(response_id: int, battery_id: int, prepared: PreparedResponse) -> None:
    """Put new answers in a stored response, taking the old ones out of the rollups first."""
    rollups.remove_responses(battery_id, [response_id])
    db.session.execute(delete(Answer).where(Answer.response_id == response_id))
    kept = ("created_at",)
    db.session.execute(
        update(Response)
        .where(Response.id == response_id)
        .values({name: value for name, value in prepared.row.items() if name not in kept})
        .execution_options(synchronize_session=False)
    )
    if prepared.answers:
        db.session.execute(
            insert(Answer), [{**answer, "response_id": response_id} for answer in prepared.answers]
        )
    rollups.add_responses(battery_id, [response_id])
