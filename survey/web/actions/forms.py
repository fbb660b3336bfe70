"""Forms of an action plan (åtgärd) and of the action list's filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from survey.models import ServiceArea, User
from survey.web.dashboard.panels import factor_name
from survey.web.ids import coerce_id_or_all
from survey.web.templating import localized

#: planerad, pågår, avslutad
STATUS_NAMES = {
    "planned": _l("Planned"),
    "ongoing": _l("Ongoing"),
    "finished": _l("Finished"),
}


def status_name(status: str) -> str:
    """Return a status's display name."""
    return str(STATUS_NAMES.get(status, status))


class ActionForm(FlaskForm):
    """Title, description, index, area, owner, dates and status of an action."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=10_000)],
        description=_l("What will be done, and how you will know it worked."),
    )
    battery = SelectField(_l("Question battery"), validators=[InputRequired()])
    factor = SelectField(
        _l("Index the action aims at"),
        validators=[InputRequired()],
        description=_l("A service factor of the battery, or NKI."),
    )
    service_area = SelectField(
        _l("Service area (optional)"), coerce=coerce_id_or_all, validate_choice=False
    )
    owner = SelectField(_l("Responsible official"), coerce=int, validators=[InputRequired()])
    starts_on = DateField(_l("Start date"), validators=[InputRequired()])
    ends_on = DateField(_l("End date"), validators=[InputRequired()])
    status = SelectField(_l("Status"), validators=[InputRequired()])

    def set_choices(
        self,
        batteries: list[tuple[str, list[str]]],
        areas: list[ServiceArea],
        owners: list[User],
    ) -> None:
        """Offer the batteries with indices, every index any of them has, areas and owners."""
        self.battery.choices = [SelectChoice(key, key) for key, _roles in batteries]
        roles = dict.fromkeys(role for _key, found in batteries for role in found)
        self.factor.choices = [SelectChoice(role, factor_name(role)) for role in roles]
        self.service_area.choices = [SelectChoice(0, str(_l("Every area")))] + [
            SelectChoice(area.id, localized(area, "name")) for area in areas
        ]
        self.owner.choices = [SelectChoice(user.id, user.name) for user in owners]
        self.status.choices = [SelectChoice(key, str(name)) for key, name in STATUS_NAMES.items()]


class ActionFilterForm(FlaskForm):
    """Status and owner filters of the action list (GET, no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=False)
    owner = SelectField(_l("Responsible official"), coerce=coerce_id_or_all, validate_choice=False)

    def set_choices(self, owners: list[User]) -> None:
        """Offer every status and these owners, after an "all" choice."""
        self.status.choices = [SelectChoice("", str(_l("All")))] + [
            SelectChoice(key, str(name)) for key, name in STATUS_NAMES.items()
        ]
        self.owner.choices = [SelectChoice(0, str(_l("All")))] + [
            SelectChoice(user.id, user.name) for user in owners
        ]
