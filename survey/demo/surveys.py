"""Demo step: a running visit follow-up survey with invitations queued for recent visits.

So the first page a new user of `make run` opens has links to click: the development
server (`survey run`) delivers the queued mails as .eml files while it serves, and the
outbox page shows them. Needs the shipped battery `uppfoljning-foretagsbesok` to be loaded first.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from survey.extensions import db
from survey.models import Company, Survey, Visit
from survey.services.batteries.batteries import get_version
from survey.services.errors import NotFound
from survey.services.surveys.invitations import can_invite, create_invitation

BATTERY = "uppfoljning-foretagsbesok"
INVITED_VISITS = 8
INVITATION_SV = (
    "Hej {company}!\n\n"
    "Tack för att ni tog emot oss vid besöket den {visit_date}. Vi vill gärna veta vad ni "
    "tyckte. Det tar ungefär tre minuter att svara:\n\n{link}\n\n"
    "Enkäten är öppen till och med {close_date}.\n\nVänliga hälsningar\nNäringslivsenheten"
)
INVITATION_EN = (
    "Hello {company},\n\n"
    "Thank you for welcoming us on {visit_date}. We would like to know what you thought. "
    "It takes about three minutes:\n\n{link}\n\nThe survey is open until {close_date}."
)
REMINDER_SV = (
    "Hej {company}!\n\nVi har inte sett ert svar om vårt besök den {visit_date} ännu. "
    "Det tar bara några minuter:\n\n{link}\n\nTack på förhand!"
)
REMINDER_EN = (
    "Hello {company},\n\nWe have not yet seen your answer about our visit on {visit_date}. "
    "It only takes a few minutes:\n\n{link}\n\nThank you in advance!"
)


def create_followup_survey(ctx: Any) -> None:
    """Create the running follow-up survey and invite the companies of the latest visits."""
    try:
        version = get_version(BATTERY)
    except NotFound:
        return  # the battery is not loaded (`survey questionnaires load` runs first in make run)
    if db.session.scalar(select(Survey.id).where(Survey.is_visit_followup.is_(True))):
        return
    survey = Survey(
        name="Uppföljning av företagsbesök",
        battery_version_id=version.id,
        opens_on=ctx.today - timedelta(days=30),
        closes_on=ctx.today + timedelta(days=90),
        reminder_days=[7, 14],
        sender_name="Näringslivsenheten i Ekby",
        reply_to="naringsliv@ekby.example.com",
        invitation_subject_sv="Vad tyckte {company} om vårt besök?",
        invitation_subject_en="What did {company} think of our visit?",
        invitation_body_sv=INVITATION_SV,
        invitation_body_en=INVITATION_EN,
        reminder_subject_sv="Påminnelse: vad tyckte ni om vårt besök?",
        reminder_body_sv=REMINDER_SV,
        reminder_subject_en="Reminder: what did you think of our visit?",
        reminder_body_en=REMINDER_EN,
        is_visit_followup=True,
        anonymous=False,
    )
    db.session.add(survey)
    db.session.flush()
    recent = db.session.scalars(
        select(Visit)
        .join(Company, Company.id == Visit.company_id)
        .where(Visit.visit_date >= survey.opens_on)
        .order_by(Visit.visit_date.desc(), Visit.id)
    )
    invited = 0
    for visit in recent:
        if invited >= INVITED_VISITS:
            break
        if can_invite(visit.company):
            create_invitation(survey, visit.company, visit=visit)
            invited += 1
