"""User administration for admins: list, create, rename, change role, (de)activate.

At least one active administrator always remains: a role change or deactivation that would
leave none is refused, also when two run at once (see `_lock_admins`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from survey.extensions import db
from survey.models import User
from survey.models.user import ROLES, new_session_nonce
from survey.services import audit
from survey.services.accounts import accounts, api_tokens
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


def get_by_email(email: str) -> User:
    """Return the account with this e-mail address (any case) or raise NotFound."""
    user = db.session.scalar(select(User).where(User.email == accounts.normalize_email(email)))
    if user is None:
        raise NotFound(_("No account has this e-mail address."), field="email")
    return user


def create_user(email: str, name: str, role: str, password: str, *, actor_id: int) -> User:
    """Create an account with an initial password that meets the policy."""
    if not name.strip():
        raise DomainError(_("Enter the person's name."), field="name")
    return accounts.create_user(email, name, role, password, actor_id=actor_id)


def rename(user_id: int, name: str, *, actor_id: int | None) -> User:
    """Correct an account's name (shown in menus, visits and the audit log)."""
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Enter the person's name."), field="name")
    if len(name) > 200:
        raise DomainError(_("At most %(n)s characters.", n=200), field="name")
    user = _current(user_id)
    if name != user.name:
        user.name = name
        audit.record(
            "user.rename", user_id=actor_id, object_type="user", object_id=user.id, fields=["name"]
        )
        db.session.commit()
    return user


def change_role(user_id: int, role: str, *, actor_id: int | None) -> User:
    """Give an account another role; admins cannot demote themselves, nor the last admin."""
    if role not in ROLES:
        raise DomainError(_("Unknown role %(role)s.", role=role), field="role")
    _lock_admins()
    user = _current(user_id)
    if user.id == actor_id and role != user.role:
        raise DomainError(_("You cannot change your own role."), field="role")
    if role != user.role:
        previous, user.role = user.role, role
        _keep_an_admin(field="role")
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


def set_active(user_id: int, active: bool, *, actor_id: int | None) -> User:
    """Deactivate (ending every session and API token) or reactivate an account; not one's own."""
    _lock_admins()
    user = _current(user_id)
    if user.id == actor_id and not active:
        raise DomainError(_("You cannot deactivate your own account."), field="active")
    if user.active != active:
        user.active = active
        user.session_nonce = new_session_nonce()
        _keep_an_admin(field="active")
        if not active:
            api_tokens.revoke_all(user.id, reason="deactivated", actor_id=actor_id)
        action = "user.reactivate" if active else "user.deactivate"
        audit.record(action, user_id=actor_id, object_type="user", object_id=user.id)
        db.session.commit()
    return user


def _current(user_id: int) -> User:
    """Return the account as the database has it now (not as this session last read it)."""
    user = db.session.get(User, user_id, populate_existing=True)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def _active_admins() -> Select[tuple[int]]:
    return select(User.id).where(User.role == "admin", User.active.is_(True))


def _lock_admins() -> None:
    """Lock the active administrators' rows until the transaction ends.

    On PostgreSQL a concurrent change of an administrator waits here until this one commits,
    and then reads its outcome; SQLite has one writer at a time, and `_keep_an_admin` counts
    after its flush has taken the write lock, so there too the last admin cannot go twice.
    """
    db.session.execute(_active_admins().order_by(User.id).with_for_update()).all()


def _keep_an_admin(*, field: str) -> None:
    """Refuse (and roll back) the pending change if it leaves no active administrator."""
    db.session.flush()
    if not db.session.scalar(select(func.count()).select_from(_active_admins().subquery())):
        db.session.rollback()
        raise DomainError(
            _("At least one active administrator must remain; make another one first."),
            field=field,
        )
