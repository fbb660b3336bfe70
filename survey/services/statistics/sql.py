"""The data-fetching layer of the statistics: SQL that returns plain numpy arrays.

Kept apart from the maths (survey.stats) and from the report assembly (statistics.py), so a
future rollup table of sufficient statistics can replace these raw fetches.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, literal_column, select

from survey.extensions import db
from survey.models import (
    Answer,
    Battery,
    BatteryVersion,
    Question,
    Response,
    ServiceArea,
    visit_officials,
)
from survey.services.errors import DomainError, NotFound
from survey.services.statistics.filters import Filters
from survey.services.statistics.periods import day_end_utc, day_start_utc, to_instants

SPLITS = ("area", "industry", "size")


@dataclass(frozen=True)
class IndexItem:
    """An index question of a battery, by its stable key (weight from its latest version).

    The weight here only describes the battery; a respondent's index uses the weights of the
    version the response answered (``ItemRows.weight``).
    """

    key: str
    role: str
    weight: float


@dataclass(frozen=True)
class ItemRows:
    """Answered index items in long format: one entry per (response, question)."""

    response_id: np.ndarray  # int64
    submitted_at: np.ndarray  # datetime64[s], UTC
    split: np.ndarray  # object: the split value or None
    role: np.ndarray  # object: "nki" or a factor key
    key: np.ndarray  # object: question key
    value: np.ndarray  # float64: the answer, NaN for "vet ej" or no number
    scale_min: np.ndarray  # float64
    scale_max: np.ndarray  # float64
    weight: np.ndarray  # float64: the answered version's weight of the question


def zone() -> ZoneInfo:
    """Return the configured time zone (SURVEY_TIMEZONE)."""
    return ZoneInfo(current_app.config["SURVEY_TIMEZONE"])


def battery_id(key: str) -> int:
    """Return the id of the battery with this key, or raise NotFound naming the field."""
    found = db.session.scalar(select(Battery.id).where(Battery.key == key))
    if found is None:
        raise NotFound(_("There is no question battery %(key)s.", key=key), field="battery")
    return found


def index_items(battery_key: str) -> list[IndexItem]:
    """List the battery's scale questions that feed an index, in questionnaire order."""
    rows = db.session.execute(
        select(Question.key, Question.index_role, Question.weight, BatteryVersion.number)
        .join(BatteryVersion, Question.version_id == BatteryVersion.id)
        .where(
            BatteryVersion.battery_id == battery_id(battery_key),
            BatteryVersion.status == "published",
            Question.index_role.is_not(None),
            Question.type == "scale",
        )
        .order_by(BatteryVersion.number.desc(), Question.section_id, Question.position)
    ).all()
    latest: dict[str, IndexItem] = {}
    for key, role, weight, _number in rows:
        latest.setdefault(key, IndexItem(key, role, float(weight)))
    return list(latest.values())


def area_id(key: str) -> int:
    """Return the id of the service area with this key; DomainError on the area field if none."""
    area = db.session.scalar(select(ServiceArea.id).where(ServiceArea.key == key))
    if area is None:
        raise DomainError(_("There is no service area %(key)s.", key=key), field="area")
    return area


def officials_visits(official_id: int) -> Select:
    """Return a subquery of the ids of the visits an official took part in."""
    return select(visit_officials.c.visit_id).where(visit_officials.c.user_id == official_id)


def conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """Return WHERE clauses on Response for every filter that is set."""
    versions = select(BatteryVersion.id).where(
        BatteryVersion.battery_id == battery_id(filters.battery)
    )
    clauses: list[ColumnElement[bool]] = [Response.battery_version_id.in_(versions)]
    if filters.survey_id is not None:
        clauses.append(Response.survey_id == filters.survey_id)
    if filters.area is not None:
        clauses.append(Response.service_area_id == area_id(filters.area))
    if filters.industry is not None:
        clauses.append(Response.sni_section == filters.industry)
    if filters.size is not None:
        clauses.append(Response.size_class == filters.size)
    if filters.official_id is not None:
        clauses.append(Response.visit_id.in_(officials_visits(filters.official_id)))
    if filters.mode is not None:
        clauses.append(Response.collection_mode == filters.mode)
    if filters.date_from is not None:
        clauses.append(Response.submitted_at >= day_start_utc(filters.date_from, zone()))
    if filters.date_to is not None:
        clauses.append(Response.submitted_at < day_end_utc(filters.date_to, zone()))
    return clauses


def split_column(split: str | None) -> ColumnElement:
    """Return the column expression a split groups by (NULL without a split)."""
    if split is None:
        return literal_column("NULL").label("split")
    if split == "area":
        return ServiceArea.key.label("split")
    if split == "industry":
        return Response.sni_section.label("split")
    if split == "size":
        return Response.size_class.label("split")
    raise DomainError(_("Split by one of %(names)s.", names=", ".join(SPLITS)), field="split")


def item_rows(filters: Filters, roles: list[str], *, split: str | None = None) -> ItemRows:
    """Fetch every answer to the given indices' scale questions, in one query."""
    query = (
        select(
            Response.id,
            Response.submitted_at,
            split_column(split),
            Question.index_role,
            Question.key,
            Answer.value_number,
            Answer.dont_know,
            Question.scale_min,
            Question.scale_max,
            Question.weight,
        )
        .select_from(Answer)
        .join(Response, Answer.response_id == Response.id)
        .join(Question, Answer.question_id == Question.id)
    )
    if split == "area":
        query = query.outerjoin(ServiceArea, Response.service_area_id == ServiceArea.id)
    query = query.where(
        Question.index_role.in_(roles), Question.type == "scale", *conditions(filters)
    )
    # Core execution: plain rows, without the ORM result machinery (several times faster).
    return _columns(db.session.connection().execute(query).all())


def _columns(rows: list) -> ItemRows:
    """Turn result rows into column arrays ("vet ej" becomes NaN)."""
    ids, stamps, splits, roles, keys, numbers, dont_know, lows, highs, weights = (
        zip(*rows, strict=True) if rows else ((),) * 10
    )
    value = np.array([np.nan if v is None else v for v in numbers], dtype=float)
    value[np.array(dont_know, dtype=bool)] = np.nan
    return ItemRows(
        response_id=np.array(ids, dtype=np.int64),
        submitted_at=to_instants(stamps),
        split=np.array(splits, dtype=object),
        role=np.array(roles, dtype=object),
        key=np.array(keys, dtype=object),
        value=value,
        scale_min=np.array(lows, dtype=float),
        scale_max=np.array(highs, dtype=float),
        weight=np.array(weights, dtype=float),
    )
