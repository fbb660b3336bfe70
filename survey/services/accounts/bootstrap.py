"""First-run setup: the initial administrator account."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from survey.extensions import db
from survey.models import User
from survey.services.accounts import accounts


@dataclass(frozen=True)
class CreatedAdmin:
    """The login of a newly created administrator, to be shown once."""

    email: str
    password: str


def ensure_admin(email: str) -> CreatedAdmin | None:
    """Create an administrator with a random password unless one exists."""
    if db.session.scalar(select(User.id).where(User.role == "admin").limit(1)) is not None:
        return None
    password = secrets.token_urlsafe(12)
    accounts.create_user(email, "Administratör", "admin", password, actor_id=None)
    return CreatedAdmin(email=accounts.normalize_email(email), password=password)
