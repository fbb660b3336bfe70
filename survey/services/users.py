"""User administration for admins: list, create, change role, deactivate and reactivate."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from survey.extensions import db
from survey.models import User
from survey.models.user import ROLES, new_session_nonce
from survey.services import accounts, api_tokens, audit
from survey.services.errors import DomainError, NotFound


def list_users() -> list[User]:
    """Return every account: active ones first, then by name."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.name)))


def get_user(user_id: int) -> User:
    """Return the account or raise NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def create_user(email: str, name: str, role: str, password: str, *, actor_id: int) -> User:
    """Create an account with an initial password that meets the policy."""
    if not name.strip():
        raise DomainError(_("Enter the person's name."), field="name")
    return accounts.create_user(email, name, role, password, actor_id=actor_id)


def change_role(user_id: int, role: str, *, actor_id: int) -> User:
    """Give an account another role; admins cannot demote themselves."""
    user = get_user(user_id)
    if role not in ROLES:
        raise DomainError(_("Unknown role %(role)s.", role=role), field="role")
    if user.id == actor_id and role != user.role:
        raise DomainError(_("You cannot change your own role."), field="role")
    if role != user.role:
        previous, user.role = user.role, role
        audit.record(
            "user.role",
            user_id=actor_id,
            object_type="user",
            object_id=user.id,
            role=role,
            previous=previous,
        )
        db.session.commit()
    return user


def set_active(user_id: int, active: bool, *, actor_id: int) -> User:
    """Deactivate (ending every session and API token) or reactivate an account; not one's own."""
    user = get_user(user_id)
    if user.id == actor_id and not active:
        raise DomainError(_("You cannot deactivate your own account."))
    if user.active != active:
        user.active = active
        user.session_nonce = new_session_nonce()
        if not active:
            api_tokens.revoke_all(user.id, reason="deactivated", actor_id=actor_id)
        action = "user.reactivate" if active else "user.deactivate"
        audit.record(action, user_id=actor_id, object_type="user", object_id=user.id)
        db.session.commit()
    return user
