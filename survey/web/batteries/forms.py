"""Builder forms: plain text fields; the builder services check and explain every value."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from survey.forms.fields import MultiCheckboxField
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
    """A new battery: its texts (its key is made from the title unless a tool posts one)."""

    key = HiddenField()


class DuplicateForm(FlaskForm):
    """The key of the copy."""

    key = StringField(
        _l("Short name of the copy"),
        description=_l("Optional: a-z, 0-9 and -. Left empty, it is made from the original's."),
    )


class PublishForm(FlaskForm):
    """Confirm a publish; `anyway` when it breaks an index's comparability over time."""

    anyway = BooleanField(_l("Publish anyway: I know the index cannot be compared over time"))


class SectionForm(FlaskForm):
    """A section (a page of questions); a new one's key is made from its title."""

    key = HiddenField()
    title_sv = StringField(_l("Title (Swedish)"))
    title_en = StringField(_l("Title (English)"))
    description_sv = TextAreaField(_l("Description (Swedish)"))
    description_en = TextAreaField(_l("Description (English)"))


INDEX_LABELS = {
    "": _l("No index"),
    "nki": _l("NKI – satisfied customer index"),
    "information": _l("Information"),
    "tillganglighet": _l("Accessibility"),
    "bemotande": _l("Treatment"),
    "kompetens": _l("Competence"),
    "rattssakerhet": _l("Legal certainty"),
    "effektivitet": _l("Efficiency"),
}
TYPE_HINTS = {
    "scale": _l("A grade on a scale, e.g. 1 to 6."),
    "matrix": _l("Several statements graded on the same scale, shown as a table."),
    "single_choice": _l("One answer from a list."),
    "multiple_choice": _l("Any number of answers from a list."),
    "yes_no": _l("Yes or no."),
    "nps": _l("How likely to recommend, 0 to 10."),
    "short_text": _l("One line of text."),
    "long_text": _l("Free text, several lines."),
    "number": _l("A number, e.g. the number of employees."),
    "date": _l("A date."),
}
TYPE_LABELS["matrix"] = _l("Matrix (several statements on one scale)")


def index_choices(current: str = "") -> list[SelectChoice]:
    """Return the index roles to choose from (a local role already set stays choosable)."""
    choices = [SelectChoice(value, label) for value, label in INDEX_LABELS.items()]
    if current and current not in INDEX_LABELS:
        choices.append(SelectChoice(current, current))
    return choices


class OptionRowForm(Form):
    """One answer option: its labels side by side (its key is kept out of sight)."""

    key = HiddenField()
    label_sv = StringField(_l("Swedish"))
    label_en = StringField(_l("English"))
    exclusive = BooleanField(_l("Chosen alone"))


class ItemRowForm(Form):
    """One statement of a matrix."""

    key = HiddenField()
    text_sv = StringField(_l("Swedish"))
    text_en = StringField(_l("English"))
    index_role = SelectField(_l("Index"), choices=index_choices(), validate_choice=False)
    weight = StringField(_l("Weight"))
    required = BooleanField(_l("Required"))


class QuestionForm(FlaskForm):
    """A question; the template shows only the fields of its type."""

    type = SelectField(
        _l("Question type"),
        choices=[SelectChoice(kind, TYPE_LABELS[kind]) for kind in (*QUESTION_TYPES, "matrix")],
        validate_choice=False,
    )
    key = HiddenField()
    matrix_key = HiddenField()
    text_sv = TextAreaField(_l("Question in Swedish"))
    text_en = TextAreaField(_l("Question in English"))
    help_sv = TextAreaField(
        _l("Help text in Swedish"), description=_l("Optional, shown under the question.")
    )
    help_en = TextAreaField(_l("Help text in English"))
    required = BooleanField(_l("An answer is required"))
    scale_min = StringField(_l("Lowest point"), default="1")
    scale_max = StringField(_l("Highest point"), default="6")
    min_label_sv = StringField(_l("Lowest point means (Swedish)"), description=_l("E.g. Inte alls"))
    min_label_en = StringField(_l("Lowest point means (English)"))
    max_label_sv = StringField(
        _l("Highest point means (Swedish)"), description=_l("E.g. Helt och hållet")
    )
    max_label_en = StringField(_l("Highest point means (English)"))
    dont_know = BooleanField(_l("Offer “Don't know / not applicable”"))
    index_role = SelectField(
        _l("Part of an index"),
        choices=index_choices(),
        validate_choice=False,
        description=_l("The dashboard's indices are made of the questions chosen here."),
    )
    weight = StringField(_l("Weight in the index"), description=_l("Leave empty for 1."))
    options = FieldList(FormField(OptionRowForm))
    items = FieldList(FormField(ItemRowForm))
    service_area = BooleanField(
        _l("The answer tells which service area the case was about"),
        description=_l("Only when each option is one of the municipality's service areas."),
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
    number_min = StringField(_l("Smallest number allowed"))
    number_max = StringField(_l("Largest number allowed"))
    number_integer = BooleanField(_l("Whole numbers only"))
    max_length = StringField(
        _l("Most characters in the answer"), description=_l("Leave empty for the usual limit.")
    )
    show_if_question = SelectField(
        _l("Show the question only after this question's answer"),
        validate_choice=False,
        description=_l("Leave it at “Always show” if everyone should answer."),
    )
    show_if_values = MultiCheckboxField(
        _l("Show it if the answer is any of"), validate_choice=False
    )
