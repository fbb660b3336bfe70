"""Follow-up of a survey for officials: counts, response rate, per-invitation status, outbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Company, Invitation, OutboxMessage
from survey.models.base import utcnow
from survey.services.errors import NotFound
from survey.services.statistics.funnel import STAGE_TIMES, has_reached, was_delivered
from survey.stats import response_rate
from survey.stats.scores import Rate

STATUSES = ("queued", "sent", "failed", "unsent", "opened", "started", "submitted", "opted_out")
#: The stages an invitation passes, counted by history: one that reached a later stage still
#: counts in the earlier ones (an answered invitation was sent, opened and started).
STAGES = ("sent", "opened", "started", "submitted")


@dataclass(frozen=True)
class InvitationRow:
    """One invited company and how far it has come."""

    id: int
    company_id: int
    company: str
    email: str | None
    status: str
    reminders_sent: int
    created_at: Any


@dataclass(frozen=True)
class Followup:
    """A survey's counts per status, response rate and invitations.

    ``counts`` of sent, opened, started and submitted are of invitations that have reached
    that stage at some time (history); queued, failed, unsent and opted out, of those in
    that state now.
    """

    counts: dict[str, int]
    invited: int
    rate: Rate
    rows: list[InvitationRow]
    stages: dict[str, int] = field(default_factory=dict)

    @property
    def not_answered(self) -> list[InvitationRow]:
        return [r for r in self.rows if r.status not in ("submitted", "opted_out")]


def status_of(row: Any, now: datetime | None = None) -> str:
    """Return the furthest state an invitation has reached.

    An answer counts even if the company opts out of mail afterwards (the opt-out link is in
    every mail), so "submitted" comes first and the response rate counts every answer (of
    the delivered invitations, `dashboard_funnel.was_delivered`). An
    invitation never sent whose link has expired is "unsent": the outbox cancels its mail
    when the survey closes, so it will not be queued for ever.
    """
    if row.submitted_at is not None:
        return "submitted"
    if row.opted_out_at is not None:
        return "opted_out"
    for name in ("started", "opened"):
        if getattr(row, f"{name}_at") is not None:
            return name
    if row.failed_at is not None:
        return "failed"
    if row.sent_at is not None:
        return "sent"
    return "unsent" if row.expires_at <= (now or utcnow()) else "queued"


def followup(survey_id: int) -> Followup:
    """Return the follow-up of a survey (one query for the rows, SQL counts)."""
    columns = (
        Invitation.id,
        Invitation.company_id,
        Company.name,
        Invitation.email,
        Invitation.reminders_sent,
        Invitation.created_at,
        Invitation.sent_at,
        Invitation.failed_at,
        Invitation.opened_at,
        Invitation.started_at,
        Invitation.submitted_at,
        Invitation.opted_out_at,
        Invitation.expires_at,
    )
    result = db.session.execute(
        select(*columns)
        .join(Company, Company.id == Invitation.company_id)
        .where(Invitation.survey_id == survey_id)
        .order_by(Company.name, Invitation.id)
    )
    now, fetched = utcnow(), result.all()
    rows = [
        InvitationRow(r.id, r.company_id, r.name, r.email, status_of(r, now), r.reminders_sent,
                      r.created_at)
        for r in fetched
    ]  # fmt: skip
    counts = {status: 0 for status in STATUSES}
    for row in rows:
        counts[row.status] += 1
    submitted = counts["submitted"]
    stages = stage_counts(fetched)
    return Followup(counts, len(rows), response_rate(submitted, stages["sent"]), rows, stages)


def stage_counts(rows: list[Any]) -> dict[str, int]:
    """Count the invitations that reached each stage, whatever they did after.

    Sent is delivered as in the dashboard's funnel (`dashboard_funnel.was_delivered`); a
    later stage implies the earlier ones, so a company that answered on one page (no draft
    saved, so no start time) counts as opened and started, and answers never lower "sent".
    Beside the stages: opted out, mail failed, and not sent yet (queued).
    """
    stages = dict.fromkeys((*STAGES, "opted_out", "failed", "queued"), 0)
    for row in rows:
        stages["sent"] += was_delivered(row)
        for stage in STAGE_TIMES:
            stages[stage] += has_reached(row, stage)
        stages["opted_out"] += row.opted_out_at is not None
        status = status_of(row)
        stages["failed"] += status == "failed"
        stages["queued"] += status == "queued"
    return stages


def outbox_messages(limit: int = 200, status: str | None = None) -> list[OutboxMessage]:
    """Return the newest outbox messages, optionally of one status."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    return list(db.session.scalars(query))


def outbox_counts() -> dict[str, int]:
    """Return how many outbox messages have each status."""
    result = db.session.execute(
        select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(OutboxMessage.status)
    )
    return {status: count for status, count in result}


def outbox_message(message_id: int) -> OutboxMessage:
    """Return one outbox message or raise NotFound."""
    from flask_babel import gettext as _

    row = db.session.get(OutboxMessage, message_id)
    if row is None:
        raise NotFound(_("The message does not exist."))
    return row
