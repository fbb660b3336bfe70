"""The respondent's side of a token link: open, save drafts page by page, submit once, opt out.

Only `resolve()` decides whether a token may be answered; every refusal looks the same to
the visitor (see web/respond). Submission is exactly once: one transaction marks the
invitation submitted with a conditional UPDATE (rowcount 1 or nothing) and stores the
response; the unique responses.invitation_id is the backstop under concurrency.

Anonymous surveys store no link from the response to the invitation or company, and both
the response's and the invitation's times are coarsened to the local date (midnight UTC of
that date), so the two cannot be matched by timestamp either.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from functools import cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Update, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from survey.extensions import db
from survey.models import BatteryVersion, Company, Invitation, OutboxMessage, Survey
from survey.models.base import utcnow
from survey.models.company import LANGUAGES
from survey.services import outbox_unsent
from survey.services.answers import insert_response
from survey.services.errors import DomainError
from survey.services.invitations import hash_token, local_today

_INVITATIONS = Invitation.__table__
# What every respondent page reads besides the invitation, in one query with plain joins
# (the rows are attached to the invitation below: cheaper than joined eager loading).
_PAGE_CONTEXT = (
    select(Invitation, Survey, BatteryVersion, Company)
    .join(Invitation.survey)
    .join(Survey.battery_version)
    .join(Invitation.company)
)


class AlreadyAnswered(DomainError):
    """The invitation's response was already submitted."""


def lookup(token: str) -> Invitation | None:
    """Return the invitation of a token whatever its state, or None for an unknown token."""
    if not token or len(token) > 100:
        return None
    row = db.session.execute(
        _PAGE_CONTEXT.where(Invitation.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    invitation, survey, version, company = row
    set_committed_value(survey, "battery_version", version)
    set_committed_value(invitation, "survey", survey)
    set_committed_value(invitation, "company", company)
    return invitation


def answerable(invitation: Invitation, now: datetime | None = None) -> bool:
    """Tell whether an invitation may be answered now (open survey, not used or opted out)."""
    now = now or utcnow()
    survey = invitation.survey
    return (
        invitation.submitted_at is None
        and invitation.opted_out_at is None
        and not invitation.company.opted_out
        and now < invitation.expires_at
        and survey.opens_on <= local_today() <= survey.closes_on
    )


def resolve(token: str) -> Invitation | None:
    """Return the invitation a token may answer now, or None (unknown, expired, used, ...)."""
    invitation = lookup(token)
    return invitation if invitation is not None and answerable(invitation) else None


def mark_opened(invitation: Invitation) -> None:
    """Note the first time the link was opened.

    One UPDATE and the commit. A database crash may lose this note without harm, so on
    PostgreSQL the commit does not wait for the write-ahead log to reach the disk (which
    costs more than the rest of the page): the statement itself sets `synchronous_commit`
    off for its transaction. Answers and drafts are never committed so.
    """
    if invitation.opened_at is not None:
        return
    now = utcnow()
    connection = db.session.connection()
    connection.execute(_opened(connection.dialect.name), {"invitation": invitation.id, "now": now})
    set_committed_value(invitation, "opened_at", now)
    db.session.commit()


@cache
def _opened(dialect: str) -> Update:
    statement = (
        update(_INVITATIONS)
        .where(_INVITATIONS.c.id == bindparam("invitation"), _INVITATIONS.c.opened_at.is_(None))
        .values(opened_at=bindparam("now"))
    )
    if dialect == "postgresql":
        unlogged = select(func.set_config("synchronous_commit", "off", True)).scalar_subquery()
        statement = statement.where(unlogged == "off")
    return statement


def save_draft(
    invitation: Invitation,
    answers: dict[str, Any],
    *,
    resume_page: int,
    language: str | None = None,
) -> None:
    """Keep the answers so far and the page to continue from.

    ``language`` is the language the respondent posted the answers in: later reminders
    follow it (a link scanner that only opens the link changes nothing).
    """
    now = utcnow()
    if language in LANGUAGES and invitation.language != language:
        invitation.language = language
    invitation.draft = dict(answers)
    invitation.draft_page = max(resume_page, 1)
    invitation.opened_at = invitation.opened_at or now
    invitation.started_at = invitation.started_at or now
    db.session.commit()


def _coarse() -> datetime:
    return datetime.combine(local_today(), time.min, tzinfo=UTC)


def submit(invitation: Invitation, *, language: str, answers: dict[str, Any] | None = None) -> int:
    """Store the answers (by default the draft) as the invitation's one response; its id.

    Raises AlreadyAnswered if the invitation is used, DomainError if an answer does not fit.
    """
    survey = invitation.survey
    answers = (invitation.draft or {}) if answers is None else answers
    anonymous = survey.anonymous
    moment = _coarse() if anonymous else utcnow()
    connection = db.session.connection()
    claimed = connection.execute(_CLAIM, {"invitation": invitation.id, "moment": moment})
    if claimed.rowcount != 1:
        db.session.rollback()
        raise AlreadyAnswered(_("This survey has already been answered. Thank you!"))
    try:
        response_id = insert_response(
            survey.battery_version,
            answers,
            collection_mode="web",
            language=language,
            submitted_at=moment,
            created_at=moment if anonymous else None,
            invitation=None if anonymous else invitation,
            visit=None if anonymous else invitation.visit,
            company=None if anonymous else invitation.company,
            survey=survey,
            anonymous=anonymous,
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyAnswered(_("This survey has already been answered. Thank you!")) from None
    except DomainError:
        db.session.rollback()
        raise
    db.session.expire(invitation)
    return response_id


# Exactly once: of concurrent submits only one finds the row still unsubmitted.
_CLAIM = (
    update(_INVITATIONS)
    .where(
        _INVITATIONS.c.id == bindparam("invitation"),
        _INVITATIONS.c.submitted_at.is_(None),
        _INVITATIONS.c.opted_out_at.is_(None),
    )
    .values(submitted_at=bindparam("moment"), draft=None, draft_page=0)
)


def opt_out(token: str) -> bool:
    """Opt a token's company out of survey mail; False for an unknown token."""
    invitation = lookup(token)
    if invitation is None:
        return False
    now = utcnow()
    invitation.opted_out_at = invitation.opted_out_at or now
    invitation.company.opted_out = True
    company_invitations = select(Invitation.id).where(
        Invitation.company_id == invitation.company_id
    )
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.invitation_id.in_(company_invitations),
            OutboxMessage.status == "queued",
        )
        .values(status="cancelled", last_error=outbox_unsent.OPTED_OUT)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return True
