"""Retention: remove contact persons' names and e-mail addresses once their surveys are old.

With SURVEY_RETENTION_MONTHS = N (0 turns retention off) and the cut-off date C = today
(local time) minus N calendar months:

- an invitation is *expired for retention* when its survey closed before C (closes_on < C);
  its e-mail address and any unsubmitted draft are cleared, and the recipient address of
  its delivered, failed or cancelled outbox mail (and the delivery error texts, which may quote it)
  are blanked;
- a company's contact name and e-mail are cleared when the company has at least one
  invitation, ALL its invitations are expired for retention, it has no visit on or after C,
  and its record was not edited on or after C. Companies that were never invited are
  register entries kept by the officials and are left alone.

- a follow-up closed before C has its texts and contact details cleared (what the company
  wrote, its phone and e-mail, the closing note); its dates, owner and status stay for the
  measures of the loop.

Submitted responses and their answers are kept: they are tied to the company by id only.

Whatever the retention period, `purge` deletes login attempts once they are past the login
throttle's window (they hold addresses and IP addresses and no longer count) and company-import
uploads an hour old (they hold the file's contact persons).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, delete, exists, func, not_, or_, select, update

from survey.extensions import db
from survey.models import (
    Company,
    FollowUp,
    Invitation,
    LoginAttempt,
    MailAttempt,
    OutboxMessage,
    Survey,
    Visit,
)
from survey.models.base import utcnow
from survey.services import audit
from survey.services.accounts.accounts import THROTTLE_WINDOW
from survey.services.register.import_uploads import remove_stale_uploads, stale_uploads
from survey.services.surveys.invitations import local_today, start_of


@dataclass(frozen=True)
class RetentionReport:
    """What a retention run cleared (or would clear, in a dry run)."""

    cutoff: date
    invitations: int
    companies: int
    mails: int
    followups: int = 0


def months_before(day: date, months: int) -> date:
    """Return the same day `months` calendar months earlier (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _expired_invitations(cutoff: date):  # noqa: ANN202 - a select of ids
    return (
        select(Invitation.id)
        .join(Survey, Survey.id == Invitation.survey_id)
        .where(Survey.closes_on < cutoff)
    )


def _company_ids(cutoff: date, since: datetime) -> list[int]:
    live_invitation = (
        select(Invitation.id)
        .join(Survey, Survey.id == Invitation.survey_id)
        .where(Invitation.company_id == Company.id, Survey.closes_on >= cutoff)
    )
    query = select(Company.id).where(
        or_(Company.contact_name.is_not(None), Company.contact_email.is_not(None)),
        exists().where(Invitation.company_id == Company.id),
        not_(exists(live_invitation)),
        not_(exists().where(and_(Visit.company_id == Company.id, Visit.visit_date >= cutoff))),
        Company.updated_at < since,
    )
    return list(db.session.scalars(query))


def _invitation_ids(cutoff: date) -> list[int]:
    query = _expired_invitations(cutoff).where(
        or_(Invitation.email.is_not(None), Invitation.draft.is_not(None))
    )
    return list(db.session.scalars(query))


def _mail_ids(invitation_query) -> list[int]:  # noqa: ANN001 - a select of ids
    query = select(OutboxMessage.id).where(
        OutboxMessage.invitation_id.in_(invitation_query),
        OutboxMessage.status.in_(("sent", "failed", "cancelled")),
        OutboxMessage.to_addr != "",
    )
    return list(db.session.scalars(query))


def _followup_ids(since: datetime) -> list[int]:
    query = select(FollowUp.id).where(
        FollowUp.status == "closed",
        FollowUp.closed_at < since,
        or_(
            FollowUp.topic != "",
            FollowUp.contact_phone.is_not(None),
            FollowUp.contact_email.is_not(None),
            FollowUp.closing_note != "",
        ),
    )
    return list(db.session.scalars(query))


def clear_mail(message_ids: list[int]) -> None:
    """Blank the recipient and error texts of outbox rows (in the caller's transaction)."""
    if not message_ids:
        return
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids))
        .values(to_addr="", last_error=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(MailAttempt)
        .where(MailAttempt.message_id.in_(message_ids), MailAttempt.error.is_not(None))
        .values(error="(erased)")
        .execution_options(synchronize_session=False)
    )


def apply_retention(
    months: int, *, today: date | None = None, dry_run: bool = False
) -> RetentionReport:
    """Clear contact data past the retention period; with dry_run, only count it."""
    if months <= 0:
        raise ValueError(f"months must be positive, got {months}")
    cutoff = months_before(today or local_today(), months)
    companies = _company_ids(cutoff, start_of(cutoff))
    invitations = _invitation_ids(cutoff)
    mails = _mail_ids(_expired_invitations(cutoff))
    followups = _followup_ids(start_of(cutoff))
    report = RetentionReport(
        cutoff, len(invitations), len(companies), len(mails), followups=len(followups)
    )
    if dry_run:
        return report
    if invitations:
        db.session.execute(
            update(Invitation)
            .where(Invitation.id.in_(invitations))
            .values(email=None, draft=None)
            .execution_options(synchronize_session=False)
        )
    if companies:
        db.session.execute(
            update(Company)
            .where(Company.id.in_(companies))
            .values(contact_name=None, contact_email=None)
            .execution_options(synchronize_session=False)
        )
    clear_mail(mails)
    if followups:
        db.session.execute(
            update(FollowUp)
            .where(FollowUp.id.in_(followups))
            .values(topic="", contact_phone=None, contact_email=None, closing_note="")
            .execution_options(synchronize_session=False)
        )
    audit.record(
        "privacy.retention",
        user_id=None,
        cutoff=cutoff.isoformat(),
        invitations=len(invitations),
        companies=len(companies),
        mails=len(mails),
        followups=len(followups),
        fields=[
            "invitation.email",
            "invitation.draft",
            "company.contact_name",
            "company.contact_email",
            "outbox.to_addr",
            "followup.topic, contact_phone, contact_email, closing_note",
        ],
    )
    db.session.commit()
    return report


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removed (or would remove, in a dry run)."""

    login_attempts: int
    uploads: int


def purge(*, dry_run: bool = False) -> PurgeReport:
    """Delete login attempts past the throttle window and stale company-import uploads."""
    old = LoginAttempt.at < utcnow() - THROTTLE_WINDOW
    if dry_run:
        attempts = db.session.scalar(select(func.count(LoginAttempt.id)).where(old)) or 0
        return PurgeReport(attempts, len(stale_uploads()))
    attempts = db.session.execute(delete(LoginAttempt).where(old)).rowcount or 0
    uploads = remove_stale_uploads()
    if attempts or uploads:
        audit.record("privacy.purge", user_id=None, login_attempts=attempts, uploads=uploads)
    db.session.commit()
    return PurgeReport(attempts, uploads)
