"""Interview mode: an official fills in a published battery on a company's behalf at a visit."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from survey.extensions import db
from survey.models import Battery, BatteryVersion, Response, Visit
from survey.services import audit, batteries
from survey.services.answers import store_response
from survey.services.errors import NotFound

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


def record_interview(
    visit_id: int,
    battery_key: str,
    answers: dict[str, Any],
    *,
    language: str,
    actor_id: int | None,
) -> Response:
    """Store the answers as an interview response tied to the visit and its company."""
    visit = get_visit(visit_id)
    version = batteries.get_version(battery_key)
    response = store_response(
        version,
        answers,
        collection_mode="interview",
        language=language,
        visit=visit,
        company=visit.company,
        actor_id=actor_id,
    )
    audit.record(
        "interview.record",
        user_id=actor_id,
        object_type="response",
        object_id=response.id,
        visit=visit.id,
        battery=battery_key,
    )
    db.session.commit()
    return response
