"""Action plans (åtgärder): create, change, list and find the actions aimed at an index.

An action names one index of a battery (a service factor, or NKI) and optionally a service
area; `action_effect` compares that index before and after it. Every change is audited
with the names of the fields changed, never their text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from survey.extensions import db
from survey.models import (
    ACTION_STATUSES,
    Action,
    Battery,
    BatteryVersion,
    Question,
    ServiceArea,
    User,
)
from survey.paging import Page, paginate
from survey.services import audit
from survey.services.errors import DomainError, NotFound

MAX_TITLE = 200
MAX_DESCRIPTION = 10_000
#: Roles that may own an action: the officials (and administrators) who do the work.
OWNER_ROLES = ("official", "admin")


@dataclass(frozen=True)
class ActionInput:
    """What an official enters for an action (``battery`` is the battery's key)."""

    title: str
    description: str
    battery: str
    factor: str
    service_area_id: int | None
    owner_id: int | None
    starts_on: date | None
    ends_on: date | None
    status: str


def get_action(action_id: int) -> Action:
    """Return the action or raise NotFound."""
    action = db.session.get(Action, action_id)
    if action is None:
        raise NotFound(_("No such action."))
    return action


def owners(*, include_id: int | None = None) -> list[User]:
    """Return the active officials who can own an action (and ``include_id``), by name."""
    condition = (User.active.is_(True)) & User.role.in_(OWNER_ROLES)
    if include_id is not None:
        condition = condition | (User.id == include_id)
    return list(db.session.scalars(select(User).where(condition).order_by(User.name)))


def batteries_with_indices() -> list[tuple[str, list[str]]]:
    """Return each published battery's key and the index roles of its published versions."""
    rows = db.session.execute(
        select(Battery.key, Question.index_role)
        .join(BatteryVersion, BatteryVersion.battery_id == Battery.id)
        .join(Question, Question.version_id == BatteryVersion.id)
        .where(
            BatteryVersion.status == "published",
            Battery.archived_at.is_(None),
            Question.index_role.is_not(None),
            Question.type == "scale",
        )
        .order_by(Battery.key, BatteryVersion.number.desc(), Question.section_id, Question.position)
    ).all()
    found: dict[str, list[str]] = {}
    for key, role in rows:
        roles = found.setdefault(key, [])
        if role not in roles:
            roles.append(role)
    return list(found.items())


def _battery(key: str, factor: str) -> int:
    battery = db.session.scalar(select(Battery).where(Battery.key == key))
    if battery is None:
        raise DomainError(_("Choose a question battery from the list."), field="battery")
    roles = dict(batteries_with_indices()).get(key, [])
    if factor not in roles:
        raise DomainError(
            _("The battery has no index %(index)s; choose one of %(names)s.",
              index=factor or "-", names=", ".join(roles) or "-"),
            field="factor",
        )  # fmt: skip
    return battery.id


def _check(values: ActionInput, *, current: Action | None = None) -> dict[str, object]:
    """Validate the input and return the action's column values; DomainError names a field."""
    title = values.title.strip()
    if not title:
        raise DomainError(_("Enter a title."), field="title")
    if len(title) > MAX_TITLE:
        raise DomainError(_("Too long (at most %(n)s characters).", n=MAX_TITLE), field="title")
    if len(values.description) > MAX_DESCRIPTION:
        raise DomainError(
            _("Too long (at most %(n)s characters).", n=MAX_DESCRIPTION), field="description"
        )
    battery_id = _battery(values.battery, values.factor)
    area = db.session.get(ServiceArea, values.service_area_id) if values.service_area_id else None
    keep_area = current.service_area_id if current else None
    if values.service_area_id and (area is None or not (area.active or area.id == keep_area)):
        raise DomainError(_("Choose a service area from the list."), field="service_area")
    keep_owner = current.owner_id if current else None
    if values.owner_id not in {user.id for user in owners(include_id=keep_owner)}:
        raise DomainError(_("Choose the official responsible."), field="owner")
    if values.starts_on is None:
        raise DomainError(_("Enter the start date."), field="starts_on")
    if values.ends_on is None:
        raise DomainError(_("Enter the end date."), field="ends_on")
    if values.ends_on < values.starts_on:
        raise DomainError(_("The end date is before the start date."), field="ends_on")
    if values.status not in ACTION_STATUSES:
        raise DomainError(_("Choose a status from the list."), field="status")
    return {
        "title": title,
        "description": values.description.strip(),
        "battery_id": battery_id,
        "factor": values.factor,
        "service_area_id": values.service_area_id or None,
        "owner_id": values.owner_id,
        "starts_on": values.starts_on,
        "ends_on": values.ends_on,
        "status": values.status,
    }


def create_action(values: ActionInput, *, actor_id: int | None) -> Action:
    """Create an action from the official's input and return it."""
    action = Action(**_check(values), created_by_id=actor_id)
    db.session.add(action)
    db.session.flush()
    audit.record("action.create", user_id=actor_id, object_type="action", object_id=action.id)
    db.session.commit()
    return action


def update_action(action_id: int, values: ActionInput, *, actor_id: int | None) -> Action:
    """Change an action; the audit log names the fields that changed."""
    action = get_action(action_id)
    checked = _check(values, current=action)
    changed = sorted(name for name, value in checked.items() if getattr(action, name) != value)
    for name in changed:
        setattr(action, name, checked[name])
    if changed:
        audit.record(
            "action.update",
            user_id=actor_id,
            object_type="action",
            object_id=action.id,
            fields=changed,
        )
    db.session.commit()
    return action


def input_of(action: Action) -> ActionInput:
    """Return an action's values as the input that would create it."""
    return ActionInput(
        title=action.title,
        description=action.description,
        battery=action.battery.key,
        factor=action.factor,
        service_area_id=action.service_area_id,
        owner_id=action.owner_id,
        starts_on=action.starts_on,
        ends_on=action.ends_on,
        status=action.status,
    )


def _listed():  # noqa: ANN202 - a select of Action
    return select(Action).options(
        selectinload(Action.battery),
        selectinload(Action.service_area),
        selectinload(Action.owner),
    )


def list_actions(
    *, status: str | None = None, owner_id: int | None = None, page: int = 1
) -> Page[Action]:
    """Return one page of actions, latest start first, by status and owner."""
    query = _listed().order_by(Action.starts_on.desc(), Action.id.desc())
    if status:
        query = query.where(Action.status == status)
    if owner_id:
        query = query.where(Action.owner_id == owner_id)
    return paginate(query, page)


def actions_of(battery: str, *, area: str | None = None) -> list[Action]:
    """Return a battery's actions that concern the area shown (all when no area is chosen).

    With an area chosen, the actions of that area and those of no particular area (they
    aim at every area) are shown; in start order.
    """
    query = (
        _listed()
        .join(Battery, Battery.id == Action.battery_id)
        .where(Battery.key == battery)
        .order_by(Action.starts_on, Action.id)
    )
    if area:
        chosen = select(ServiceArea.id).where(ServiceArea.key == area).scalar_subquery()
        query = query.where(or_(Action.service_area_id.is_(None), Action.service_area_id == chosen))
    return list(db.session.scalars(query))
