"""Rollups of the sufficient statistics of respondent-level indices, for flat dashboards.

One row of ``index_rollups`` sums the responses of one battery that share a period (a local
day, grain ``D``, or a local month, grain ``M``) and the values of the dimensions grouped by
its ``cuboid`` (a bit set over survey, service area, SNI section, size class and collection
mode; a dimension not grouped holds the placeholder 0 or ''). For each of up to ``SLOTS``
indices of the battery (slot order in ``rollup_layouts.items``) it holds ``n``, ``Σx`` and
``Σx²``, and over the respondents with every index (listwise complete) ``n``, ``Σz`` and the
cross-products ``Σz_i·z_j``: what the estimates, changes and the priority matrix need
(DESIGN.md, Statistics conventions). survey.services.statistics.rollups keeps it in step
with responses.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from survey.models.base import Base, timestamp

#: Indices a rollup row holds: NKI and up to six service factors (the shipped battery's).
SLOTS = 7
GRAINS = ("D", "M")
KEY_COLUMNS = (
    "battery_id",
    "grain",
    "cuboid",
    "period",
    "survey_id",
    "service_area_id",
    "sni_section",
    "size_class",
    "collection_mode",
)
PAIRS = tuple((i, j) for i in range(SLOTS) for j in range(i, SLOTS))
COUNT_COLUMNS = ("responses", *(f"n{i}" for i in range(SLOTS)), "nc")
SUM_COLUMNS = (
    *(f"s{i}" for i in range(SLOTS)),  # Σx over respondents with index i
    *(f"q{i}" for i in range(SLOTS)),  # Σx² over the same
    *(f"c{i}" for i in range(SLOTS)),  # Σz_i over respondents with every index
    *(f"p{i}{j}" for i, j in PAIRS),  # Σz_i·z_j over the same
)
VALUE_COLUMNS = (*COUNT_COLUMNS, *SUM_COLUMNS)

index_rollups = Table(
    "index_rollups",
    Base.metadata,
    Column("battery_id", ForeignKey("batteries.id", ondelete="CASCADE"), primary_key=True),
    Column("grain", String(1), primary_key=True),
    Column("cuboid", SmallInteger, primary_key=True),
    Column("period", Date, primary_key=True),
    Column("survey_id", Integer, primary_key=True),
    Column("service_area_id", Integer, primary_key=True),
    Column("sni_section", String(1), primary_key=True),
    Column("size_class", String(10), primary_key=True),
    Column("collection_mode", String(10), primary_key=True),
    *(Column(name, Integer, nullable=False, default=0) for name in COUNT_COLUMNS),
    *(Column(name, Float, nullable=False, default=0.0) for name in SUM_COLUMNS),
    CheckConstraint(f"grain IN {GRAINS!r}", name="grain"),
)


class RollupLayout(Base):
    """Which index items a battery's rollups were computed with, in slot order.

    ``items`` is JSON ``[[key, role, weight], ...]`` as the statistics list them; the slots
    are the distinct roles in that order. A battery without a layout (or whose published
    index items no longer match it) is served from raw answers until rebuilt.
    """

    __tablename__ = "rollup_layouts"

    battery_id: Mapped[int] = mapped_column(
        ForeignKey("batteries.id", ondelete="CASCADE"), primary_key=True
    )
    items: Mapped[str] = mapped_column(Text)
    built_at: Mapped[timestamp]
