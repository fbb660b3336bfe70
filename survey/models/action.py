"""Action plans (åtgärder): an improvement effort aimed at one index of a battery."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.models.base import Base, intpk, timestamp, utcnow
from survey.models.battery import Battery
from survey.models.company import ServiceArea
from survey.models.user import User

#: planerad, pågår, avslutad
ACTION_STATUSES = ("planned", "ongoing", "finished")


class Action(Base):
    """An åtgärd: what the unit does to move a factor's index, by whom and when.

    ``factor`` is an index role of the battery (``bemotande``, ``nki``, ...); the optional
    service area narrows the index the action is measured against.
    """

    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates"),
        CheckConstraint(f"status IN {ACTION_STATUSES!r}", name="status"),
    )

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    battery_id: Mapped[int] = mapped_column(ForeignKey("batteries.id"), index=True)
    factor: Mapped[str] = mapped_column(String(40))
    service_area_id: Mapped[int | None] = mapped_column(ForeignKey("service_areas.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    battery: Mapped[Battery] = relationship()
    service_area: Mapped[ServiceArea | None] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
