"""A company's contact request in a survey becomes a follow-up, and nothing else of its answers.

A battery marks one yes/no question `contact: request` and, optionally, the questions whose
answers go with it: `about`, `phone`, `email` (questionnaires/README.md). When a company
submits "yes", `submit` in `respondents.respond` adds one follow-up for the business unit
in the same transaction as the response: the company, the survey, and copies of exactly those
answers. The ratings and other answers stay as confidential as promised: the follow-up's
pages read the follow-up, never the response. The unique ``followups.response_id`` makes it
one follow-up per response. An anonymous survey cannot ask such a question
(`surveys.check_contact_request`), so its answers never name a company.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from survey.extensions import db
from survey.models import FollowUp
from survey.questionnaires import model as spec
from survey.services import audit
from survey.services.followups.followups import MAX_EMAIL, MAX_PHONE, due_date
from survey.services.respondents.answers import clean_answers
from survey.services.respondents.token_lookup import InvitationSnapshot


@dataclass(frozen=True)
class ContactRequest:
    """What a company wrote for its contact request."""

    about: str = ""
    phone: str = ""
    email: str = ""


def requested(definition: spec.Battery, answers: dict[str, Any]) -> ContactRequest | None:
    """Return the contact request in a response's answers, or None when it asks for none.

    Hidden questions are not answered (`clean_answers`), so a request shown only on some
    condition counts only when it was shown.
    """
    questions = definition.contact_questions()
    request = questions.get(spec.CONTACT_REQUEST)
    if request is None:
        return None
    cleaned = clean_answers(definition, answers)
    if cleaned.get(request.key) != "yes":
        return None

    def written(role: str, limit: int | None = None) -> str:
        question = questions.get(role)
        value = cleaned.get(question.key) if question is not None else None
        text = value.strip() if isinstance(value, str) else ""
        return text[:limit] if limit else text

    return ContactRequest(
        written("about"), written("phone", MAX_PHONE), written("email", MAX_EMAIL)
    )


def add_followup(invitation: InvitationSnapshot, response_id: int, request: ContactRequest) -> None:
    """Add the follow-up of a submitted contact request (the caller commits, with the response)."""
    survey, visit = invitation.survey, invitation.visit
    area = visit.service_area_id if visit is not None else survey.service_area_id
    followup = FollowUp(
        company_id=invitation.company.id,
        source="contact_request",
        response_id=response_id,
        survey_id=survey.id,
        visit_id=visit.id if visit is not None else None,
        service_area_id=area,
        topic=request.about,
        contact_phone=request.phone or None,
        contact_email=request.email or None,
        due_on=due_date(),
        closing_note="",
    )
    db.session.add(followup)
    db.session.flush()
    audit.record(
        "followup.create",
        user_id=None,
        object_type="followup",
        object_id=followup.id,
        company_id=invitation.company.id,
        source="contact_request",
    )
