"""Surveys (utskick) of a published battery version and their personal invitations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.models.base import Base, intpk, timestamp
from survey.models.battery import BatteryVersion
from survey.models.company import Company, ServiceArea, Visit


class Survey(Base):
    """One sending of a published battery version to a set of companies."""

    __tablename__ = "surveys"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    battery_version_id: Mapped[int] = mapped_column(ForeignKey("battery_versions.id"), index=True)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    reminder_days: Mapped[list[int]] = mapped_column(JSON, default=list)
    sender_name: Mapped[str] = mapped_column(String(200))
    reply_to: Mapped[str | None] = mapped_column(String(254))
    invitation_subject_sv: Mapped[str] = mapped_column(String(300))
    invitation_subject_en: Mapped[str | None] = mapped_column(String(300))
    invitation_body_sv: Mapped[str] = mapped_column(Text)
    invitation_body_en: Mapped[str | None] = mapped_column(Text)
    reminder_subject_sv: Mapped[str | None] = mapped_column(String(300))
    reminder_subject_en: Mapped[str | None] = mapped_column(String(300))
    reminder_body_sv: Mapped[str | None] = mapped_column(Text)
    reminder_body_en: Mapped[str | None] = mapped_column(Text)
    is_visit_followup: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    service_area_id: Mapped[int | None] = mapped_column(ForeignKey("service_areas.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[timestamp]

    battery_version: Mapped[BatteryVersion] = relationship()
    service_area: Mapped[ServiceArea | None] = relationship()
    invitations: Mapped[list[Invitation]] = relationship(back_populates="survey")


class Invitation(Base):
    """A company's personal invitation to a survey; the token is stored only as its hash."""

    __tablename__ = "invitations"
    # A visit follow-up survey invites once per visit (NULL visit ids do not collide).
    __table_args__ = (UniqueConstraint("survey_id", "visit_id"),)

    id: Mapped[intpk]
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # 128 random bits; the token is an HMAC of it under a key derived from SECRET_KEY, so a
    # reminder can repeat the same link while the database alone never reveals a token.
    token_nonce: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2), default="sv")
    created_at: Mapped[timestamp]
    expires_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    opted_out_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None]
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    draft_page: Mapped[int] = mapped_column(default=0)

    survey: Mapped[Survey] = relationship(back_populates="invitations")
    company: Mapped[Company] = relationship()
    visit: Mapped[Visit | None] = relationship()
