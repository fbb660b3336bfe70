"""The admin's form for the organisation: name, unit, contact and logo."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, StringField, URLField
from wtforms.validators import DataRequired, Length

from survey.services.organisation.logo import MAX_BYTES, MAX_SIDE


class OrganisationForm(FlaskForm):
    """Who the sender is; the service checks every value again."""

    name = StringField(
        _l("Organisation"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("As companies know it, e.g. Upplands-Bro kommun."),
    )
    unit = StringField(
        _l("Unit"),
        validators=[Length(max=200)],
        description=_l("The department that asks, e.g. Näringslivsenheten."),
    )
    contact_email = EmailField(_l("E-mail for questions"), validators=[Length(max=254)])
    contact_phone = StringField(_l("Phone for questions"), validators=[Length(max=40)])
    website = URLField(
        _l("Website"),
        validators=[Length(max=300)],
        description=_l("Starts with https://"),
    )
    logo = FileField(
        _l("Logo"),
        description=_l(
            "A PNG or JPEG file of at most %(kb)s kB and %(px)s pixels a side. "
            "Shown at the top of the survey pages.",
            kb=MAX_BYTES // 1024,
            px=MAX_SIDE,
        ),
        render_kw={"accept": "image/png,image/jpeg"},
    )
    remove_logo = BooleanField(_l("Remove the logo"))
