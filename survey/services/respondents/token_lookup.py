"""What the respondent pages know of a token link: one row read with Core, as plain objects.

Every respondent request starts by looking its token up. The pages need a few columns of the
invitation, its survey, the survey's battery version, the company and the visit, so they are
read in one statement into the snapshots below instead of four ORM instances with every
column (the survey alone carries its invitation and reminder texts). The attribute names are
the models' own, so templates read ``invitation.survey.closes_on`` either way. Writes go
through the respond service as Core statements on the invitation's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import accumulate
from typing import Any

from sqlalchemy import bindparam, select

from survey.models import BatteryVersion, Company, Invitation, Survey, Visit
from survey.services.batteries.mapping import VersionSnapshot


@dataclass(frozen=True, slots=True)
class SurveySnapshot:
    id: int
    anonymous: bool
    opens_on: date
    closes_on: date
    service_area_id: int | None
    battery_version: VersionSnapshot


@dataclass(frozen=True, slots=True)
class CompanySnapshot:
    id: int
    name: str
    opted_out: bool
    sni_section: str | None
    size_class: str | None


@dataclass(frozen=True, slots=True)
class VisitSnapshot:
    id: int
    service_area_id: int | None


@dataclass(slots=True)
class InvitationSnapshot:
    """An invitation as its respondent pages see it; the respond service keeps it current."""

    id: int
    language: str
    expires_at: datetime
    opened_at: datetime | None
    started_at: datetime | None
    submitted_at: datetime | None
    opted_out_at: datetime | None
    draft: dict[str, Any] | None
    draft_page: int
    survey: SurveySnapshot
    company: CompanySnapshot
    visit: VisitSnapshot | None


_I, _S, _V = Invitation.__table__, Survey.__table__, BatteryVersion.__table__
_C, _VISIT = Company.__table__, Visit.__table__
_INVITATION = ("id", "language", "expires_at", "opened_at", "started_at", "submitted_at",
               "opted_out_at", "draft", "draft_page")  # fmt: skip
_SURVEY = ("id", "anonymous", "opens_on", "closes_on", "service_area_id")
_VERSION = ("id", "battery_id", "status", "content_hash", "title_sv", "title_en", "intro_sv",
            "intro_en")  # fmt: skip
_COMPANY = ("id", "name", "opted_out", "sni_section", "size_class")
_VISIT_COLUMNS = ("id", "service_area_id")
_PARTS = ((_I, _INVITATION), (_S, _SURVEY), (_V, _VERSION), (_C, _COMPANY),
          (_VISIT, _VISIT_COLUMNS))  # fmt: skip
LINK_QUERY = (
    select(*(table.c[name] for table, names in _PARTS for name in names))
    .select_from(
        _I.join(_S, _S.c.id == _I.c.survey_id)
        .join(_V, _V.c.id == _S.c.battery_version_id)
        .join(_C, _C.c.id == _I.c.company_id)
        .outerjoin(_VISIT, _VISIT.c.id == _I.c.visit_id)
    )
    .where(_I.c.token_hash == bindparam("token_hash"))
)
_ENDS = tuple(accumulate(len(names) for _, names in _PARTS))
_BOUNDS = tuple(zip((0, *_ENDS[:-1]), _ENDS, strict=True))


def snapshot(row: tuple) -> InvitationSnapshot:
    """Build the snapshot from one row of ``LINK_QUERY``."""
    invitation, survey, version, company, visit = (row[a:b] for a, b in _BOUNDS)
    return InvitationSnapshot(
        *invitation,
        survey=SurveySnapshot(*survey, battery_version=VersionSnapshot(*version)),
        company=CompanySnapshot(*company),
        visit=VisitSnapshot(*visit) if visit[0] is not None else None,
    )
