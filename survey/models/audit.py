"""The audit log: who did what and when, with ids and field names, not personal data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.models.base import Base, intpk, timestamp


class AuditEvent(Base):
    """One recorded action (login, export, publish, role change, deletion, ...)."""

    __tablename__ = "audit_events"

    id: Mapped[intpk]
    at: Mapped[timestamp] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))
