"""The database-side guard of the freezing invariant: a published version never changes.

Services check first and give friendly messages; this listener makes sure that no code
path (a route, a service, a CLI command, a shell session) can flush a change to a
published battery version, its sections, questions or options.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from survey.models.battery import BatteryVersion, Question, QuestionOption, Section


class FrozenVersionError(RuntimeError):
    """An attempt to change a published battery version."""


def _owning_version(obj: Any) -> BatteryVersion | None:
    if isinstance(obj, BatteryVersion):
        return obj
    if isinstance(obj, Section):
        return obj.version
    if isinstance(obj, Question):
        return obj.version if obj.version is not None else obj.section.version
    if isinstance(obj, QuestionOption):
        question = obj.question
        return question.version if question is not None else None
    return None


def _was_published(version: BatteryVersion) -> bool:
    state = inspect(version)
    if state.pending or state.transient:
        return False
    history = state.attrs.status.history
    if history.deleted:
        return history.deleted[0] == "published"
    return version.status == "published"


def _content_changed(version: BatteryVersion) -> bool:
    state = inspect(version)
    return any(
        attr.history.has_changes()
        for attr in state.attrs
        if attr.key not in ("sections", "battery", "questions")
    )


@event.listens_for(Session, "before_flush")
def refuse_changes_to_published_versions(session: Session, _ctx: Any, _inst: Any) -> None:
    """Raise when a flush would change, add to or delete from a published version."""
    for obj in list(session.dirty) + list(session.deleted) + list(session.new):
        if not isinstance(obj, BatteryVersion | Section | Question | QuestionOption):
            continue
        version = _owning_version(obj)
        if version is None or not _was_published(version):
            continue
        if obj is version and obj not in session.deleted and not _content_changed(version):
            continue
        if obj in session.dirty and obj is not version and not session.is_modified(obj):
            continue
        raise FrozenVersionError(f"battery version {version.id} is published and cannot be changed")
