"""Reporting periods (year, quarter, month) of UTC timestamps, in the configured time zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

PERIODS = ("year", "quarter", "month")


def local_offsets(instants: np.ndarray, zone: ZoneInfo) -> np.ndarray:
    """Return the UTC offset of ``zone`` at each ``datetime64[s]`` UTC instant, in seconds.

    Offsets are looked up once per distinct minute, so a large array costs only a handful of
    zoneinfo calls (transitions happen on whole minutes in every zone).
    """
    minutes = instants.astype("datetime64[m]")
    distinct, inverse = np.unique(minutes, return_inverse=True)
    offsets = np.empty(distinct.size, dtype=np.int64)
    for i, minute in enumerate(distinct.astype("datetime64[s]").astype(np.int64)):
        moment = datetime.fromtimestamp(int(minute), UTC)
        offsets[i] = int(moment.astimezone(zone).utcoffset().total_seconds())
    return offsets[inverse.reshape(-1)]


def to_instants(timestamps: Sequence[datetime]) -> np.ndarray:
    """Convert aware datetimes to a ``datetime64[s]`` array of UTC instants."""
    seconds = np.fromiter(
        (int(moment.timestamp()) for moment in timestamps), dtype=np.int64, count=len(timestamps)
    )
    return seconds.astype("datetime64[s]")


def period_labels(instants: np.ndarray, by: str, zone: ZoneInfo) -> np.ndarray:
    """Label each UTC instant with its local period: ``2024``, ``2024Q1`` or ``2024-01``.

    An answer at 23:30 UTC on 31 December is already 1 January in Stockholm, so it belongs
    to the next year.
    """
    return month_labels(local_months(instants, zone), by)


def local_months(instants: np.ndarray, zone: ZoneInfo) -> np.ndarray:
    """Return the local month (``datetime64[M]``) of each ``datetime64[s]`` UTC instant."""
    if instants.size == 0:
        return np.array([], dtype="datetime64[M]")
    local = instants + local_offsets(instants, zone).astype("timedelta64[s]")
    return local.astype("datetime64[M]")


def month_labels(months: np.ndarray, by: str) -> np.ndarray:
    """Label each ``datetime64[M]`` month with its period: ``2024``, ``2024Q1`` or ``2024-01``."""
    if by not in PERIODS:
        raise ValueError(f"by must be one of {PERIODS}, got {by!r}")
    if months.size == 0:
        return np.array([], dtype=object)
    distinct, inverse = np.unique(months, return_inverse=True)
    labels = np.array([_label(month, by) for month in distinct], dtype=object)
    return labels[inverse.reshape(-1)]


def _label(month: np.datetime64, by: str) -> str:
    year, number = divmod(int(month.astype(np.int64)), 12)
    year += 1970
    if by == "year":
        return str(year)
    if by == "quarter":
        return f"{year}Q{number // 3 + 1}"
    return f"{year}-{number + 1:02d}"


def day_start_utc(day: date, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of local midnight at the start of ``day``."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def day_end_utc(day: date, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of local midnight after ``day`` (an exclusive upper bound)."""
    return day_start_utc(day + timedelta(days=1), zone)
