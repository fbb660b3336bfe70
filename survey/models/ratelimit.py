"""Rate-limit counters, kept in the database so every worker and server shares them."""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.models.base import Base


class RateLimitCounter(Base):
    """A fixed-window counter: hits under `key` until `expires_at` (seconds since the epoch)."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int]
    expires_at: Mapped[float] = mapped_column(Float, index=True)
