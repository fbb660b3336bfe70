"""Delete submitted responses (e.g. a company's answers on request), rollups included."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select

from survey.extensions import db
from survey.models import Answer, BatteryVersion, Response
from survey.services import audit, rollups

CHUNK = 900  # ids per IN (...) list, below SQLite's parameter limit


def delete_responses(ids: Sequence[int], *, actor_id: int | None) -> int:
    """Delete the responses and their answers, first taking them out of the rollups; commit.

    Returns how many responses were deleted (unknown ids are ignored).
    """
    wanted = sorted(set(ids))
    by_battery: dict[int, list[int]] = {}
    for start in range(0, len(wanted), CHUNK):
        for response_id, battery_id in db.session.execute(
            select(Response.id, BatteryVersion.battery_id)
            .join(BatteryVersion, Response.battery_version_id == BatteryVersion.id)
            .where(Response.id.in_(wanted[start : start + CHUNK]))
        ):
            by_battery.setdefault(battery_id, []).append(response_id)
    found = sorted(i for chunk in by_battery.values() for i in chunk)
    for battery_id, chosen in sorted(by_battery.items()):
        rollups.remove_responses(battery_id, chosen)
    for start in range(0, len(found), CHUNK):
        chunk = found[start : start + CHUNK]
        db.session.execute(delete(Answer).where(Answer.response_id.in_(chunk)))
        db.session.execute(delete(Response).where(Response.id.in_(chunk)))
    audit.record("responses.delete", user_id=actor_id, object_type="response", count=len(found))
    db.session.commit()
    return len(found)
