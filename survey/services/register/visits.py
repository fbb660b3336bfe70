"""Company visits (företagsbesök): record, edit and list them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey.extensions import db
from survey.models import Company, ServiceArea, User, Visit, visit_officials
from survey.paging import Page, paginate
from survey.services import audit
from survey.services.errors import DomainError, NotFound

MAX_NOTES = 10_000


VISITING_ROLE = "official"


def active_officials() -> list[User]:
    """Return the active users, by name (the visit list's filter of who visited)."""
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))


def visiting_officials() -> list[User]:
    """Return the active officials (role "official"), by name: who can be named on a visit.

    Analysts and administrators do not visit companies in that role, so they are not offered.
    """
    query = select(User).where(User.active.is_(True), User.role == VISITING_ROLE)
    return list(db.session.scalars(query.order_by(User.name)))


def service_areas(*, include_id: int | None = None) -> list[ServiceArea]:
    """Return the active service areas in order, plus `include_id` if it is inactive."""
    condition = ServiceArea.active.is_(True)
    if include_id is not None:
        condition = condition | (ServiceArea.id == include_id)
    query = select(ServiceArea).where(condition).order_by(ServiceArea.position, ServiceArea.id)
    return list(db.session.scalars(query))


def get_visit(visit_id: int) -> Visit:
    """Return the visit or raise NotFound."""
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise NotFound(_("No such visit."))
    return visit


def _officials(official_ids: Sequence[int], *, keep: Sequence[User] = ()) -> list[User]:
    ids = set(official_ids)
    if not ids:
        raise DomainError(_("Choose at least one official."), field="officials")
    found = list(db.session.scalars(select(User).where(User.id.in_(ids))))
    allowed = {user.id for user in keep} | {
        user.id for user in found if user.active and user.role == VISITING_ROLE
    }
    if ids - allowed:
        raise DomainError(_("Choose officials from the list."), field="officials")
    return found


def _area(service_area_id: int | None, *, current: int | None = None) -> int:
    area = db.session.get(ServiceArea, service_area_id) if service_area_id else None
    if area is None or not (area.active or area.id == current):
        raise DomainError(_("Choose a service area from the list."), field="service_area")
    return area.id


def _check(visit_date: date | None, notes: str) -> None:
    if visit_date is None:
        raise DomainError(_("Enter the date of the visit."), field="visit_date")
    if len(notes) > MAX_NOTES:
        raise DomainError(_("Too long (at most %(n)s characters).", n=MAX_NOTES), field="notes")


def record_visit(
    company_id: int,
    *,
    visit_date: date | None,
    official_ids: Sequence[int],
    service_area_id: int | None,
    notes: str = "",
    actor_id: int | None,
) -> Visit:
    """Record a visit to a company by one or more officials and return it."""
    company = db.session.get(Company, company_id)
    if company is None:
        raise NotFound(_("No such company."))
    _check(visit_date, notes)
    visit = Visit(
        company=company,
        visit_date=visit_date,
        service_area_id=_area(service_area_id),
        officials=_officials(official_ids),
        notes=notes.strip(),
        created_by_id=actor_id,
    )
    db.session.add(visit)
    db.session.flush()
    audit.record("visit.create", user_id=actor_id, object_type="visit", object_id=visit.id)
    # Hook: queue the follow-up survey invitation here, in the same transaction.
    db.session.commit()
    return visit


def update_visit(
    visit_id: int,
    *,
    visit_date: date | None,
    official_ids: Sequence[int],
    service_area_id: int | None,
    notes: str = "",
    actor_id: int | None,
) -> Visit:
    """Change a visit; officials or an area no longer active may stay but not be added."""
    visit = get_visit(visit_id)
    _check(visit_date, notes)
    values = {
        "visit_date": visit_date,
        "service_area_id": _area(service_area_id, current=visit.service_area_id),
        "notes": notes.strip(),
    }
    officials = _officials(official_ids, keep=visit.officials)
    changed = sorted(name for name, value in values.items() if getattr(visit, name) != value)
    if {user.id for user in officials} != {user.id for user in visit.officials}:
        changed.append("officials")
        visit.officials = officials
    for name in changed:
        if name != "officials":
            setattr(visit, name, values[name])
    if changed:
        audit.record(
            "visit.update",
            user_id=actor_id,
            object_type="visit",
            object_id=visit.id,
            fields=changed,
        )
    db.session.commit()
    return visit


def list_visits(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    official_id: int | None = None,
    service_area_id: int | None = None,
    page: int = 1,
) -> Page[Visit]:
    """Return one page of visits, newest first, filtered by period, official and area."""
    statement = (
        select(Visit)
        .options(
            selectinload(Visit.company),
            selectinload(Visit.officials),
            selectinload(Visit.service_area),
        )
        .order_by(Visit.visit_date.desc(), Visit.id.desc())
    )
    if date_from:
        statement = statement.where(Visit.visit_date >= date_from)
    if date_to:
        statement = statement.where(Visit.visit_date <= date_to)
    if official_id:
        statement = statement.where(
            Visit.id.in_(
                select(visit_officials.c.visit_id).where(visit_officials.c.user_id == official_id)
            )
        )
    if service_area_id:
        statement = statement.where(Visit.service_area_id == service_area_id)
    return paginate(statement, page)
