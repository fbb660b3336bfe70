"""Forms for user administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

ROLE_CHOICES = [
    SelectChoice("analyst", _l("Analyst (reads)")),
    SelectChoice("official", _l("Official (edits)")),
    SelectChoice("admin", _l("Administrator (also manages users)")),
]


class UserForm(FlaskForm):
    """A new account with its initial password."""

    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="official")
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l("At least 10 characters; give it to the person in a safe way."),
    )


class RoleForm(FlaskForm):
    """Change an account's role."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class NameForm(FlaskForm):
    """Correct an account's name."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


class ConfirmForm(FlaskForm):
    """The button of a confirmation page (CSRF only)."""
