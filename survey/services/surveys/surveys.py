"""Surveys (utskick): create and edit them, choose recipients, follow them up."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from survey.extensions import db
from survey.mail.compose import PLACEHOLDERS, unknown_placeholders
from survey.models import BatteryVersion, Invitation, Survey
from survey.questionnaires import model as spec
from survey.services import audit
from survey.services.batteries.mapping import version_definition
from survey.services.errors import DomainError, NotFound
from survey.services.surveys.invitations import expiry_for, local_today

TEXT_FIELDS = (
    "invitation_subject_sv",
    "invitation_subject_en",
    "invitation_body_sv",
    "invitation_body_en",
    "reminder_subject_sv",
    "reminder_subject_en",
    "reminder_body_sv",
    "reminder_body_en",
)
REQUIRED_TEXTS = ("invitation_subject_sv", "invitation_body_sv")
#: The fields that become mail headers (From's display name, Reply-To, Subject).
HEADER_FIELDS = (
    "sender_name",
    "reply_to",
    "invitation_subject_sv",
    "invitation_subject_en",
    "reminder_subject_sv",
    "reminder_subject_en",
)


@dataclass
class SurveyInput:
    """What an official enters for a survey; texts may use the mail placeholders."""

    name: str
    battery_version_id: int
    opens_on: date
    closes_on: date
    reminder_days: str = ""
    sender_name: str = ""
    reply_to: str | None = None
    invitation_subject_sv: str = ""
    invitation_subject_en: str | None = None
    invitation_body_sv: str = ""
    invitation_body_en: str | None = None
    reminder_subject_sv: str | None = None
    reminder_subject_en: str | None = None
    reminder_body_sv: str | None = None
    reminder_body_en: str | None = None
    anonymous: bool = False
    is_visit_followup: bool = False
    service_area_id: int | None = None


def parse_reminder_days(raw: str) -> list[int]:
    """Parse "7, 14" into [7, 14]; raise DomainError beside reminder_days on bad input."""
    parts = [p for p in re.split(r"[,\s;]+", raw.strip()) if p]
    if not all(p.isdigit() and 1 <= int(p) <= 365 for p in parts):
        raise DomainError(
            _("Give whole days between 1 and 365, separated by commas, e.g. 7, 14."),
            field="reminder_days",
        )
    return sorted(set(int(p) for p in parts))


def check_placeholders(name: str, text: str | None) -> None:
    """Raise DomainError beside the field if a text uses an unknown or broken placeholder."""
    try:
        unknown = unknown_placeholders(text or "")
    except ValueError:
        unknown = None
    if unknown is None or unknown:
        raise DomainError(
            _(
                "Unknown placeholder %(found)s; you can use %(known)s.",
                found=", ".join("{" + u + "}" for u in unknown or ["?"]),
                known=", ".join("{" + p + "}" for p in PLACEHOLDERS),
            ),
            field=name,
        )


def check_header_text(name: str, text: str | None) -> None:
    """Raise DomainError beside the field if a mail header's text has a line break.

    A header cannot hold a line break or another control character: every mail of the
    survey would then fail to build (or, written as it is, carry extra headers).
    """
    if text and any(unicodedata.category(char) == "Cc" for char in text):
        raise DomainError(
            _("Write this on one line, without line breaks or control characters."),
            field=name,
        )


def asks_for_contact(definition: spec.Battery) -> bool:
    """Tell whether a battery asks the company whether it wants to be contacted."""
    return spec.CONTACT_REQUEST in definition.contact_questions()


def check_contact_request(definition: spec.Battery, *, anonymous: bool) -> None:
    """Refuse an anonymous survey of a battery with a contact request (DomainError)."""
    if anonymous and asks_for_contact(definition):
        raise DomainError(
            _(
                "An anonymous survey cannot ask whether the company wants to be contacted: "
                "its answer would name the company. Choose a battery without a contact "
                "request, or make the survey not anonymous."
            ),
            field="anonymous",
        )


def _validate(data: SurveyInput) -> list[int]:
    for name in HEADER_FIELDS:
        check_header_text(name, getattr(data, name))
    if not data.name.strip():
        raise DomainError(_("Give the survey a name."), field="name")
    version = db.session.get(BatteryVersion, data.battery_version_id)
    if version is None or not version.is_published:
        raise DomainError(_("Choose a published battery version."), field="battery_version_id")
    check_contact_request(version_definition(version), anonymous=data.anonymous)
    if data.closes_on < data.opens_on:
        raise DomainError(_("The survey must close on or after it opens."), field="closes_on")
    if not data.sender_name.strip():
        raise DomainError(_("Give a sender name."), field="sender_name")
    if not data.invitation_subject_sv.strip():
        raise DomainError(_("Give a subject."), field="invitation_subject_sv")
    if not data.invitation_body_sv.strip():
        raise DomainError(_("Write the invitation text."), field="invitation_body_sv")
    for name in TEXT_FIELDS:
        check_placeholders(name, getattr(data, name))
    return parse_reminder_days(data.reminder_days)


def _apply(survey: Survey, data: SurveyInput, reminder_days: list[int]) -> None:
    survey.name = data.name.strip()
    survey.battery_version_id = data.battery_version_id
    survey.opens_on, survey.closes_on = data.opens_on, data.closes_on
    survey.reminder_days = reminder_days
    survey.sender_name = data.sender_name.strip()
    survey.reply_to = (data.reply_to or "").strip() or None
    for name in TEXT_FIELDS:
        value = (getattr(data, name) or "").strip()
        setattr(survey, name, value if value or name in REQUIRED_TEXTS else None)
    survey.anonymous = data.anonymous
    survey.is_visit_followup = data.is_visit_followup
    survey.service_area_id = data.service_area_id if data.is_visit_followup else None


def create_survey(data: SurveyInput, *, actor_id: int | None) -> Survey:
    """Create a survey of a published battery version."""
    reminder_days = _validate(data)
    survey = Survey(created_by_id=actor_id)
    _apply(survey, data, reminder_days)
    db.session.add(survey)
    db.session.flush()
    audit.record("survey.create", user_id=actor_id, object_type="survey", object_id=survey.id)
    db.session.commit()
    return survey


def update_survey(survey_id: int, data: SurveyInput, *, actor_id: int | None) -> Survey:
    """Change a survey; its links then expire with the (possibly new) close date."""
    survey = get_survey(survey_id)
    reminder_days = _validate(data)
    if data.battery_version_id != survey.battery_version_id and has_invitations(survey.id):
        raise DomainError(
            _("The battery version cannot change once companies are invited."),
            field="battery_version_id",
        )
    if data.anonymous != survey.anonymous and has_invitations(survey.id):
        # The invited companies were told whether their answers are anonymous.
        raise DomainError(
            _("Whether the survey is anonymous cannot change once companies are invited."),
            field="anonymous",
        )
    _apply(survey, data, reminder_days)
    for invitation in survey.invitations:
        invitation.expires_at = expiry_for(survey)
    audit.record("survey.update", user_id=actor_id, object_type="survey", object_id=survey.id)
    db.session.commit()
    return survey


def get_survey(survey_id: int) -> Survey:
    """Return a survey or raise NotFound."""
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise NotFound(_("The survey does not exist."))
    return survey


def list_surveys() -> list[Survey]:
    """Return every survey, newest first."""
    return list(db.session.scalars(select(Survey).order_by(Survey.opens_on.desc(), Survey.id)))


def published_versions() -> list[BatteryVersion]:
    """Return the published battery versions a survey may use, newest first."""
    return list(
        db.session.scalars(
            select(BatteryVersion)
            .where(BatteryVersion.status == "published")
            .order_by(BatteryVersion.battery_id, BatteryVersion.number.desc())
        )
    )


def has_invitations(survey_id: int) -> bool:
    """Tell whether any company has been invited to the survey."""
    count = db.session.scalar(
        select(func.count(Invitation.id)).where(Invitation.survey_id == survey_id)
    )
    return bool(count)


def is_closed(survey: Survey) -> bool:
    """Tell whether a survey's last day to answer has passed (local time)."""
    return local_today() > survey.closes_on


def close_now(survey_id: int, *, actor_id: int | None) -> Survey:
    """End answering at once: the survey's last day becomes yesterday, and every link expires.

    A company that opens its link then sees that the survey has closed; mail still queued is
    not sent (the outbox drops mail of expired links); answers already given stay.
    """
    survey = get_survey(survey_id)
    if is_closed(survey):
        raise DomainError(_("The survey has already closed."))
    yesterday = local_today() - timedelta(days=1)
    survey.closes_on = yesterday
    survey.opens_on = min(survey.opens_on, yesterday)
    for invitation in survey.invitations:
        invitation.expires_at = min(invitation.expires_at, expiry_for(survey))
    audit.record("survey.close", user_id=actor_id, object_type="survey", object_id=survey.id)
    db.session.commit()
    return survey
