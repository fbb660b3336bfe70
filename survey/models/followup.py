"""Follow-ups (uppföljningar): a company to contact, with an owner, a due date and a status."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.models.base import Base, intpk, timestamp
from survey.models.company import Company, ServiceArea, Visit
from survey.models.user import User

# ny, tilldelad, kontaktad, avslutad
FOLLOWUP_STATUSES = ("new", "assigned", "contacted", "closed")
# A company's contact request in a survey, a call or mail to the business unit, a visit.
FOLLOWUP_SOURCES = ("contact_request", "manual", "visit")


class FollowUp(Base):
    """Something the business unit owes a company: call it back, answer its question.

    A follow-up from a contact request holds only what the company wrote for it (topic,
    phone, e-mail), copied when the response was stored: its pages never read the response's
    answers, which stay as confidential as promised.
    """

    __tablename__ = "followups"
    __table_args__ = (
        CheckConstraint(f"status IN {FOLLOWUP_STATUSES!r}", name="status"),
        CheckConstraint(f"source IN {FOLLOWUP_SOURCES!r}", name="source"),
    )

    id: Mapped[intpk]
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    # The response whose contact request this is: at most one follow-up per response.
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("responses.id", ondelete="SET NULL"), unique=True
    )
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visits.id", ondelete="SET NULL"), index=True
    )
    service_area_id: Mapped[int | None] = mapped_column(ForeignKey("service_areas.id"), index=True)
    topic: Mapped[str] = mapped_column(Text, default="")
    contact_phone: Mapped[str | None] = mapped_column(String(100))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="new", index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[timestamp]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime | None]
    # The first time an official marked the company contacted (kept when closed).
    contacted_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closing_note: Mapped[str] = mapped_column(Text, default="")
    # Set in the one statement that queues the owner's overdue mail: it goes out once.
    overdue_notified_at: Mapped[datetime | None]

    company: Mapped[Company] = relationship()
    visit: Mapped[Visit | None] = relationship()
    service_area: Mapped[ServiceArea | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
