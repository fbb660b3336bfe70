"""Record actions in the audit log: ids and field names, never copies of personal data."""

from __future__ import annotations

from typing import Any

from survey.extensions import db
from survey.models import AuditEvent


def record(
    action: str,
    *,
    user_id: int | None,
    object_type: str | None = None,
    object_id: int | str | None = None,
    ip: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the current transaction (the calling service commits)."""
    event = AuditEvent(
        action=action,
        user_id=user_id,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        ip=ip,
        details=details,
    )
    db.session.add(event)
    return event
