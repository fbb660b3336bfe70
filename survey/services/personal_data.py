"""A company's personal data on request: erase its contact person, export everything stored."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from survey import orgnr
from survey.extensions import db
from survey.models import Answer, Company, Invitation, OutboxMessage, Question, Response, Visit
from survey.services import audit, outbox_unsent
from survey.services.errors import NotFound
from survey.services.retention import clear_mail

ERASED_FIELDS = ["company.contact_name", "company.contact_email", "invitation.email"]


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


def erase_contact(org_number: str, *, actor_id: int | None) -> Company:
    """Erase a company's contact person: the register's contact fields and invitation e-mails.

    Mail still waiting in the outbox for those invitations is cancelled; sent mail keeps
    its text but loses the recipient address. Answers are kept.
    """
    company = find_company(org_number)
    company.contact_name = None
    company.contact_email = None
    invitations = select(Invitation.id).where(Invitation.company_id == company.id)
    db.session.execute(
        update(Invitation)
        .where(Invitation.company_id == company.id)
        .values(email=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.invitation_id.in_(invitations), OutboxMessage.status == "queued")
        .values(status="cancelled", last_error=outbox_unsent.ERASED)
        .execution_options(synchronize_session=False)
    )
    mails = db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.invitation_id.in_(invitations))
    ).all()
    clear_mail(list(mails))
    audit.record(
        "company.erase_contact",
        user_id=actor_id,
        object_type="company",
        object_id=company.id,
        fields=ERASED_FIELDS,
    )
    db.session.commit()
    return company


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
        "responses": [
            {**_row(response, RESPONSE_FIELDS), "answers": answers[response.id]}
            for response in responses
        ],
    }
    audit.record("company.report", user_id=actor_id, object_type="company", object_id=company.id)
    db.session.commit()
    return report
