"""Forms for recording a visit and filtering the visit list."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SearchField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from survey.models import ServiceArea, User
from survey.web.ids import coerce_id_or_all
from survey.web.templating import localized


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes (the field macro renders it as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VisitForm(FlaskForm):
    """Date, visiting officials, service area and notes of a visit."""

    visit_date = DateField(_l("Date of the visit"), validators=[InputRequired()])
    officials = MultiCheckboxField(_l("Visiting officials"), coerce=int)
    service_area = SelectField(_l("Service area"), coerce=int, validators=[InputRequired()])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=10_000)])

    def set_choices(self, officials: list[User], areas: list[ServiceArea]) -> None:
        """Offer these officials and service areas."""
        self.officials.choices = [SelectChoice(user.id, user.name) for user in officials]
        self.service_area.choices = [
            SelectChoice(area.id, localized(area, "name")) for area in areas
        ]


class VisitFilterForm(FlaskForm):
    """Period, official and service area filters of the visit list (GET, no CSRF)."""

    class Meta:
        csrf = False

    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    official = SelectField(_l("Official"), coerce=coerce_id_or_all, validate_choice=False)
    area = SelectField(_l("Service area"), coerce=coerce_id_or_all, validate_choice=False)

    def set_choices(self, officials: list[User], areas: list[ServiceArea]) -> None:
        """Offer these officials and service areas, after an "all" choice."""
        everyone = [SelectChoice(0, str(_l("All")))]
        self.official.choices = everyone + [SelectChoice(user.id, user.name) for user in officials]
        self.area.choices = everyone + [
            SelectChoice(area.id, localized(area, "name")) for area in areas
        ]


class CompanySearchForm(FlaskForm):
    """Find the company of a new visit (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or organisation number"), validators=[Length(max=100)])
