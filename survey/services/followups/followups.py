"""Follow-ups (uppföljningar): create, assign, mark contacted, close, list.

A follow-up is something the business unit owes a company: its contact request in a survey
(`contact_requests`), a call or mail to the business unit, or a promise made on a visit. It
is due a number of working days after it came in (SURVEY_FOLLOWUP_DAYS, Swedish holidays not
counted, `survey.workdays`); its owner is mailed when someone else assigns it to them, and
once when it is overdue (`followup_mail`). Every change is audited with ids only.

Status: new (ny) -> assigned (tilldelad) -> contacted (kontaktad) -> closed (avslutad).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from survey.extensions import db
from survey.models import Company, FollowUp, ServiceArea, User, Visit
from survey.models.base import utcnow
from survey.paging import Page, paginate
from survey.services import audit
from survey.services.errors import DomainError, NotFound
from survey.services.followups import mail
from survey.services.surveys.invitations import local_today
from survey.workdays import add_working_days

MAX_TOPIC = 5_000
MAX_NOTE = 5_000
MAX_PHONE = 100
MAX_EMAIL = 254
OPEN_STATUSES = ("new", "assigned", "contacted")


def due_date(start: date | None = None) -> date:
    """Return the due date of a follow-up that comes in on `start` (default today)."""
    days = current_app.config["SURVEY_FOLLOWUP_DAYS"]
    return add_working_days(start or local_today(), days)


def is_overdue(followup: FollowUp, today: date | None = None) -> bool:
    """Tell whether an open follow-up is past its due date."""
    return followup.status != "closed" and followup.due_on < (today or local_today())


def get_followup(followup_id: int) -> FollowUp:
    """Return the follow-up or raise NotFound."""
    followup = db.session.get(FollowUp, followup_id)
    if followup is None:
        raise NotFound(_("No such follow-up."))
    return followup


@dataclass
class FollowUpInput:
    """What an official enters for a follow-up made by hand (a call, a visit's promise)."""

    topic: str
    contact_phone: str = ""
    contact_email: str = ""
    owner_id: int | None = None
    due_on: date | None = None
    service_area_id: int | None = None
    visit_id: int | None = None


def _owner(owner_id: int | None) -> User | None:
    if not owner_id:
        return None
    user = db.session.get(User, owner_id)
    if user is None or not user.active or not user.can("edit"):
        raise DomainError(_("Choose an official from the list."), field="owner")
    return user


def _checked(data: FollowUpInput, company: Company) -> Visit | None:
    if not data.topic.strip():
        raise DomainError(_("Write what the follow-up is about."), field="topic")
    if len(data.topic) > MAX_TOPIC:
        raise DomainError(_("Write at most %(n)s characters.", n=MAX_TOPIC), field="topic")
    if len(data.contact_phone) > MAX_PHONE:
        raise DomainError(_("Write at most %(n)s characters.", n=MAX_PHONE), field="phone")
    if len(data.contact_email) > MAX_EMAIL:
        raise DomainError(_("Write at most %(n)s characters.", n=MAX_EMAIL), field="email")
    if data.due_on is not None and data.due_on < local_today():
        raise DomainError(_("The due date cannot be in the past."), field="due_on")
    if data.service_area_id and db.session.get(ServiceArea, data.service_area_id) is None:
        raise DomainError(_("Choose a service area from the list."), field="service_area")
    visit = db.session.get(Visit, data.visit_id) if data.visit_id else None
    if data.visit_id and (visit is None or visit.company_id != company.id):
        raise DomainError(_("No such visit."))
    return visit


def create_followup(company_id: int, data: FollowUpInput, *, actor_id: int | None) -> FollowUp:
    """Create a follow-up by hand for a company, or from one of its visits."""
    company = db.session.get(Company, company_id)
    if company is None:
        raise NotFound(_("No such company."))
    visit = _checked(data, company)
    owner = _owner(data.owner_id)
    area = data.service_area_id or (visit.service_area_id if visit is not None else None)
    followup = FollowUp(
        company_id=company.id,
        source="visit" if visit is not None else "manual",
        visit_id=visit.id if visit is not None else None,
        service_area_id=area,
        topic=data.topic.strip(),
        contact_phone=data.contact_phone.strip() or None,
        contact_email=data.contact_email.strip() or None,
        due_on=data.due_on or due_date(),
        created_by_id=actor_id,
        closing_note="",
    )
    db.session.add(followup)
    db.session.flush()
    audit.record(
        "followup.create",
        user_id=actor_id,
        object_type="followup",
        object_id=followup.id,
        company_id=company.id,
        source=followup.source,
    )
    if owner is not None:
        _assign(followup, owner, actor_id=actor_id)
    db.session.commit()
    return followup


def _assign(followup: FollowUp, owner: User, *, actor_id: int | None) -> None:
    previous = followup.owner_id
    followup.owner_id, followup.owner = owner.id, owner
    followup.assigned_at = utcnow()
    if followup.status == "new":
        followup.status = "assigned"
    audit.record(
        "followup.assign",
        user_id=actor_id,
        object_type="followup",
        object_id=followup.id,
        owner_id=owner.id,
        previous_owner_id=previous,
    )
    if owner.id != actor_id:  # nobody needs a mail about what they just did themselves
        mail.queue_assigned(followup, owner)


def assign(
    followup_id: int, owner_id: int | None, *, due_on: date | None = None, actor_id: int | None
) -> FollowUp:
    """Give an open follow-up an owner (and optionally a new due date)."""
    followup = _open(followup_id)
    owner = _owner(owner_id)
    if owner is None:
        raise DomainError(_("Choose an official from the list."), field="owner")
    if due_on is not None and due_on != followup.due_on:
        if due_on < local_today():
            raise DomainError(_("The due date cannot be in the past."), field="due_on")
        audit.record(
            "followup.due",
            user_id=actor_id,
            object_type="followup",
            object_id=followup.id,
            due_on=due_on.isoformat(),
        )
        followup.due_on = due_on
    if owner.id != followup.owner_id:
        _assign(followup, owner, actor_id=actor_id)
    db.session.commit()
    return followup


def _open(followup_id: int) -> FollowUp:
    followup = get_followup(followup_id)
    if followup.status == "closed":
        raise DomainError(_("The follow-up is closed."))
    return followup


def mark_contacted(followup_id: int, *, actor_id: int | None) -> FollowUp:
    """Note that the company has been contacted (the first time counts for the measures)."""
    followup = _open(followup_id)
    followup.status = "contacted"
    followup.contacted_at = followup.contacted_at or utcnow()
    if followup.owner_id is None and actor_id is not None:
        followup.owner_id, followup.assigned_at = actor_id, utcnow()
    audit.record(
        "followup.contacted",
        user_id=actor_id,
        object_type="followup",
        object_id=followup.id,
        owner_id=followup.owner_id,
    )
    db.session.commit()
    return followup


def close(followup_id: int, note: str, *, actor_id: int | None) -> FollowUp:
    """Close a follow-up with a note saying how it ended."""
    followup = _open(followup_id)
    if not note.strip():
        raise DomainError(_("Write how the follow-up ended."), field="note")
    if len(note) > MAX_NOTE:
        raise DomainError(_("Write at most %(n)s characters.", n=MAX_NOTE), field="note")
    followup.status, followup.closed_at = "closed", utcnow()
    followup.closing_note = note.strip()
    if followup.owner_id is None and actor_id is not None:
        followup.owner_id, followup.assigned_at = actor_id, utcnow()
    audit.record(
        "followup.close",
        user_id=actor_id,
        object_type="followup",
        object_id=followup.id,
        owner_id=followup.owner_id,
    )
    db.session.commit()
    return followup


@dataclass(frozen=True)
class FollowUpFilter:
    """Which follow-ups the list shows."""

    owner_id: int | None = None
    overdue: bool = False
    service_area_id: int | None = None
    status: str = "open"  # open, closed or all


def _query(criteria: FollowUpFilter, today: date) -> Select[tuple[FollowUp]]:
    query = select(FollowUp).options(selectinload(FollowUp.company), selectinload(FollowUp.owner))
    if criteria.status == "open":
        query = query.where(FollowUp.status.in_(OPEN_STATUSES))
    elif criteria.status == "closed":
        query = query.where(FollowUp.status == "closed")
    if criteria.owner_id:
        query = query.where(FollowUp.owner_id == criteria.owner_id)
    if criteria.overdue:
        query = query.where(FollowUp.status != "closed", FollowUp.due_on < today)
    if criteria.service_area_id:
        query = query.where(FollowUp.service_area_id == criteria.service_area_id)
    return query.order_by(FollowUp.due_on, FollowUp.id)


def list_followups(criteria: FollowUpFilter, *, page: int = 1) -> Page:
    """Return a page of follow-ups, earliest due first."""
    return paginate(_query(criteria, local_today()), page=page)


def company_followups(company_id: int) -> list[FollowUp]:
    """Return a company's follow-ups, newest first."""
    query = (
        select(FollowUp)
        .options(selectinload(FollowUp.owner))
        .where(FollowUp.company_id == company_id)
        .order_by(FollowUp.created_at.desc(), FollowUp.id.desc())
    )
    return list(db.session.scalars(query))


def officials() -> list[User]:
    """Return the active users a follow-up can be assigned to (those who may edit), by name."""
    query = select(User).where(User.active.is_(True), User.role.in_(("official", "admin")))
    return list(db.session.scalars(query.order_by(User.name)))
