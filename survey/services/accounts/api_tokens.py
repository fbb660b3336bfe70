"""Personal API tokens: created (shown once), listed, revoked, and checked on each API call.

A token is 256 random bits (`fe_` + URL-safe text); only its SHA-256 hex digest is stored, so
the database alone never reveals a usable token. Lookup is by the digest (a unique index).
A token works for the number of days chosen at creation (90 by default, at most 365), and
every token of a user is revoked when the password is reset, changed or set, or the account
is deactivated: whoever had the old password or the account loses its tokens too.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from survey.extensions import db
from survey.models import ApiToken, User
from survey.models.base import utcnow
from survey.services import audit
from survey.services.errors import DomainError, NotFound

PREFIX = "fe_"
MAX_NAME = 100
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365


@dataclass(frozen=True)
class NewToken:
    """A freshly created token: the stored row and the secret, which is never shown again."""

    token: ApiToken
    secret: str


def token_hash(secret: str) -> str:
    """Return the SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    user_id: int, name: str, *, days: int = DEFAULT_LIFETIME_DAYS, ip: str | None = None
) -> NewToken:
    """Create a named token that works for `days` days; return it with its secret (shown once)."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name."), field="name")
    if len(name) > MAX_NAME:
        raise DomainError(_("Too long (at most %(n)s characters).", n=MAX_NAME), field="name")
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise DomainError(_("Choose from 1 to %(max)s days.", max=MAX_LIFETIME_DAYS), field="days")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user_id,
        name=name,
        token_hash=token_hash(secret),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api_token.create", user_id=user_id, object_type="api_token", object_id=token.id, ip=ip
    )
    db.session.commit()
    return NewToken(token, secret)


def list_tokens(user_id: int) -> list[ApiToken]:
    """Return a user's tokens, newest first, revoked ones included."""
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
        )
    )


def revoke_token(user_id: int, token_id: int, *, ip: str | None = None) -> ApiToken:
    """Revoke one of the user's own tokens; it stops working at once."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        raise NotFound(_("There is no such API token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            "api_token.revoke", user_id=user_id, object_type="api_token", object_id=token.id, ip=ip
        )
        db.session.commit()
    return token


def revoke_all(user_id: int, *, reason: str, actor_id: int | None = None) -> int:
    """Revoke every working token of a user in the caller's transaction; return how many.

    `reason` (password_reset, password_change, password_set, deactivated) goes to the audit log.
    """
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    count = result.rowcount or 0
    if count:
        audit.record(
            "api_token.revoke_all",
            user_id=actor_id,
            object_type="user",
            object_id=user_id,
            reason=reason,
            count=count,
        )
    return count


def authenticate(secret: str) -> User | None:
    """Return the active user of a valid token (unexpired, unrevoked; its use noted), else None."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    now = utcnow()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    if not token.user.active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now  # at most one write a minute per token
        db.session.commit()
    return token.user
