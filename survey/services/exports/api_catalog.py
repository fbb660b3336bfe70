"""What the JSON API tells about batteries: their keys, titles, versions and questions."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey.extensions import db
from survey.models import Battery, BatteryVersion
from survey.services.batteries import batteries
from survey.services.errors import NotFound


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def list_batteries() -> list[dict[str, Any]]:
    """Return every battery with a published version: key, latest title and its versions."""
    rows = db.session.scalars(
        select(Battery).options(selectinload(Battery.versions)).order_by(Battery.key)
    ).all()
    result = []
    for battery in rows:
        published = [v for v in battery.versions if v.is_published]
        if not published:
            continue
        latest = published[-1]
        result.append(
            {
                "key": battery.key,
                "title": {"sv": latest.title_sv, "en": latest.title_en},
                "archived": battery.archived_at is not None,
                "versions": [
                    {"number": v.number, "published_at": _iso(v.published_at)} for v in published
                ],
            }
        )
    return result


def battery_detail(key: str, number: int | None = None) -> dict[str, Any]:
    """Return a published version's definition: sections, questions, options, index roles."""
    version: BatteryVersion = batteries.get_version(key, number)
    if not version.is_published:
        raise NotFound(_("Battery %(key)s has no such version.", key=key))
    definition = dataclasses.asdict(batteries.definition_of(version))
    return {
        "key": key,
        "version": version.number,
        "status": version.status,
        "published_at": _iso(version.published_at),
        "title": definition["title"],
        "introduction": definition["introduction"],
        "sections": definition["sections"],
    }
