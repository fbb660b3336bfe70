"""Forms of the survey pages: the survey itself, choosing recipients, plain action buttons."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from survey.services.errors import DomainError
from survey.services.surveys import TEXT_FIELDS, check_header_text, check_placeholders
from survey.web.ids import coerce_optional_id

PLACEHOLDER_HELP = _l("You can use {company}, {visit_date}, {link} and {close_date}.")


def _placeholders(form: FlaskForm, field: Any) -> None:
    try:
        check_placeholders(field.name, field.data)
    except DomainError as error:
        raise ValidationError(error.message) from None


def _one_line(form: FlaskForm, field: Any) -> None:
    try:
        check_header_text(field.name, field.data)
    except DomainError as error:
        raise ValidationError(error.message) from None


def _text(label: Any, *, area: bool = False, required: bool = False) -> Any:
    validators = [DataRequired() if required else Optional(), _placeholders]
    if not area:  # a subject: a mail header
        validators.append(_one_line)
    kind = TextAreaField if area else StringField
    return kind(
        label,
        validators=[*validators, Length(max=5000 if area else 300)],
        description=PLACEHOLDER_HELP,
    )


class SurveyForm(FlaskForm):
    """A survey's settings and mail texts; the service checks them again."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    battery_version_id = SelectField(_l("Question battery version"), coerce=int, choices=[])
    opens_on = DateField(_l("Opens on"), validators=[DataRequired()])
    closes_on = DateField(_l("Closes on"), validators=[DataRequired()])
    reminder_days = StringField(
        _l("Reminders (days after the invitation)"),
        validators=[Length(max=100)],
        description=_l("Separate with commas, e.g. 7, 14. Leave empty for no reminders."),
    )
    sender_name = StringField(
        _l("Sender name"), validators=[DataRequired(), _one_line, Length(max=200)]
    )
    reply_to = StringField(
        _l("Reply-to address"), validators=[Optional(), _one_line, Email(), Length(max=254)]
    )
    invitation_subject_sv = _text(_l("Invitation subject (Swedish)"), required=True)
    invitation_body_sv = _text(_l("Invitation text (Swedish)"), area=True, required=True)
    invitation_subject_en = _text(_l("Invitation subject (English)"))
    invitation_body_en = _text(_l("Invitation text (English)"), area=True)
    reminder_subject_sv = _text(_l("Reminder subject (Swedish)"))
    reminder_body_sv = _text(_l("Reminder text (Swedish)"), area=True)
    reminder_subject_en = _text(_l("Reminder subject (English)"))
    reminder_body_en = _text(_l("Reminder text (English)"), area=True)
    anonymous = BooleanField(
        _l("Anonymous"), description=_l("Answers are not linked to the company.")
    )
    is_visit_followup = BooleanField(
        _l("Visit follow-up"),
        description=_l(
            "Invites each visited company automatically the day after the visit is recorded."
        ),
    )
    service_area_id = SelectField(
        _l("Only visits in this service area"),
        coerce=coerce_optional_id,
        choices=[],
        validate_choice=False,
    )

    def survey_data(self) -> dict[str, Any]:
        """Return the values the survey service takes."""
        names = ("name", "battery_version_id", "opens_on", "closes_on", "reminder_days",
                 "sender_name", "reply_to", "anonymous", "is_visit_followup", "service_area_id",
                 *TEXT_FIELDS)  # fmt: skip
        return {name: self[name].data for name in names}


class RecipientForm(FlaskForm):
    """Which companies of the register to invite."""

    mode = SelectField(
        _l("Companies"),
        choices=[
            SelectChoice("visited", _l("Visited in a period")),
            SelectChoice("area", _l("Visited about a service area")),
            SelectChoice("industry", _l("In an industry section")),
            SelectChoice("all", _l("All companies in the register")),
        ],
    )
    visited_from = DateField(_l("Visited from"), validators=[Optional()])
    visited_to = DateField(_l("Visited until"), validators=[Optional()])
    service_area_id = SelectField(
        _l("Service area"), coerce=coerce_optional_id, choices=[], validate_choice=False
    )
    sni_section = SelectField(_l("Industry section"), choices=[], validate_choice=False)


class ActionForm(FlaskForm):
    """A button that posts (CSRF only)."""
