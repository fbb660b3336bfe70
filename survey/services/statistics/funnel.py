"""The response funnel: a survey's invitations per stage, under the dashboard's filters.

The funnel holds invitations and their responses only. Its stages are invited, delivered
(sent and not failed; an invitation whose link was used, to open, start, answer or opt out,
counts as delivered whatever the mail log says, since its company had the link), opened,
started and submitted; beside it stand the invitations not sent yet, those
whose mail failed and those whose company opted out. The response rate is submitted
invitations of delivered ones (opted-out companies stay in the denominator: they had the
invitation and declined). Responses collected otherwise (imported, interviews) are counted
separately, never in the funnel or the rate.

Invitations are classified the way their responses are (`answers.store_response`): the service
area of the visit the invitation follows up, else the survey's; the company's SNI section and
size class; the visit's officials. The date range covers the day each invitation was created.
Only web answers come through invitations, so another collection mode gives an empty funnel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from survey.extensions import db
from survey.models import (
    Battery,
    BatteryVersion,
    Company,
    Invitation,
    Response,
    Survey,
    Visit,
)
from survey.services.statistics.filters import Filters
from survey.services.statistics.periods import day_end_utc, day_start_utc
from survey.services.statistics.sql import area_id, conditions, officials_visits, zone
from survey.stats import Rate, response_rate

#: Collection modes whose responses come without an invitation.
OTHER_MODES = ("import", "interview")


@dataclass(frozen=True)
class Funnel:
    """Invitations per stage, the response rate, and the responses collected otherwise."""

    invited: int
    delivered: int
    opened: int
    started: int
    submitted: int
    unsent: int
    failed: int
    opted_out: int
    rate: Rate
    other: dict[str, int] = field(default_factory=dict)  # collection mode -> responses


#: The invitation's times that show its company used the link.
USED = ("opened_at", "started_at", "submitted_at", "opted_out_at")
#: The times that show an invitation reached each stage. The stages count history, not the
#: state now: an answered invitation was opened and started too, even when its answers came
#: in one request (the one-page form) that never stamped the earlier times.
STAGE_TIMES = {
    "opened": ("opened_at", "started_at", "submitted_at"),
    "started": ("started_at", "submitted_at"),
    "submitted": ("submitted_at",),
}


def reached(stage: str) -> ColumnElement[bool]:
    """Return whether an invitation has reached a stage (or a later one), in SQL."""
    return or_(*(getattr(Invitation, name).is_not(None) for name in STAGE_TIMES[stage]))


def has_reached(row: Any, stage: str) -> bool:
    """Tell whether an invitation row (with its times) has reached a stage, as ``reached``."""
    return any(getattr(row, name) is not None for name in STAGE_TIMES[stage])


def delivered() -> ColumnElement[bool]:
    """Return whether an invitation reached its company: sent and not failed, or its link used."""
    return or_(
        and_(Invitation.sent_at.is_not(None), Invitation.failed_at.is_(None)),
        *(getattr(Invitation, name).is_not(None) for name in USED),
    )


def was_delivered(row: Any) -> bool:
    """Tell whether an invitation row (with its times) reached its company, as `delivered`."""
    sent = row.sent_at is not None and row.failed_at is None
    return sent or any(getattr(row, name) is not None for name in USED)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(case((condition, Invitation.id)))


def _conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """Return WHERE clauses on Invitation (joined with Survey, Company, Visit) per filter."""
    clauses: list[ColumnElement[bool]] = []
    if filters.area is not None:
        area = func.coalesce(Visit.service_area_id, Survey.service_area_id)
        clauses.append(area == area_id(filters.area))
    if filters.industry is not None:
        clauses.append(Company.sni_section == filters.industry)
    if filters.size is not None:
        clauses.append(Company.size_class == filters.size)
    if filters.official_id is not None:
        clauses.append(Invitation.visit_id.in_(officials_visits(filters.official_id)))
    if filters.date_from is not None:
        clauses.append(Invitation.created_at >= day_start_utc(filters.date_from, zone()))
    if filters.date_to is not None:
        clauses.append(Invitation.created_at < day_end_utc(filters.date_to, zone()))
    return clauses


def funnel_counts(filters: Filters) -> Funnel:
    """Count the invitations per stage and the responses collected without one."""
    other = other_responses(filters)
    if filters.mode is not None and filters.mode != "web":
        return Funnel(0, 0, 0, 0, 0, 0, 0, 0, response_rate(0, 0), other)
    sent = delivered()
    query = (
        select(
            func.count(Invitation.id),
            _count(sent),
            _count(reached("opened")),
            _count(reached("started")),
            _count(reached("submitted")),
            _count(and_(~sent, Invitation.failed_at.is_not(None))),
            func.count(Invitation.opted_out_at),
        )
        .join(Survey, Invitation.survey_id == Survey.id)
        .join(Company, Invitation.company_id == Company.id)
        .outerjoin(Visit, Invitation.visit_id == Visit.id)
    )
    if filters.survey_id is not None:
        query = query.where(Invitation.survey_id == filters.survey_id)
    else:
        query = (
            query.join(BatteryVersion, Survey.battery_version_id == BatteryVersion.id)
            .join(Battery, BatteryVersion.battery_id == Battery.id)
            .where(Battery.key == filters.battery)
        )
    query = query.where(*_conditions(filters))
    invited, sent_n, opened, started, submitted, failed, opted_out = db.session.execute(query).one()
    unsent = invited - sent_n - failed
    rate = response_rate(submitted, sent_n)
    return Funnel(
        invited, sent_n, opened, started, submitted, unsent, failed, opted_out, rate, other
    )


def other_responses(filters: Filters) -> dict[str, int]:
    """Count the responses under the filters collected without an invitation, per mode."""
    modes = [mode for mode in OTHER_MODES if filters.mode in (None, mode)]
    if not modes:
        return {}
    rows = db.session.execute(
        select(Response.collection_mode, func.count(Response.id))
        .where(*conditions(filters), Response.collection_mode.in_(modes))
        .group_by(Response.collection_mode)
    ).all()
    found = {str(mode): int(n) for mode, n in rows}
    return {mode: found.get(mode, 0) for mode in modes}
