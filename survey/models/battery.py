"""Question batteries (frågebatterier) and their frozen versions, sections and questions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.models.base import Base, intpk, timestamp
from survey.questionnaires.model import QUESTION_TYPES

# A question's role in its battery's contact request (questionnaires/README.md, `contact`).
CONTACT_ROLES = ("request", "about", "phone", "email")
VERSION_STATUSES = ("draft", "published")


class Battery(Base):
    """A reusable question battery; its content lives in numbered versions."""

    __tablename__ = "batteries"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[timestamp]
    archived_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    versions: Mapped[list[BatteryVersion]] = relationship(
        back_populates="battery", order_by="BatteryVersion.number"
    )


class BatteryVersion(Base):
    """One version of a battery: a draft that can change, or a published, frozen one."""

    __tablename__ = "battery_versions"
    __table_args__ = (
        UniqueConstraint("battery_id", "number"),
        CheckConstraint(f"status IN {VERSION_STATUSES!r}", name="status"),
    )

    id: Mapped[intpk]
    battery_id: Mapped[int] = mapped_column(ForeignKey("batteries.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="draft")
    title_sv: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    intro_sv: Mapped[str | None] = mapped_column(Text)
    intro_en: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[timestamp]
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    battery: Mapped[Battery] = relationship(back_populates="versions")
    sections: Mapped[list[Section]] = relationship(
        back_populates="version", order_by="Section.position", cascade="all, delete-orphan"
    )

    @property
    def is_published(self) -> bool:
        return self.status == "published"


class Section(Base):
    """A page of questions in a battery version."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[intpk]
    version_id: Mapped[int] = mapped_column(
        ForeignKey("battery_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(64))
    title_sv: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    description_sv: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)

    version: Mapped[BatteryVersion] = relationship(back_populates="sections")
    questions: Mapped[list[Question]] = relationship(
        back_populates="section", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(Base):
    """A question with a key that stays stable across versions so trends join on it."""

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("version_id", "key"),
        CheckConstraint(f"type IN {QUESTION_TYPES!r}", name="type"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint(
            f"contact_role IS NULL OR contact_role IN {CONTACT_ROLES!r}", name="contact_role"
        ),
    )

    id: Mapped[intpk]
    version_id: Mapped[int] = mapped_column(
        ForeignKey("battery_versions.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(64), index=True)
    type: Mapped[str] = mapped_column(String(20))
    text_sv: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)
    help_sv: Mapped[str | None] = mapped_column(Text)
    help_en: Mapped[str | None] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    scale_min: Mapped[int | None]
    scale_max: Mapped[int | None]
    min_label_sv: Mapped[str | None] = mapped_column(String(200))
    min_label_en: Mapped[str | None] = mapped_column(String(200))
    max_label_sv: Mapped[str | None] = mapped_column(String(200))
    max_label_en: Mapped[str | None] = mapped_column(String(200))
    dont_know: Mapped[bool] = mapped_column(Boolean, default=False)
    number_min: Mapped[float | None] = mapped_column(Float)
    number_max: Mapped[float | None] = mapped_column(Float)
    number_integer: Mapped[bool] = mapped_column(Boolean, default=False)
    max_length: Mapped[int | None]
    show_if_question: Mapped[str | None] = mapped_column(String(64))
    show_if_values: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    index_role: Mapped[str | None] = mapped_column(String(64), index=True)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    # A single-choice question whose chosen option key names the response's service area.
    service_area: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Its role in the contact request: "request" (the yes/no asking whether the company wants
    # to be contacted), "about", "phone" or "email" (what goes with it to the follow-up).
    contact_role: Mapped[str | None] = mapped_column(String(10))
    # Consecutive scale questions of a section with one matrix key are shown as one table.
    matrix_key: Mapped[str | None] = mapped_column(String(64))
    matrix_text_sv: Mapped[str | None] = mapped_column(Text)
    matrix_text_en: Mapped[str | None] = mapped_column(Text)
    matrix_help_sv: Mapped[str | None] = mapped_column(Text)
    matrix_help_en: Mapped[str | None] = mapped_column(Text)

    section: Mapped[Section] = relationship(back_populates="questions")
    version: Mapped[BatteryVersion] = relationship()
    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question", order_by="QuestionOption.position", cascade="all, delete-orphan"
    )


class QuestionOption(Base):
    """An answer option of a single- or multiple-choice question."""

    __tablename__ = "question_options"
    __table_args__ = (UniqueConstraint("question_id", "key"),)

    id: Mapped[intpk]
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(64))
    label_sv: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str | None] = mapped_column(String(300))
    # Chosen alone in a multiple-choice answer ("Inget just nu").
    exclusive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    question: Mapped[Question] = relationship(back_populates="options")
