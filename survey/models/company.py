"""The register: companies, service areas and the officials' visits to companies."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.models.base import Base, intpk, timestamp
from survey.models.user import User

SIZE_CLASSES = ("0", "1-9", "10-49", "50-249", "250+")
# The languages survey mail can be written in; Swedish is the default.
LANGUAGES = ("sv", "en")


class ServiceArea(Base):
    """A myndighetsområde such as bygglov or livsmedelskontroll; the list is configurable."""

    __tablename__ = "service_areas"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name_sv: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Company(Base):
    """A company in the municipality, identified by its organisationsnummer."""

    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint(
            "size_class IS NULL OR size_class IN ('0', '1-9', '10-49', '50-249', '250+')",
            name="size_class",
        ),
        CheckConstraint("language IN ('sv', 'en')", name="language"),
    )

    id: Mapped[intpk]
    org_number: Mapped[str] = mapped_column(String(11), unique=True)  # NNNNNN-NNNN
    name: Mapped[str] = mapped_column(String(200), index=True)
    sni_code: Mapped[str | None] = mapped_column(String(5))  # digits only, e.g. 47111
    sni_section: Mapped[str | None] = mapped_column(String(1), index=True)  # A..U
    size_class: Mapped[str | None] = mapped_column(String(10))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language invitations are written in; a respondent's own choice then follows it.
    language: Mapped[str] = mapped_column(String(2), default="sv")
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]

    visits: Mapped[list[Visit]] = relationship(
        back_populates="company", order_by="Visit.visit_date.desc()"
    )


visit_officials = Table(
    "visit_officials",
    Base.metadata,
    Column("visit_id", ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class Visit(Base):
    """A företagsbesök: officials visiting a company on a date about a service area."""

    __tablename__ = "visits"

    id: Mapped[intpk]
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    visit_date: Mapped[date] = mapped_column(Date, index=True)
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_areas.id"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[timestamp]

    company: Mapped[Company] = relationship(back_populates="visits")
    service_area: Mapped[ServiceArea] = relationship()
    officials: Mapped[list[User]] = relationship(secondary=visit_officials, order_by=User.name)
