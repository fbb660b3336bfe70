"""A company's personal data on request: erase its contact person, export everything stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select, update

from survey import orgnr
from survey.extensions import db
from survey.models import (
    Answer,
    Company,
    FollowUp,
    Invitation,
    OutboxMessage,
    Question,
    Response,
    Visit,
)
from survey.services import audit
from survey.services.errors import NotFound
from survey.services.outbox import unsent
from survey.services.outbox.files import mail_files
from survey.services.privacy.retention import clear_mail

ERASED_FIELDS = [
    "company.contact_name",
    "company.contact_email",
    "invitation.email",
    "invitation.draft",
    "visit.notes",
    "answer.value_text (free text)",
    "followup.topic, contact_phone, contact_email, closing_note",
    "outbox.to_addr",
    "mail files (.eml)",
]
TEXT_TYPES = ("short_text", "long_text")


@dataclass(frozen=True)
class Erasure:
    """What erasing a company's contact person cleared, counted."""

    org_number: str
    invitations: int
    drafts: int
    visit_notes: int
    answers: int
    mails: int
    mail_files: int
    followups: int = 0


def find_company(org_number: str) -> Company:
    """Return the company with this organisation number, or raise NotFound."""
    try:
        normalized = orgnr.normalize(org_number)
    except orgnr.OrgNumberError as error:
        raise NotFound(error.message, field="org_number") from None
    company = db.session.scalar(select(Company).where(Company.org_number == normalized))
    if company is None:
        raise NotFound(_("No company has this organisation number."), field="org_number")
    return company


def _addresses(company: Company, invitations: Select[tuple[int]]) -> set[str]:
    """Return every e-mail address stored for the company (lower-cased)."""
    found = {company.contact_email or ""}
    found.update(
        db.session.scalars(select(Invitation.email).where(Invitation.company_id == company.id))
    )
    found.update(
        db.session.scalars(
            select(OutboxMessage.to_addr).where(OutboxMessage.invitation_id.in_(invitations))
        )
    )
    return {address.strip().lower() for address in found if address and address.strip()}


def _changed(statement: Any) -> int:
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    return int(result.rowcount or 0)


def _blank_texts(company_id: int) -> tuple[int, int, int, int]:
    """Blank the company's invitation addresses and drafts, visit notes and free-text answers."""
    invitations = _changed(
        update(Invitation)
        .where(Invitation.company_id == company_id, Invitation.email.is_not(None))
        .values(email=None)
    )
    drafts = _changed(
        update(Invitation)
        .where(Invitation.company_id == company_id, Invitation.draft.is_not(None))
        .values(draft=None, draft_page=0)
    )
    notes = _changed(
        update(Visit).where(Visit.company_id == company_id, Visit.notes != "").values(notes="")
    )
    free_text = select(Question.id).where(Question.type.in_(TEXT_TYPES))
    answers = _changed(
        update(Answer)
        .where(
            Answer.response_id.in_(select(Response.id).where(Response.company_id == company_id)),
            Answer.question_id.in_(free_text),
            Answer.value_text != "",
        )
        .values(value_text="")
    )
    return invitations, drafts, notes, answers


def _blank_followups(company_id: int) -> int:
    """Blank what the company's follow-ups hold of what it wrote and how to reach it; the
    rows stay (owner, dates, status) for the measures of the loop."""
    return _changed(
        update(FollowUp)
        .where(
            FollowUp.company_id == company_id,
            (FollowUp.topic != "")
            | FollowUp.contact_phone.is_not(None)
            | FollowUp.contact_email.is_not(None)
            | (FollowUp.closing_note != ""),
        )
        .values(topic="", contact_phone=None, contact_email=None, closing_note="")
    )


def erase_contact(org_number: str, *, actor_id: int | None) -> Erasure:
    """Erase a company's contact person and every copy of what the company wrote.

    Cleared: the register's contact fields; its invitations' addresses and unsubmitted
    drafts; its visits' notes; the free text of its responses (blanked; the ratings are kept
    for the statistics); its follow-ups' texts and contact details; the recipient of its
    mail (queued mail is cancelled) and the .eml files written to any of its addresses.
    """
    company = find_company(org_number)
    invitations = select(Invitation.id).where(Invitation.company_id == company.id)
    addresses = _addresses(company, invitations)
    company.contact_name = None
    company.contact_email = None
    counts = _blank_texts(company.id)
    followups = _blank_followups(company.id)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.invitation_id.in_(invitations), OutboxMessage.status == "queued")
        .values(status="cancelled", last_error=unsent.ERASED)
        .execution_options(synchronize_session=False)
    )
    mails = db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.invitation_id.in_(invitations))
    ).all()
    clear_mail(list(mails))
    files = mail_files(addresses)
    erasure = Erasure(
        company.org_number, *counts, mails=len(mails), mail_files=len(files), followups=followups
    )
    audit.record(
        "company.erase_contact",
        user_id=actor_id,
        object_type="company",
        object_id=company.id,
        fields=ERASED_FIELDS,
        invitations=erasure.invitations,
        drafts=erasure.drafts,
        visit_notes=erasure.visit_notes,
        answers=erasure.answers,
        mails=erasure.mails,
        mail_files=erasure.mail_files,
        followups=erasure.followups,
    )
    db.session.commit()
    for path in files:  # after the commit: a failed erasure leaves the files in place
        path.unlink(missing_ok=True)
    return erasure


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


COMPANY_FIELDS = (
    "id",
    "org_number",
    "name",
    "sni_code",
    "sni_section",
    "size_class",
    "contact_name",
    "contact_email",
    "language",
    "opted_out",
    "created_at",
    "updated_at",
)
VISIT_FIELDS = ("id", "visit_date", "notes", "created_at")
INVITATION_FIELDS = (
    "id",
    "survey_id",
    "visit_id",
    "email",
    "language",
    "created_at",
    "expires_at",
    "sent_at",
    "failed_at",
    "opened_at",
    "started_at",
    "submitted_at",
    "opted_out_at",
    "reminders_sent",
    "draft",
)
MAIL_FIELDS = (
    "id",
    "invitation_id",
    "kind",
    "to_addr",
    "subject",
    "status",
    "created_at",
    "sent_at",
)
RESPONSE_FIELDS = (
    "id",
    "survey_id",
    "invitation_id",
    "visit_id",
    "battery_version_id",
    "collection_mode",
    "language",
    "submitted_at",
    "service_area_id",
    "sni_section",
    "size_class",
)


FOLLOWUP_FIELDS = (
    "id",
    "source",
    "survey_id",
    "visit_id",
    "topic",
    "contact_phone",
    "contact_email",
    "status",
    "due_on",
    "created_at",
    "contacted_at",
    "closed_at",
    "closing_note",
)


def _visit(visit: Visit) -> dict[str, Any]:
    return {
        **_row(visit, VISIT_FIELDS),
        "service_area": visit.service_area.key,
        "officials": [official.name for official in visit.officials],
    }


def _answers(response_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = db.session.execute(
        select(
            Answer.response_id,
            Question.key,
            Answer.value_number,
            Answer.value_text,
            Answer.dont_know,
        )
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.response_id.in_(response_ids))
        .order_by(Answer.response_id, Question.position)
    )
    found: dict[int, list[dict[str, Any]]] = {rid: [] for rid in response_ids}
    for response_id, key, number, text, dont_know in rows:
        found[response_id].append(
            {"question": key, "number": number, "text": text, "dont_know": dont_know}
        )
    return found


def company_report(org_number: str, *, actor_id: int | None) -> dict[str, Any]:
    """Return everything stored about one company, as JSON-ready data (no token hashes)."""
    company = find_company(org_number)
    invitation_ids = select(Invitation.id).where(Invitation.company_id == company.id)
    invitations = db.session.scalars(
        select(Invitation).where(Invitation.company_id == company.id).order_by(Invitation.id)
    ).all()
    responses = db.session.scalars(
        select(Response).where(Response.company_id == company.id).order_by(Response.id)
    ).all()
    answers = _answers([response.id for response in responses])
    mails = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.invitation_id.in_([inv.id for inv in invitations]))
        .order_by(OutboxMessage.id)
    ).all()
    report = {
        "company": _row(company, COMPANY_FIELDS),
        "visits": [_visit(visit) for visit in company.visits],
        "invitations": [
            {**_row(inv, INVITATION_FIELDS), "survey": inv.survey.name} for inv in invitations
        ],
        # Mail bodies are left out: they carry the survey link, i.e. the token.
        "mails": [_row(mail, MAIL_FIELDS) for mail in mails],
        # Messages the .eml writer keeps on disk for the company's addresses (by file name).
        "mail_files": [path.name for path in mail_files(_addresses(company, invitation_ids))],
        "responses": [
            {**_row(response, RESPONSE_FIELDS), "answers": answers[response.id]}
            for response in responses
        ],
        "followups": [
            _row(followup, FOLLOWUP_FIELDS)
            for followup in db.session.scalars(
                select(FollowUp).where(FollowUp.company_id == company.id).order_by(FollowUp.id)
            )
        ],
    }
    audit.record("company.report", user_id=actor_id, object_type="company", object_id=company.id)
    db.session.commit()
    return report
