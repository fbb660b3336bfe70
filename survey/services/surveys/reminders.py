"""What `survey mail send` queues before delivering: visit follow-ups and due reminders."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import Company, Invitation, Survey
from survey.models.base import utcnow
from survey.services.surveys.invitations import (
    claim_reminder_step,
    create_invitation,
    keep_token,
    local_today,
    local_zone,
    queue_mail,
    reminder_due,
    visits_needing_followup,
)


def open_surveys(today: date, *, followup_only: bool = False) -> list[Survey]:
    """Return the surveys open on a date."""
    query = select(Survey).where(Survey.opens_on <= today, Survey.closes_on >= today)
    if followup_only:
        query = query.where(Survey.is_visit_followup.is_(True))
    return list(db.session.scalars(query.order_by(Survey.id)))


def queue_followups(today: date | None = None) -> int:
    """Invite each company visited (and recorded before today) to the open follow-up surveys.

    Idempotent: invitations are unique per (survey, visit), so a second run, or a second
    worker racing this one, invites nobody twice.
    """
    today = today or local_today()
    created = 0
    for survey in open_surveys(today, followup_only=True):
        for visit in visits_needing_followup(survey, today):
            try:
                create_invitation(survey, visit.company, visit=visit)
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
            else:
                created += 1
    return created


def _due_for_reminders(survey: Survey) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .join(Company, Company.id == Invitation.company_id)
            .where(
                Invitation.survey_id == survey.id,
                Invitation.submitted_at.is_(None),
                Invitation.opted_out_at.is_(None),
                Invitation.sent_at.is_not(None),
                Invitation.reminders_sent < len(survey.reminder_days or []),
                Company.opted_out.is_(False),
            )
            .order_by(Invitation.id)
        )
    )


def queue_reminders(now: datetime | None = None) -> int:
    """Queue each due reminder step once, only to invitations not answered and not opted out."""
    now = now or utcnow()
    today = now.astimezone(local_zone()).date()
    queued = 0
    for survey in open_surveys(today):
        if not survey.reminder_days:
            continue
        for invitation in _due_for_reminders(survey):
            if not invitation.email or not reminder_due(invitation, now):
                continue
            if not claim_reminder_step(invitation):
                db.session.rollback()
                continue
            keep_token(invitation)
            queue_mail(invitation, kind="reminder")
            db.session.commit()
            queued += 1
    return queued
