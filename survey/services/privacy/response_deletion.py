"""Delete submitted responses (a company's answers on request, a test batch, an erroneous
import), rollups included; a selection can be counted first (a dry run)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, delete, select

from survey.extensions import db
from survey.models import Answer, Battery, BatteryVersion, Response, Survey
from survey.models.response import COLLECTION_MODES
from survey.services import audit
from survey.services.errors import DomainError, NotFound
from survey.services.statistics import rollups
from survey.services.statistics.periods import day_end_utc, day_start_utc
from survey.services.statistics.sql import battery_id, zone

CHUNK = 900  # ids per IN (...) list, below SQLite's parameter limit


def delete_responses(ids: Sequence[int], *, actor_id: int | None, **details: Any) -> int:
    """Delete the responses and their answers, first taking them out of the rollups; commit.

    Returns how many responses were deleted (unknown ids are ignored). ``details`` go to the
    audit event beside the count: counts and criteria, never personal data.
    """
    wanted = sorted(set(ids))
    by_battery: dict[int, list[int]] = {}
    for start in range(0, len(wanted), CHUNK):
        for response_id, battery in db.session.execute(
            select(Response.id, BatteryVersion.battery_id)
            .join(BatteryVersion, Response.battery_version_id == BatteryVersion.id)
            .where(Response.id.in_(wanted[start : start + CHUNK]))
        ):
            by_battery.setdefault(battery, []).append(response_id)
    found = sorted(i for chunk in by_battery.values() for i in chunk)
    for battery, chosen in sorted(by_battery.items()):
        rollups.remove_responses(battery, chosen)
    for start in range(0, len(found), CHUNK):
        chunk = found[start : start + CHUNK]
        db.session.execute(delete(Answer).where(Answer.response_id.in_(chunk)))
        db.session.execute(delete(Response).where(Response.id.in_(chunk)))
    audit.record(
        "responses.delete", user_id=actor_id, object_type="response", count=len(found), **details
    )
    db.session.commit()
    return len(found)


@dataclass(frozen=True)
class Selection:
    """Which responses to delete: every criterion given must hold (dates are local and
    inclusive; ``created`` is when a response was stored, e.g. by an import)."""

    battery: str | None = None
    survey_id: int | None = None
    mode: str | None = None
    ids: tuple[int, ...] = ()
    submitted_from: date | None = None
    submitted_to: date | None = None
    created_from: date | None = None
    created_to: date | None = None

    def criteria(self) -> dict[str, Any]:
        """Return the criteria given, for the audit log (the number of ids, not the ids)."""
        given = {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in vars(self).items()
            if value not in (None, ()) and name != "ids"
        }
        return {**given, "ids": len(self.ids)} if self.ids else given


@dataclass(frozen=True)
class Tally:
    """How many responses a selection holds, per battery key and collection mode."""

    counts: dict[str, dict[str, int]]

    @property
    def total(self) -> int:
        """Return the number of responses in all batteries."""
        return sum(sum(modes.values()) for modes in self.counts.values())


def _conditions(selection: Selection) -> list[ColumnElement[bool]]:
    """Return WHERE clauses on Response for the selection; DomainError naming a bad field."""
    clauses: list[ColumnElement[bool]] = []
    if selection.battery is not None:
        versions = select(BatteryVersion.id).where(
            BatteryVersion.battery_id == battery_id(selection.battery)
        )
        clauses.append(Response.battery_version_id.in_(versions))
    if selection.survey_id is not None:
        if db.session.get(Survey, selection.survey_id) is None:
            raise NotFound(_("The survey does not exist."), field="survey")
        clauses.append(Response.survey_id == selection.survey_id)
    if selection.mode is not None:
        if selection.mode not in COLLECTION_MODES:
            raise DomainError(
                _("Choose one of %(names)s.", names=", ".join(COLLECTION_MODES)), field="mode"
            )
        clauses.append(Response.collection_mode == selection.mode)
    if selection.ids:
        clauses.append(Response.id.in_(sorted(set(selection.ids))))
    for column, first, last in (
        (Response.submitted_at, selection.submitted_from, selection.submitted_to),
        (Response.created_at, selection.created_from, selection.created_to),
    ):
        if first is not None:
            clauses.append(column >= day_start_utc(first, zone()))
        if last is not None:
            clauses.append(column < day_end_utc(last, zone()))
    if not clauses:
        raise DomainError(
            _("Choose the responses to delete: give at least one criterion."), field="selection"
        )
    return clauses


def _selected(selection: Selection) -> list[tuple[int, str, str]]:
    """Return (id, battery key, collection mode) of every selected response."""
    rows = db.session.execute(
        select(Response.id, Battery.key, Response.collection_mode)
        .join(BatteryVersion, Response.battery_version_id == BatteryVersion.id)
        .join(Battery, BatteryVersion.battery_id == Battery.id)
        .where(*_conditions(selection))
    ).all()
    return [(int(i), key, mode) for i, key, mode in rows]


def _tally(rows: list[tuple[int, str, str]]) -> Tally:
    counts: dict[str, dict[str, int]] = {}
    for _id, key, mode in sorted(rows, key=lambda row: (row[1], row[2])):
        modes = counts.setdefault(key, {})
        modes[mode] = modes.get(mode, 0) + 1
    return Tally(counts)


def tally(selection: Selection) -> Tally:
    """Count the selected responses per battery and collection mode; change nothing."""
    return _tally(_selected(selection))


def delete_selected(selection: Selection, *, actor_id: int | None) -> Tally:
    """Delete the selected responses with their answers, rollups kept right; audit and commit.

    The audit event holds the criteria and the counts per battery, never what was answered.
    """
    rows = _selected(selection)
    counted = _tally(rows)
    delete_responses(
        [row[0] for row in rows],
        actor_id=actor_id,
        selection=selection.criteria(),
        batteries={key: sum(modes.values()) for key, modes in counted.counts.items()},
    )
    return counted
