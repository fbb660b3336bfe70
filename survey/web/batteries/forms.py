"""Builder forms: plain text fields; the builder services check and explain every value."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from survey.questionnaires.model import QUESTION_TYPES

TYPE_LABELS = {
    "scale": _l("Scale"),
    "single_choice": _l("Single choice"),
    "multiple_choice": _l("Multiple choice"),
    "yes_no": _l("Yes/no"),
    "nps": _l("NPS (0–10)"),
    "short_text": _l("Short text"),
    "long_text": _l("Long text"),
    "number": _l("Number"),
    "date": _l("Date"),
}


class TextsForm(FlaskForm):
    """A battery's title and introduction."""

    title_sv = StringField(_l("Title (Swedish)"))
    title_en = StringField(_l("Title (English)"))
    intro_sv = TextAreaField(_l("Introduction (Swedish)"))
    intro_en = TextAreaField(_l("Introduction (English)"))


class CreateForm(TextsForm):
    """A new battery: its key and texts."""

    key = StringField(
        _l("Key"), description=_l("a-z, 0-9 and -; it never changes, e.g. foretagsbesok-2026")
    )


class DuplicateForm(FlaskForm):
    """The key of the copy."""

    key = StringField(_l("Key of the copy"))


class SectionForm(FlaskForm):
    """A section (a page of questions)."""

    key = StringField(_l("Key"), description=_l("a-z, 0-9 and _, e.g. kontakter"))
    title_sv = StringField(_l("Title (Swedish)"))
    title_en = StringField(_l("Title (English)"))
    description_sv = TextAreaField(_l("Description (Swedish)"))
    description_en = TextAreaField(_l("Description (English)"))


class QuestionForm(FlaskForm):
    """A question of any type; only the fields of the chosen type are used."""

    key = StringField(
        _l("Key"), description=_l("A-Z, 0-9 and _, stable across versions, e.g. NKI_HELHET")
    )
    type = SelectField(
        _l("Question type"),
        choices=[SelectChoice(kind, TYPE_LABELS[kind]) for kind in QUESTION_TYPES],
        validate_choice=False,
    )
    text_sv = TextAreaField(_l("Question (Swedish)"))
    text_en = TextAreaField(_l("Question (English)"))
    help_sv = TextAreaField(_l("Help text (Swedish)"))
    help_en = TextAreaField(_l("Help text (English)"))
    required = BooleanField(_l("An answer is required"))
    scale_min = StringField(_l("Scale: lowest point"))
    scale_max = StringField(_l("Scale: highest point"))
    min_label_sv = StringField(_l("Scale: label of the lowest point (Swedish)"))
    min_label_en = StringField(_l("Scale: label of the lowest point (English)"))
    max_label_sv = StringField(_l("Scale: label of the highest point (Swedish)"))
    max_label_en = StringField(_l("Scale: label of the highest point (English)"))
    dont_know = BooleanField(_l("Scale: offer “Don't know / not applicable”"))
    options = TextAreaField(
        _l("Choices: one option per line"),
        description=_l("key | Swedish | English, e.g. bygglov | Bygglov | Building permit"),
    )
    service_area = BooleanField(
        _l("Choices: the answer is the response's service area"),
        description=_l("Single choice whose option keys are service area keys, e.g. bygglov"),
    )
    contact = SelectField(
        _l("Contact request"),
        choices=[
            SelectChoice("", _l("Not part of a contact request")),
            SelectChoice("request", _l("The question: does the company want to be contacted?")),
            SelectChoice("about", _l("What the contact is about (text)")),
            SelectChoice("phone", _l("Phone number to call (short text)")),
            SelectChoice("email", _l("E-mail address to answer (short text)")),
        ],
        validate_choice=False,
        description=_l(
            "A yes to the question creates a follow-up with the company and the answers of its "
            "parts; nothing else of the response goes with it"
        ),
    )
    number_min = StringField(_l("Number: smallest allowed"))
    number_max = StringField(_l("Number: largest allowed"))
    number_integer = BooleanField(_l("Number: whole numbers only"))
    max_length = StringField(_l("Text: most characters"))
    show_if_question = StringField(
        _l("Show only if question (key)"), description=_l("An earlier question, e.g. KONTAKT_HAFT")
    )
    show_if_values = StringField(
        _l("… has one of the answers"), description=_l("Separated by spaces, e.g. yes or 5 6")
    )
    index_role = StringField(
        _l("Index (scale)"), description=_l("nki or a service factor such as bemotande")
    )
    weight = StringField(_l("Weight in the index"), description=_l("Empty means 1"))
