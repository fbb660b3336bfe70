"""Forms of the company register: edit a company, filter the list, upload a CSV file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SearchField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from survey import sni
from survey.models.company import SIZE_CLASSES

SIZE_CHOICES = [SelectChoice("", _l("Unknown")), *(SelectChoice(size) for size in SIZE_CLASSES)]
LANGUAGE_CHOICES = [SelectChoice("sv", _l("Swedish")), SelectChoice("en", _l("English"))]


class CompanyForm(FlaskForm):
    """A company's register entry; the service checks the values."""

    org_number = StringField(
        _l("Organisation number"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("10 digits, e.g. 556677-8899."),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    sni_code = StringField(
        _l("SNI code"), validators=[Length(max=12)], description=_l("SNI 2007, e.g. 47.111.")
    )
    size_class = SelectField(_l("Size (employees)"), choices=SIZE_CHOICES, validate_choice=True)
    contact_name = StringField(_l("Contact person"), validators=[Length(max=200)])
    contact_email = StringField(_l("Contact e-mail"), validators=[Length(max=254)])
    language = SelectField(
        _l("Language of survey mail"),
        choices=LANGUAGE_CHOICES,
        default="sv",
        validate_choice=True,
        description=_l(
            "Invitations and reminders are sent in this language when the survey has texts in "
            "it. If the company answers in the other language, later reminders follow that."
        ),
    )
    opted_out = BooleanField(_l("Opted out of surveys"))


class CompanyFilterForm(FlaskForm):
    """Search and filters of the company list (a GET form without CSRF)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or organisation number"), validators=[Length(max=100)])
    section = SelectField(_l("Industry"), choices=[], validate_choice=False)
    size = SelectField(
        _l("Size (employees)"),
        choices=[SelectChoice("", _l("All")), *(SelectChoice(size) for size in SIZE_CLASSES)],
        validate_choice=False,
    )
    opted_out = SelectField(
        _l("Surveys"),
        choices=[
            SelectChoice("", _l("All")),
            SelectChoice("no", _l("Not opted out")),
            SelectChoice("yes", _l("Opted out")),
        ],
        validate_choice=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.section.choices = [SelectChoice("", _l("All"))] + [
            SelectChoice(section.letter, f"{section.letter} – {sni.section_name(section.letter)}")
            for section in sni.SECTIONS
        ]


class ImportForm(FlaskForm):
    """Upload a CSV file of companies."""

    file = FileField(
        _l("CSV file"),
        validators=[FileRequired()],
        description=_l(
            "One company a row, with the organisation number and the name, and optionally "
            "SNI code, size, contact person, e-mail and language of survey mail (sv or en). "
            "Column titles in Swedish or English are recognised; you check which column is "
            "which in the next step. Separated by semicolons or commas; UTF-8 or as saved "
            "by Excel."
        ),
    )
