"""Measures of the loop: how the business unit answers the companies that ask to be contacted.

For the follow-ups that came in between two local dates (inclusive; open-ended when None):

- contact requests per period (year, quarter or month of when they came in, local time);
- the median number of days (calendar days, fractional) from coming in to the first contact,
  over the follow-ups marked contacted;
- the share closed on or before the due date, of those whose outcome is known: closed ones,
  and open ones already past their due date (they can no longer be on time).

Counts of follow-ups, no answers: nothing here says what a company rated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import select

from survey.extensions import db
from survey.models import FollowUp
from survey.services.statistics.periods import (
    day_end_utc,
    day_start_utc,
    period_labels,
    to_instants,
)
from survey.services.surveys.invitations import local_today, local_zone

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class LoopMeasures:
    """The three measures of the loop for one range of dates."""

    requests: list[tuple[str, int]]
    contacted: int
    median_days_to_contact: float | None
    on_time: int
    decided: int

    @property
    def on_time_share(self) -> float | None:
        """Return the share (0-100) closed by the due date, None when none is decided yet."""
        return None if self.decided == 0 else 100.0 * self.on_time / self.decided


def _rows(date_from: date | None, date_to: date | None, zone: ZoneInfo) -> list[tuple]:
    query = select(
        FollowUp.source,
        FollowUp.created_at,
        FollowUp.contacted_at,
        FollowUp.closed_at,
        FollowUp.due_on,
    )
    if date_from is not None:
        query = query.where(FollowUp.created_at >= day_start_utc(date_from, zone))
    if date_to is not None:
        query = query.where(FollowUp.created_at < day_end_utc(date_to, zone))
    return [tuple(row) for row in db.session.execute(query)]


def _local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def loop_measures(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    by: str = "quarter",
    today: date | None = None,
) -> LoopMeasures:
    """Return the measures of the loop for follow-ups that came in from `date_from` to
    `date_to`, with contact requests counted per `by` (year, quarter, month)."""
    zone, today = local_zone(), today or local_today()
    rows = _rows(date_from, date_to, zone)
    requested = [created for source, created, *_rest in rows if source == "contact_request"]
    labels = period_labels(to_instants(requested), by, zone)
    periods, counts = np.unique(labels.astype(str), return_counts=True)
    waits = [
        (contacted - created).total_seconds() / SECONDS_PER_DAY
        for _source, created, contacted, _closed, _due in rows
        if contacted is not None
    ]
    on_time = decided = 0
    for _source, _created, _contacted, closed, due in rows:
        if closed is not None:
            decided += 1
            on_time += _local_date(closed, zone) <= due
        elif due < today:
            decided += 1
    return LoopMeasures(
        requests=[(str(p), int(n)) for p, n in zip(periods, counts, strict=True)],
        contacted=len(waits),
        median_days_to_contact=float(np.median(waits)) if waits else None,
        on_time=on_time,
        decided=decided,
    )
