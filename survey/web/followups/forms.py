"""Forms of the follow-up pages: filter the list, make one by hand, assign, close."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from survey.models import ServiceArea, User
from survey.services.followups.followups import MAX_EMAIL, MAX_NOTE, MAX_PHONE, MAX_TOPIC
from survey.web.ids import coerce_id_or_all, coerce_optional_id
from survey.web.templating import localized

STATUS_LABELS = {
    "new": _l("New"),
    "assigned": _l("Assigned"),
    "contacted": _l("Contacted"),
    "closed": lazy_pgettext("follow-up", "Closed"),
}
SOURCE_LABELS = {
    "contact_request": _l("Contact request in a survey"),
    "manual": _l("Made by hand"),
    "visit": _l("Promised on a visit"),
}


def _people(users: list[User], *, blank: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice("", blank)] if blank else []
    return choices + [SelectChoice(user.id, user.name) for user in users]


class FollowUpFilterForm(FlaskForm):
    """Whose, which status, overdue only, service area (GET, no CSRF)."""

    class Meta:
        csrf = False

    whose = SelectField(
        _l("Owner"),
        choices=[SelectChoice("all", _l("Everyone's")), SelectChoice("mine", _l("Mine"))],
        validate_choice=False,
    )
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("open", _l("Open follow-ups")),
            SelectChoice("closed", _l("Closed follow-ups")),
            SelectChoice("all", _l("All follow-ups")),
        ],
        validate_choice=False,
    )
    area = SelectField(_l("Service area"), coerce=coerce_id_or_all, validate_choice=False)
    overdue = BooleanField(_l("Only overdue"))

    def set_choices(self, areas: list[ServiceArea]) -> None:
        """Offer these service areas after an "all" choice."""
        self.area.choices = [SelectChoice(0, str(_l("All")))] + [
            SelectChoice(area.id, localized(area, "name")) for area in areas
        ]


class FollowUpForm(FlaskForm):
    """A follow-up made by hand: what it is about, how to reach the company, who, by when."""

    topic = TextAreaField(
        _l("What is it about?"), validators=[InputRequired(), Length(max=MAX_TOPIC)]
    )
    phone = StringField(_l("Phone number to call"), validators=[Length(max=MAX_PHONE)])
    email = StringField(_l("E-mail address to answer"), validators=[Length(max=MAX_EMAIL)])
    owner = SelectField(_l("Owner"), coerce=coerce_optional_id, validate_choice=False)
    due_on = DateField(_l("Due date"), validators=[Optional()])
    service_area = SelectField(_l("Service area"), coerce=coerce_optional_id, validate_choice=False)

    def set_choices(self, officials: list[User], areas: list[ServiceArea]) -> None:
        """Offer these officials and service areas; both may stay unchosen."""
        self.owner.choices = _people(officials, blank=str(_l("Not assigned yet")))
        self.service_area.choices = [SelectChoice("", str(_l("None")))] + [
            SelectChoice(area.id, localized(area, "name")) for area in areas
        ]


class AssignForm(FlaskForm):
    """Give a follow-up an owner, and perhaps a new due date."""

    owner = SelectField(_l("Owner"), coerce=coerce_optional_id, validate_choice=False)
    due_on = DateField(_l("Due date"), validators=[Optional()])

    def set_choices(self, officials: list[User]) -> None:
        """Offer these officials."""
        self.owner.choices = _people(officials, blank=str(_l("Choose an official")))


class CloseForm(FlaskForm):
    """Close a follow-up with a note on how it ended."""

    note = TextAreaField(_l("How did it end?"), validators=[InputRequired(), Length(max=MAX_NOTE)])


class ContactedForm(FlaskForm):
    """Mark a follow-up contacted (a button)."""
