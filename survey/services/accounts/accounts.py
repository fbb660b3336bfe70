"""Officials' accounts: creation, password checks, login with throttling, logout."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from survey.extensions import db
from survey.models import User
from survey.models.base import utcnow
from survey.models.user import ROLES, new_session_nonce
from survey.services import audit
from survey.services.accounts import api_tokens, login_throttle
from survey.services.errors import DomainError, NotFound

#: Argon2 parameters by the name `PASSWORD_HASH_PROFILE` gives them. "standard" is argon2-cffi's
#: default (RFC 9106's low-memory choice); "cheapest" exists so that a test suite which logs in
#: thousands of times does not spend minutes hashing, and is refused outside TESTING.
HASH_PROFILES = {"standard": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}
MIN_PASSWORD_LENGTH = 10
#: How long a login attempt matters to the throttle (survey.services.accounts.login_throttle).
THROTTLE_WINDOW = login_throttle.MEMORY


def _profile() -> str:
    name = current_app.config.get("PASSWORD_HASH_PROFILE", "standard")
    if name != "standard" and not current_app.testing:
        raise RuntimeError(f"PASSWORD_HASH_PROFILE {name!r} is for tests only")
    return name


def hasher() -> PasswordHasher:
    """Return the password hasher of the app's `PASSWORD_HASH_PROFILE` ("standard" by default)."""
    return _hasher(_profile())


@cache
def _hasher(name: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(HASH_PROFILES[name])


@cache
def _dummy_hash(name: str) -> str:
    """A hash to check unknown accounts against, so they cost as much time as known ones.

    Made at the first login rather than at import: argon2 is costly in memory and time by
    design, which every `survey` command and worker would otherwise pay at start.
    """
    return _hasher(name).hash("dummy password for timing")


def normalize_email(email: str) -> str:
    """Return the canonical (trimmed, lower-cased) form of an e-mail address."""
    return email.strip().lower()


def check_password_policy(password: str) -> None:
    """Raise DomainError when a password is too short or too common."""
    from survey.services.accounts.common_passwords import is_common

    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("The password must be at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if is_common(password):
        raise DomainError(_("This password is too common; choose another."), field="password")


def create_user(email: str, name: str, role: str, password: str, *, actor_id: int | None) -> User:
    """Create an account; the e-mail must be new (case-insensitively)."""
    email = normalize_email(email)
    if role not in ROLES:
        raise DomainError(_("Unknown role %(role)s.", role=role), field="role")
    check_password_policy(password)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise DomainError(_("An account with this e-mail already exists."), field="email")
    user = User(email=email, name=name.strip(), role=role, password_hash=hasher().hash(password))
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", user_id=actor_id, object_type="user", object_id=user.id, role=role)
    db.session.commit()
    return user


def set_password(email: str, password: str, *, actor_id: int | None) -> User:
    """Give an account a new password and end its sessions."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise DomainError(_("No account has this e-mail address."), field="email")
    check_password_policy(password)
    user.password_hash = hasher().hash(password)
    user.session_nonce = new_session_nonce()
    api_tokens.revoke_all(user.id, reason="password_set", actor_id=actor_id)
    audit.record("user.password", user_id=actor_id, object_type="user", object_id=user.id)
    db.session.commit()
    return user


def authenticate(email: str, password: str, *, ip: str) -> User:
    """Return the active user with these credentials, or raise (throttled or invalid)."""
    email = normalize_email(email)
    attempt = login_throttle.begin(email, ip, field="password")
    user = db.session.scalar(select(User).where(User.email == email))
    ok = _verify(user.password_hash if user else _dummy_hash(_profile()), password)
    if not ok or user is None or not user.active:
        db.session.rollback()
        raise DomainError(_("Wrong e-mail address or password."), field="password")
    login_throttle.succeed(attempt, user.id)
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hasher().hash(password)
    user.last_login_at = utcnow()
    audit.record("user.login", user_id=user.id, object_type="user", object_id=user.id, ip=ip)
    db.session.commit()
    return user


def check_current_password(user: User, password: str, *, ip: str) -> None:
    """Raise unless `password` is the user's own; throttled and counted like a login."""
    attempt = login_throttle.begin(user.email, ip, field="current_password")
    if not _verify(user.password_hash, password):
        db.session.rollback()
        raise DomainError(_("The current password is wrong."), field="current_password")
    login_throttle.succeed(attempt, user.id)
    db.session.commit()


def change_password(user_id: int, current: str, new: str, *, ip: str = "") -> User:
    """Change one's own password after checking the current one (throttled like a login).

    The account's other sessions and all its API tokens end.
    """
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound(_("No account has this e-mail address."))
    check_current_password(user, current, ip=ip)
    if new == current:
        raise DomainError(_("Choose a password you have not used here."), field="password")
    check_password_policy(new)
    user.password_hash = hasher().hash(new)
    user.session_nonce = new_session_nonce()
    api_tokens.revoke_all(user.id, reason="password_change", actor_id=user.id)
    audit.record(
        "user.password", user_id=user.id, object_type="user", object_id=user.id, fields=["password"]
    )
    db.session.commit()
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def logout(user: User) -> None:
    """End every session of this user by rotating the nonce their login cookies carry."""
    user.session_nonce = new_session_nonce()
    audit.record("user.logout", user_id=user.id, object_type="user", object_id=user.id)
    db.session.commit()


def load_user(identity: str) -> User | None:
    """Return the active user for a login-cookie identity `<id>:<nonce>`, else None."""
    user_id, _sep, nonce = identity.partition(":")
    if not user_id.isdigit() or not nonce:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_nonce != nonce:
        return None
    return user
