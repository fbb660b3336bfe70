"""Demo follow-ups: open, overdue and closed ones, so a new user sees the loop at work."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from survey.extensions import db
from survey.models import FollowUp, Visit
from survey.workdays import add_working_days

if TYPE_CHECKING:
    from survey.demo.municipality import DemoContext

# (days ago it came in, source, topic, phone, state): state is open, assigned, overdue,
# contacted, closed (on time) or late (closed after its due date).
PLAN = (
    (150, "contact_request", "Vill ha hjälp att hitta större lokaler.", "070-123 45 67", "closed"),
    (120, "manual", "Ringde om bygglov för en tillbyggnad av lagret.", "0501-123 45", "closed"),
    (95, "visit", "Lovade att skicka kontakt till miljöförvaltningen.", None, "late"),
    (80, "contact_request", "Frågor om serveringstillstånd inför sommaren.", None, "closed"),
    (60, "contact_request", "Vill diskutera kompetensförsörjning.", "073-555 12 34", "late"),
    (40, "visit", "Lovade att bjuda in till frukostmötet för nya företagare.", None, "closed"),
    (
        25,
        "contact_request",
        "Undrar hur tillsynen av livsmedel går till.",
        "070-987 65 43",
        "overdue",
    ),
    (18, "manual", "Vill veta mer om markupplåtelse för uteservering.", "0501-987 65", "overdue"),
    (
        4,
        "contact_request",
        "Behöver hjälp med en ansökan om bygglov.",
        "076-111 22 33",
        "contacted",
    ),
    (3, "visit", "Lovade att återkomma om lediga industritomter.", None, "assigned"),
    (1, "contact_request", "Vill prata om brandskyddet i nya lokalen.", "070-444 55 66", "open"),
)
NOTES = {
    "closed": "Ringde upp och gav besked; företaget var nöjt.",
    "late": "Kontakt tagen efter påminnelse; ärendet är löst.",
}


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def create_demo_followups(ctx: DemoContext) -> None:
    """Add the follow-ups of PLAN to companies of the demo, owned by its officials."""
    owners = [user for user in ctx.officials if user.role == "official"]
    if not owners or not ctx.company_ids:
        return
    days = current_app.config["SURVEY_FOLLOWUP_DAYS"]
    visits = list(db.session.scalars(select(Visit).order_by(Visit.visit_date.desc()).limit(20)))
    for number, (ago, source, topic, phone, state) in enumerate(PLAN):
        came = ctx.today - timedelta(days=ago)
        due = add_working_days(came, days)
        visit = visits[number % len(visits)] if source == "visit" and visits else None
        followup = FollowUp(
            company_id=visit.company_id if visit else ctx.rng.choice(ctx.company_ids),
            source=source if visit or source != "visit" else "manual",
            visit_id=visit.id if visit else None,
            service_area_id=visit.service_area_id if visit else None,
            topic=topic,
            contact_phone=phone,
            due_on=due,
            created_at=_moment(came, 9),
            status="new",
            closing_note="",
        )
        if state != "open":
            followup.owner_id = owners[number % len(owners)].id
            followup.assigned_at, followup.status = _moment(came, 10), "assigned"
        if state in ("contacted", "closed", "late"):
            contact_day = came + timedelta(days=2) if state != "late" else due + timedelta(days=3)
            followup.contacted_at, followup.status = _moment(contact_day, 11), "contacted"
        if state in ("closed", "late"):
            followup.closed_at = _moment(followup.contacted_at.date(), 14)
            followup.status, followup.closing_note = "closed", NOTES[state]
        db.session.add(followup)
