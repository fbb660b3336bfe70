"""The response funnel: a survey's invitations per stage, under the dashboard's filters.

Invitations are classified the way their responses are (`answers.store_response`): the service
area of the visit the invitation follows up, else the survey's; the company's SNI section and
size class; the visit's officials. The date range covers the day each invitation was created.
Only web answers come through invitations, so another collection mode gives an empty funnel.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select

from survey.extensions import db
from survey.models import (
    Battery,
    BatteryVersion,
    Company,
    Invitation,
    Survey,
    Visit,
)
from survey.services.periods import day_end_utc, day_start_utc
from survey.services.statistics_filters import Filters
from survey.services.statistics_query import area_id, officials_visits, zone
from survey.stats import Rate, response_rate


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


def funnel_counts(filters: Filters) -> tuple[int, int, int, int, int, Rate]:
    """Count invited, sent, opened, started and submitted invitations, and the response rate."""
    if filters.mode is not None and filters.mode != "web":
        return 0, 0, 0, 0, 0, response_rate(0, 0)
    query = (
        select(
            func.count(Invitation.id),
            func.count(Invitation.sent_at),
            func.count(Invitation.opened_at),
            func.count(Invitation.started_at),
            func.count(Invitation.submitted_at),
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
    invited, sent, opened, started, submitted = db.session.execute(query).one()
    return invited, sent, opened, started, submitted, response_rate(submitted, invited)
