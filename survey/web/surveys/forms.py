"""Forms of the survey pages: the survey itself, choosing recipients, plain action buttons."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from survey.services.errors import DomainError
from survey.services.surveys.recipient_lists import decode
from survey.services.surveys.surveys import TEXT_FIELDS, check_header_text, check_placeholders
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


class SearchForm(FlaskForm):
    """Search the register for companies to pick (a GET form: no CSRF, nothing changes)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search companies"),
        validators=[Optional(), Length(max=100)],
        description=_l("Part of the name, or the organisation number."),
    )


def _ids(raw: Any) -> tuple[int, ...]:
    values = raw if isinstance(raw, list) else str(raw or "").split(",")
    return tuple(int(v) for v in values if str(v).strip().isdigit() and len(str(v).strip()) < 12)


class PickForm(FlaskForm):
    """The companies ticked in the search results."""

    company_id = SelectMultipleField(_l("Companies"), coerce=str, choices=[], validate_choice=False)

    def company_ids(self) -> tuple[int, ...]:
        """Return the ticked companies' ids."""
        return _ids(self.company_id.data or [])

    def validate_company_id(self, field: Any) -> None:
        if not self.company_ids():
            raise ValidationError(_l("Tick at least one company."))


class OrgNumberListForm(FlaskForm):
    """A list of organisation numbers, pasted or in a text or CSV file."""

    org_numbers = TextAreaField(
        _l("Organisation numbers"),
        validators=[Length(max=200_000)],
        description=_l("One a line, with or without hyphen, e.g. 556677-8899 or 5566778899."),
    )
    org_file = FileField(
        _l("Or a file with the list"),
        validators=[Optional(), FileAllowed(["txt", "csv"], _l("Choose a .txt or .csv file."))],
        description=_l("A text or CSV file (e.g. saved from Excel); a header line is skipped."),
    )

    def text(self) -> str:
        """Return the pasted list and the uploaded file's text together."""
        upload = self.org_file.data
        content = decode(upload.read()) if upload else ""
        return "\n".join(part for part in (self.org_numbers.data or "", content) if part)

    def validate_org_numbers(self, field: Any) -> None:
        if not (field.data or "").strip() and not self.org_file.data:
            raise ValidationError(_l("Paste organisation numbers or choose a file."))


class ConfirmRecipientsForm(FlaskForm):
    """The previewed companies to invite (a picked list travels as one field of ids)."""

    company_ids = HiddenField()

    def ids(self) -> tuple[int, ...]:
        """Return the previewed companies' ids."""
        return _ids(self.company_ids.data)


class ActionForm(FlaskForm):
    """A button that posts (CSRF only)."""
