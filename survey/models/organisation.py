"""The organisation that runs the platform and sends the surveys (one row)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.models.base import Base, intpk, timestamp

#: The logo formats accepted (by content, never by file name); SVG is not among them.
LOGO_TYPES = ("image/png", "image/jpeg")


class Organisation(Base):
    """Who the sender is: the municipality, its unit, logo and contact (row id 1 only).

    Shown on the respondent pages, in mails and in reports, so that a company can tell that
    its municipality asks. Without a row the settings SURVEY_CONTACT_NAME and
    SURVEY_CONTACT_EMAIL speak for it (`survey.services.organisation.organisation`).
    """

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint(f"logo_type IS NULL OR logo_type IN {LOGO_TYPES!r}", name="logo_type"),
        CheckConstraint(
            "(logo IS NULL) = (logo_type IS NULL) AND (logo IS NULL) = (logo_digest IS NULL)",
            name="logo_complete",
        ),
    )

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(20))
    logo_digest: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[timestamp]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    logo_updated_at: Mapped[datetime | None]
