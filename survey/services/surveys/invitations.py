"""Personal invitations: tokens, the invitation and reminder mails, resending, follow-ups.

Each invitation gets 128 random bits (`token_nonce`); its token is the HMAC-SHA256 of that
nonce under a key derived from SECRET_KEY (256 bits, URL-safe), and only the token's
SHA-256 hash is stored and looked up. Its mail is queued with the token withheld and gets it
only on its way to the mail server (`mail_links`). So a leaked database reveals no working
link, yet a reminder can repeat the invitation's link (should SECRET_KEY change, a reminder
issues a new token instead). A token expires at the end of the survey's close date, local
time.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from survey.extensions import db
from survey.mail.compose import compose
from survey.models import Company, Invitation, OutboxMessage, Survey, Visit
from survey.models.base import utcnow
from survey.services import audit
from survey.services.errors import DomainError, NotFound
from survey.services.outbox import links, outbox, unsent
from survey.services.surveys.mail_texts import DEFAULT_LANGUAGE, texts_for


def _derive(nonce: str) -> str:
    return links.derive(nonce, links.INVITATION)


def issue_token(invitation: Invitation) -> str:
    """Give an invitation a fresh token (any earlier link stops working) and return it."""
    invitation.token_nonce = secrets.token_hex(16)
    token = _derive(invitation.token_nonce)
    invitation.token_hash = hash_token(token)
    return token


def token_of(invitation: Invitation) -> str | None:
    """Return the invitation's current token, or None if SECRET_KEY changed since it was made."""
    token = _derive(invitation.token_nonce)
    return token if hmac.compare_digest(hash_token(token), invitation.token_hash) else None


def keep_token(invitation: Invitation) -> None:
    """Issue a new token only if the invitation's cannot be derived (SECRET_KEY changed)."""
    if token_of(invitation) is None:
        issue_token(invitation)


def hash_token(token: str) -> str:
    """Return the stored form of a token: its SHA-256 hex digest."""
    return links.hash_token(token)


def local_zone() -> ZoneInfo:
    """Return the installation's time zone."""
    return ZoneInfo(current_app.config["SURVEY_TIMEZONE"])


def local_today() -> date:
    """Return today's date in the installation's time zone."""
    return datetime.now(local_zone()).date()


def start_of(day: date) -> datetime:
    """Return the first instant of a local date, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=local_zone())


def expiry_for(survey: Survey) -> datetime:
    """Return when a survey's links stop working: the end of its close date, local time."""
    return start_of(survey.closes_on + timedelta(days=1))


def survey_link(token: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Return the respondent's link for a token; a link in a mail in English opens in English."""
    link = f"{current_app.config['SURVEY_BASE_URL']}/s/{token}"
    return link if language == DEFAULT_LANGUAGE else f"{link}?lang={language}"


def optout_link(token: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Return the one-click opt-out link for a token."""
    link = f"{survey_link(token)}/opt-out"
    return link if language == DEFAULT_LANGUAGE else f"{link}?lang={language}"


def queue_mail(invitation: Invitation, *, kind: str) -> OutboxMessage:
    """Compose the invitation or reminder mail of an invitation and add it to the outbox.

    It is written in the invitation's language when the survey has a text in it, else in
    Swedish (see `mail_texts`); its links open the respondent's pages in the same language.
    The token is withheld in the stored mail; delivery puts in the invitation's token of the
    moment, derived from its nonce (`mail_links.reveal`).
    """
    survey = invitation.survey
    texts = texts_for(survey, kind=kind, language=invitation.language)
    withheld = links.WITHHELD
    link, optout_url = survey_link(withheld, texts.language), optout_link(withheld, texts.language)
    composed = compose(
        subject=texts.subject,
        body=texts.body,
        company=invitation.company.name,
        visit_date=invitation.visit.visit_date if invitation.visit else None,
        close_date=survey.closes_on,
        link=link,
        optout_url=optout_url,
        language=texts.language,
    )
    return outbox.enqueue(
        kind=kind,
        invitation_id=invitation.id,
        to_addr=invitation.email or "",
        subject=composed.subject,
        text_body=composed.text,
        html_body=composed.html,
        from_name=survey.sender_name,
        reply_to=survey.reply_to,
        unsubscribe_url=optout_url,
        not_before=start_of(survey.opens_on),
    )


def can_invite(company: Company) -> bool:
    """Tell whether a company may get survey mail (has an address, has not opted out)."""
    return bool(company.contact_email) and not company.opted_out


def create_invitation(survey: Survey, company: Company, *, visit: Visit | None = None) -> str:
    """Add an invitation and its queued mail to the session; return the token (caller commits)."""
    invitation = Invitation(
        survey=survey,
        company=company,
        visit=visit,
        email=company.contact_email,
        language=company.language or DEFAULT_LANGUAGE,
        expires_at=expiry_for(survey),
        reminders_sent=0,
        draft_page=0,
    )
    token = issue_token(invitation)
    db.session.add(invitation)
    db.session.flush()
    queue_mail(invitation, kind="invitation")
    return token


def renew_token(invitation: Invitation) -> str:
    """Give an invitation a new token: the old link stops working, queued old mail is dropped."""
    token = issue_token(invitation)
    invitation.expires_at = expiry_for(invitation.survey)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.invitation_id == invitation.id, OutboxMessage.status == "queued")
        .values(status="cancelled", last_error=unsent.SUPERSEDED)
        .execution_options(synchronize_session=False)
    )
    return token


def visits_needing_followup(survey: Survey, today: date) -> list[Visit]:
    """Return visits the follow-up survey should invite today and has not invited yet.

    A company is invited the day after its visit: the visit must have taken place before
    today (local) and been recorded before today, so a visit recorded afterwards is invited
    the day after it is recorded, and one booked ahead (a future date) waits for its date.
    """
    invited = select(Invitation.visit_id).where(
        Invitation.survey_id == survey.id, Invitation.visit_id.is_not(None)
    )
    query = (
        select(Visit)
        .join(Company, Company.id == Visit.company_id)
        .where(
            Visit.visit_date >= survey.opens_on,
            Visit.visit_date < today,
            Visit.created_at < start_of(today),
            Visit.id.not_in(invited),
            Company.opted_out.is_(False),
            Company.contact_email.is_not(None),
            Company.contact_email != "",
        )
        .order_by(Visit.id)
    )
    if survey.service_area_id is not None:
        query = query.where(Visit.service_area_id == survey.service_area_id)
    return list(db.session.scalars(query))


def _is_open(survey: Survey, today: date) -> bool:
    return survey.opens_on <= today <= survey.closes_on


def reminder_due(invitation: Invitation, now: datetime) -> bool:
    """Tell whether the invitation's next reminder step is due."""
    steps = sorted(invitation.survey.reminder_days or [])
    if invitation.reminders_sent >= len(steps):
        return False
    step = invitation.reminders_sent
    base = invitation.sent_at or invitation.created_at
    if now < base + timedelta(days=steps[step]):
        return False
    # A late run must not fire two steps back to back: keep the schedule's gap between them.
    last = invitation.last_reminded_at
    return step == 0 or last is None or now >= last + timedelta(days=steps[step] - steps[step - 1])


def claim_reminder_step(invitation: Invitation) -> bool:
    """Advance the reminder counter atomically; only the caller that advanced it sends."""
    result = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.reminders_sent == invitation.reminders_sent,
            Invitation.submitted_at.is_(None),
            Invitation.opted_out_at.is_(None),
        )
        .values(reminders_sent=Invitation.reminders_sent + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def now_utc() -> datetime:
    """Return the current time (a seam for tests)."""
    return utcnow()


def get_invitation(invitation_id: int, survey_id: int) -> Invitation:
    """Return an invitation of a survey or raise NotFound."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.survey_id != survey_id:
        raise NotFound(_("The invitation does not exist."))
    return invitation


def _check_mailable(invitation: Invitation) -> None:
    if invitation.submitted_at is not None:
        raise DomainError(_("This company has already answered."))
    if invitation.opted_out_at is not None or invitation.company.opted_out:
        raise DomainError(_("This company has opted out of survey mail."))
    if local_today() > invitation.survey.closes_on:
        raise DomainError(_("The survey has closed."))
    if not invitation.email:
        raise DomainError(_("The company has no e-mail address."))


def remind_now(invitation_id: int, survey_id: int, *, actor_id: int | None) -> Invitation:
    """Queue a reminder to one company now, with its current link."""
    invitation = get_invitation(invitation_id, survey_id)
    _check_mailable(invitation)
    keep_token(invitation)
    queue_mail(invitation, kind="reminder")
    audit.record(
        "invitation.remind", user_id=actor_id, object_type="invitation", object_id=invitation.id
    )
    db.session.commit()
    return invitation


def resend(invitation_id: int, survey_id: int, *, actor_id: int | None) -> Invitation:
    """Send the invitation again with a NEW link; the old link stops working."""
    invitation = get_invitation(invitation_id, survey_id)
    _check_mailable(invitation)
    invitation.email = invitation.company.contact_email or invitation.email
    renew_token(invitation)
    invitation.failed_at = None
    queue_mail(invitation, kind="invitation")
    audit.record(
        "invitation.resend", user_id=actor_id, object_type="invitation", object_id=invitation.id
    )
    db.session.commit()
    return invitation
