"""What an anonymous survey stores instead of times and order that would link an answer.

A response to an anonymous survey keeps no invitation, company, visit, industry, size or
language (`answers.prepare_response`). Beyond that nothing may tie it to its invitation by
timing or order, so:

- the response carries no time of its own: its date is the survey's (the day it opened,
  kept for all its anonymous responses even if that day is edited later), so neither the
  invitations' dates nor the reminders sent to those who had not answered yet point to it;
- its id is drawn at random from the negative numbers (ordinary ids count up from 1), so
  ids do not tell the order responses came in; answers have no id of their own;
- its invitation keeps only the dates it was opened, started and submitted, no times
  (`respond`), and no draft once submitted.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Response
from survey.services.surveys.invitations import local_today

#: Anonymous ids are drawn from -LARGEST .. -1, a space that fits a 32-bit integer column.
LARGEST = 2**31 - 1


def random_response_id() -> int:
    """Return a random negative response id (a clash is caught by the primary key)."""
    return -1 - secrets.randbelow(LARGEST)


def survey_moment(survey_id: int, opens_on: date) -> datetime:
    """Return the time every anonymous response of a survey carries: the survey's date.

    That is the date of its first anonymous response, else the day the survey opens
    (midnight UTC of that local date, as the coarse dates elsewhere).
    """
    first = db.session.scalar(
        select(func.min(Response.submitted_at)).where(
            Response.survey_id == survey_id, Response.collection_mode == "web"
        )
    )
    return first or datetime.combine(opens_on, time.min, tzinfo=UTC)


def today() -> datetime:
    """Return the time an anonymous survey's invitation is stamped with: the local date."""
    return datetime.combine(local_today(), time.min, tzinfo=UTC)
