"""Submitted responses and their answers, one row per answered question."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.models.base import Base, intpk, timestamp
from survey.models.battery import BatteryVersion, Question

COLLECTION_MODES = ("web", "interview", "import")
_INTERVIEW = text("collection_mode = 'interview'")


class Response(Base):
    """A submitted answer set, pointing to the exact battery version that was answered.

    Context (area, industry, size) is copied at submission so statistics need no joins
    through companies that may change later.
    """

    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint(f"collection_mode IN {COLLECTION_MODES!r}", name="collection_mode"),
        # One interview response per visit and battery version: saving again updates it.
        Index(
            "uq_responses_interview",
            "visit_id",
            "battery_version_id",
            unique=True,
            postgresql_where=_INTERVIEW,
            sqlite_where=_INTERVIEW,
        ),
        # Anonymous responses take random negative ids (survey.services.respondents.anonymity); with
        # AUTOINCREMENT SQLite numbers the others from 1 even when only those exist.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[intpk]
    battery_version_id: Mapped[int] = mapped_column(ForeignKey("battery_versions.id"), index=True)
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id"), index=True)
    # One submitted response per invitation, enforced by the database (NULL for
    # interviews, imports and anonymous surveys).
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"), unique=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    collection_mode: Mapped[str] = mapped_column(String(10))
    # NULL for an anonymous survey: the language could single out its invitation.
    language: Mapped[str | None] = mapped_column(String(2))
    submitted_at: Mapped[datetime] = mapped_column(index=True)
    service_area_id: Mapped[int | None] = mapped_column(ForeignKey("service_areas.id"))
    sni_section: Mapped[str | None] = mapped_column(String(1))
    size_class: Mapped[str | None] = mapped_column(String(10))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[timestamp]

    battery_version: Mapped[BatteryVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class Answer(Base):
    """One question's answer: a number (scale, nps, number), text, or option key(s).

    Keyed by response and question, with no id of its own: a running number would tell the
    order answers were stored in, and so which anonymous response came when. On SQLite the
    table has no rowid either, for the same reason.
    """

    __tablename__ = "answers"
    __table_args__ = ({"sqlite_with_rowid": False},)

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id"), primary_key=True, index=True
    )
    value_number: Mapped[float | None] = mapped_column(Float)
    # Option key (single choice, yes/no as "yes"/"no"), space-separated option keys
    # (multiple choice), ISO date, or free text.
    value_text: Mapped[str | None] = mapped_column(Text)
    dont_know: Mapped[bool] = mapped_column(Boolean, default=False)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
