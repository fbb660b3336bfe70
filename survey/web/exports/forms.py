"""Forms of the export page and the API token page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from survey.services.accounts.api_tokens import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS
from survey.web.ids import coerce_optional_id


class ExportForm(FlaskForm):
    """Which responses to export and how."""

    battery = SelectField(_l("Question battery"), validators=[DataRequired()])
    survey_id = SelectField(
        _l("Survey"),
        validators=[Optional()],
        coerce=coerce_optional_id,
        description=_l("Leave empty for every response to the battery, from all versions."),
    )
    layout = RadioField(
        _l("Layout"),
        choices=[
            SelectChoice("wide", _l("Wide: one row per response, one column per question")),
            SelectChoice("long", _l("Long: one row per answer (response, question, value)")),
        ],
        default="wide",
    )
    excel = BooleanField(
        _l("For Excel"),
        description=_l(
            "Semicolons, decimal comma and a byte order mark, as Swedish Excel expects."
        ),
    )
    identities = BooleanField(
        _l("Show company identities"),
        description=_l(
            "Organisation numbers and names instead of pseudonyms, without the free-text "
            "answers (nobody sees which company wrote a comment). The export is logged."
        ),
    )


class TokenForm(FlaskForm):
    """A name for a new API token and how many days it works."""

    name = StringField(
        _l("Name of the token"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("For example the script or program that will use it."),
    )
    days = IntegerField(
        _l("Valid for (days)"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_LIFETIME_DAYS,
                message=_l("Choose from 1 to %(max)s days."),
            ),
        ],
        default=DEFAULT_LIFETIME_DAYS,
        description=_l(
            "The token stops working after this many days; at most %(max)s.",
            max=MAX_LIFETIME_DAYS,
        ),
    )
