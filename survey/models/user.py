"""Officials' accounts and their login history."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.models.base import Base, intpk, timestamp

ROLES = ("admin", "official", "analyst")


def new_session_nonce() -> str:
    """Return a fresh random value that ties login cookies to the account's current sessions."""
    return secrets.token_hex(16)


class User(Base):
    """An official (handläggare), analyst or administrator who logs in."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role"),)

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_session_nonce)
    created_at: Mapped[timestamp]
    last_login_at: Mapped[datetime | None]

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """Return the login cookie's identity: id plus nonce, so rotating the nonce logs out."""
        return f"{self.id}:{self.session_nonce}"

    def can(self, permission: str) -> bool:
        """Tell whether this user's role grants `permission` (read, edit, admin)."""
        granted = {
            "analyst": {"read"},
            "official": {"read", "edit"},
            "admin": {"read", "edit", "admin"},
        }
        return permission in granted.get(self.role, set())


class LoginAttempt(Base):
    """One login attempt, kept to throttle guessing per account and per address."""

    __tablename__ = "login_attempts"

    id: Mapped[intpk]
    at: Mapped[timestamp] = mapped_column(index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    success: Mapped[bool] = mapped_column(Boolean)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PasswordResetToken(Base):
    """A single-use password-reset link; only the SHA-256 hash of its token is stored.

    The token is derived from `token_nonce` under a key from SECRET_KEY (as survey links
    are), so the mail's link is put in only when the mail is delivered.
    """

    __tablename__ = "password_reset_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_nonce: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[timestamp]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
