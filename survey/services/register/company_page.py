"""A company's page: its visits, the surveys it was invited to and its follow-ups together.

The surveys show how far each invitation came (sent, answered, ...), never what was
answered: ratings and comments stay confidential.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from survey.extensions import db
from survey.models import Company, FollowUp, Invitation, Survey
from survey.models.base import utcnow
from survey.services.followups.followups import company_followups
from survey.services.register.companies import get_company
from survey.services.surveys.progress import status_of


@dataclass(frozen=True)
class SurveyRow:
    """One survey the company was invited to, and how far its invitation came."""

    survey_id: int
    name: str
    invited_at: datetime
    status: str


@dataclass(frozen=True)
class CompanyOverview:
    """What the company page shows."""

    company: Company
    surveys: list[SurveyRow]
    followups: list[FollowUp]


def company_surveys(company_id: int) -> list[SurveyRow]:
    """Return the company's invitations, newest first, with their status."""
    rows = db.session.execute(
        select(Survey.id, Survey.name, Invitation)
        .join(Survey, Survey.id == Invitation.survey_id)
        .where(Invitation.company_id == company_id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ).all()
    now = utcnow()
    return [
        SurveyRow(survey_id, name, invitation.created_at, status_of(invitation, now))
        for survey_id, name, invitation in rows
    ]


def overview(company_id: int, *, with_followups: bool) -> CompanyOverview:
    """Return the company with its surveys and (for those who may edit) its follow-ups."""
    company = get_company(company_id)
    found = company_followups(company_id) if with_followups else []
    return CompanyOverview(company, company_surveys(company_id), found)
