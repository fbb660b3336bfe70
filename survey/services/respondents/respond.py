"""The respondent's side of a token link: open, save drafts page by page, submit once, opt out.

Only `resolve()` decides whether a token may be answered; every refusal looks the same to
the visitor (see web/respond). Submission is exactly once: one transaction marks the
invitation submitted with a conditional UPDATE (rowcount 1 or nothing) and stores the
response; the unique responses.invitation_id is the backstop under concurrency.

Anonymous surveys store no link from the response to the invitation or company, and no
time or order that would match the two (`survey.services.respondents.anonymity`): the
invitation keeps dates only, the response the survey's date and a random id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Update, bindparam, func, literal, select, text, update
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import Invitation, OutboxMessage
from survey.models.base import UTCDateTime, utcnow
from survey.models.company import LANGUAGES
from survey.services.batteries.mapping import version_definition
from survey.services.errors import DomainError
from survey.services.outbox import unsent
from survey.services.respondents import anonymity, contact_requests
from survey.services.respondents.answers import (
    PreparedResponse,
    ResponseContext,
    prepare_response,
    write_response,
)
from survey.services.respondents.contact_requests import ContactRequest
from survey.services.respondents.token_lookup import LINK_QUERY, InvitationSnapshot, snapshot
from survey.services.surveys.invitations import hash_token, local_today

_INVITATIONS = Invitation.__table__


class AlreadyAnswered(DomainError):
    """The invitation's response was already submitted."""


def lookup(token: str) -> InvitationSnapshot | None:
    """Return the invitation of a token whatever its state, or None for an unknown token.

    One Core statement reads what the respondent pages need of the invitation, its survey,
    version, company and visit (`survey.services.respondents.token_lookup`).
    """
    if not token or len(token) > 100:
        return None
    row = db.session.execute(LINK_QUERY, {"token_hash": hash_token(token)}).first()
    return None if row is None else snapshot(tuple(row))


def answerable(invitation: InvitationSnapshot, now: datetime | None = None) -> bool:
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


def closed(invitation: InvitationSnapshot) -> bool:
    """Tell whether the invitation could have been answered but its survey has closed.

    Its holder is told so plainly (the link came in their mail); an unknown, used or
    opted-out link still gets the neutral page.
    """
    return (
        invitation.submitted_at is None
        and invitation.opted_out_at is None
        and not invitation.company.opted_out
        and local_today() > invitation.survey.closes_on
    )


def resolve(token: str) -> InvitationSnapshot | None:
    """Return the invitation a token may answer now, or None (unknown, expired, used, ...)."""
    invitation = lookup(token)
    return invitation if invitation is not None and answerable(invitation) else None


def mark_opened(invitation: InvitationSnapshot) -> None:
    """Note the first time the link was opened.

    One UPDATE and the commit. A database crash may lose this note without harm, so on
    PostgreSQL the commit does not wait for the write-ahead log to reach the disk: the
    statement itself sets `synchronous_commit` off for its transaction. Answers and drafts
    are never committed so.
    """
    if invitation.opened_at is not None:
        return
    now = _now(invitation)
    connection = db.session.connection()
    connection.execute(_opened(connection.dialect.name), {"invitation": invitation.id, "now": now})
    db.session.commit()
    invitation.opened_at = now


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
    invitation: InvitationSnapshot,
    answers: dict[str, Any],
    *,
    resume_page: int,
    language: str | None = None,
) -> None:
    """Keep the answers so far and the page to continue from (one UPDATE and the commit).

    ``language`` is the language the respondent posted the answers in: later reminders
    follow it (a link scanner that only opens the link changes nothing). A draft never
    lands on an invitation already submitted (a save racing the submit changes nothing).
    """
    now, table = _now(invitation), _INVITATIONS
    draft, page = dict(answers), max(resume_page, 1)
    values: dict[str, Any] = {
        "draft": draft,
        "draft_page": page,
        "opened_at": func.coalesce(table.c.opened_at, literal(now, UTCDateTime())),
        "started_at": func.coalesce(table.c.started_at, literal(now, UTCDateTime())),
    }
    if language in LANGUAGES:
        values["language"] = invitation.language = language
    db.session.execute(
        update(table)
        .where(table.c.id == invitation.id, table.c.submitted_at.is_(None))
        .values(values)
    )
    db.session.commit()
    invitation.draft, invitation.draft_page = draft, page
    invitation.opened_at = invitation.opened_at or now
    invitation.started_at = invitation.started_at or now


def _now(invitation: InvitationSnapshot) -> datetime:
    """Return the time to stamp on an invitation: the date only in an anonymous survey."""
    return anonymity.today() if invitation.survey.anonymous else utcnow()


def submit(
    invitation: InvitationSnapshot, *, language: str, answers: dict[str, Any] | None = None
) -> int:
    """Store the answers (by default the draft) as the invitation's one response; its id.

    Raises DomainError if an answer does not fit (nothing is written), AlreadyAnswered if
    the invitation is used. One transaction claims the invitation, stores the response with
    its rollup rows and commits, on both databases; a response that asks to be contacted
    adds its one follow-up (`contact_requests`) in the same transaction.
    """
    survey = invitation.survey
    anonymous = survey.anonymous
    moment = _now(invitation)
    stamp = anonymity.survey_moment(survey.id, survey.opens_on) if anonymous else moment
    answers = (invitation.draft or {}) if answers is None else answers
    prepared = prepare_response(
        survey.battery_version,
        answers,
        collection_mode="web",
        language=language,
        submitted_at=stamp,
        created_at=stamp,
        context=_context(invitation),
        anonymous=anonymous,
    )
    if anonymous:
        response_id = _store_anonymous(invitation.id, moment, prepared)
    else:
        contact = contact_requests.requested(version_definition(survey.battery_version), answers)
        response_id = _claim_and_store(
            invitation.id,
            moment,
            prepared,
            on_stored=_followup_of(invitation, contact) if contact else None,
        )
    invitation.submitted_at, invitation.draft, invitation.draft_page = moment, None, 0
    return response_id


def _followup_of(invitation: InvitationSnapshot, contact: ContactRequest) -> Callable[[int], None]:
    return lambda response_id: contact_requests.add_followup(invitation, response_id, contact)


def _context(invitation: InvitationSnapshot) -> ResponseContext:
    """Return the context a response to this invitation stores (the service area of its
    visit, else of its survey)."""
    visit, company, survey = invitation.visit, invitation.company, invitation.survey
    area = visit.service_area_id if visit is not None else None
    return ResponseContext(
        survey_id=survey.id,
        invitation_id=invitation.id,
        visit_id=visit.id if visit is not None else None,
        company_id=company.id,
        service_area_id=area if area is not None else survey.service_area_id,
        sni_section=company.sni_section,
        size_class=company.size_class,
    )


def _claim_and_store(
    invitation_id: int,
    moment: datetime,
    prepared: PreparedResponse,
    *,
    on_stored: Callable[[int], None] | None = None,
) -> int:
    """Claim the invitation and store the response in one transaction of the session;
    `on_stored(response_id)` adds what goes with the response before the commit."""
    connection = db.session.connection()
    claimed = connection.execute(_CLAIM, {"invitation": invitation_id, "moment": moment})
    if claimed.rowcount != 1:
        db.session.rollback()
        raise AlreadyAnswered(_already_answered())
    try:
        response_id = write_response(prepared)
        if on_stored is not None:
            on_stored(response_id)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if "id" in prepared.row:
            raise _IdTaken from None
        raise AlreadyAnswered(_already_answered()) from None
    return response_id


#: Attempts at a free random id before giving up (a clash is rare: see `anonymity`).
ANONYMOUS_ATTEMPTS = 5


def _store_anonymous(invitation_id: int, moment: datetime, prepared: PreparedResponse) -> int:
    """Claim the invitation and store an anonymous response under a random id.

    The transactional path on both databases: the one-statement path numbers the response
    itself. The only unique key an anonymous response can clash on is its id (it has no
    invitation), so a clash is retried with another id, and the claim again with it.
    """
    for _attempt in range(ANONYMOUS_ATTEMPTS):
        row = {**prepared.row, "id": anonymity.random_response_id()}
        try:
            return _claim_and_store(invitation_id, moment, replace(prepared, row=row))
        except _IdTaken:
            continue
    raise RuntimeError("no free random id for an anonymous response")


class _IdTaken(Exception):
    """An anonymous response's random id was taken: try another."""


def _already_answered() -> str:
    return _("This survey has already been answered. Thank you!")


#: Exactly once: of concurrent submits of one invitation only one finds it unsubmitted.
_CLAIM = text(
    "UPDATE invitations SET submitted_at = :moment, draft = NULL, draft_page = 0 "
    "WHERE id = :invitation AND submitted_at IS NULL AND opted_out_at IS NULL"
).bindparams(bindparam("moment", type_=UTCDateTime()))


def opt_out(token: str) -> bool:
    """Opt a token's company out of survey mail; False for an unknown token."""
    if not token or len(token) > 100:
        return False
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
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
        .values(status="cancelled", last_error=unsent.OPTED_OUT)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return True
