"""Generate the WTForms form of one questionnaire section (page) from a battery version.

Public API (also used by the respondent pages at /s/<token>)::

    form = build_section_form(version, section, language="sv", data=answers_so_far,
                              formdata=request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        answers = form.merged_answers()   # all answers so far + this page, hidden ones dropped
        ...                               # keep as a draft (JSON) or store_response(...)

- `version` is a BatteryVersion (or a plain `survey.questionnaires.Battery`); `section` is a
  Section row, a plain Section or a section key.
- `data` is the canonical answers dict of everything answered so far (all sections, see
  `survey.questionnaires.values`); it fills the page in again and decides show-if conditions that
  depend on earlier pages. Such questions whose condition is not met are not in the form.
- Fields are named by the stable question key; `form.questions[key]` is the question's
  definition. Labels and help come in `language` (Swedish when the English text is missing).
- A question whose condition depends on a question on the same page is in the form with
  `form.show_if(key)` set; the template marks it with `data-show-if` so static/js/showif.js
  can hide it, and on submit the server decides again: a hidden question is neither
  required nor answered (`form.answers()` leaves it out).
- `form.answers()` returns this page's canonical answers after validation.
- All sections on one page (preview, interview): `build_all_section_forms(version,
  language=...)` for GET and `submit_all_section_forms(version, language=...,
  formdata=request.form)` -> (forms, answers or None) for POST; render with
  `questionnaire_sections(forms)`.

Render with the macros in templates/questionnaire/_form.html (`questionnaire_section(form)`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from survey.forms.fields import DateTextField, MultiCheckboxField, NumberTextField, RadioField
from survey.questionnaires import model as spec
from survey.questionnaires.published import published_versions
from survey.questionnaires.values import DONT_KNOW, InvalidAnswer, clean_value, form_value
from survey.questionnaires.visibility import effective_answers, visible

__all__ = [
    "QuestionnaireForm",
    "build_all_section_forms",
    "build_section_form",
    "definition_for",
    "submit_all_section_forms",
    "text_in",
]


def text_in(text: spec.Text | None, language: str) -> str:
    """Return a text in `language`, falling back to Swedish."""
    if text is None:
        return ""
    return (text.en or text.sv) if language == "en" else text.sv


def definition_for(version: Any) -> spec.Battery:
    """Return the plain definition of a BatteryVersion (a definition passes through).

    A published version's definition is built once per app process
    (`survey.questionnaires.published`).
    """
    if isinstance(version, spec.Battery):
        return version
    from survey.services.batteries.mapping import version_definition

    return version_definition(version)


def _section_of(definition: spec.Battery, section: Any) -> spec.Section:
    key = section if isinstance(section, str) else section.key
    for candidate in definition.sections:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


class _Check:
    """The engine's only validator: skip hidden questions, require, then clean the value."""

    def __init__(self, question: spec.Question, required_message: str) -> None:
        self.question = question
        self.required_message = required_message
        self.field_flags = {"required": True} if question.required else {}

    def __call__(self, form: QuestionnaireForm, field: Field) -> None:
        if field.short_name in form.hidden:
            raise StopValidation()
        value = form.cleaned().get(field.short_name)
        if isinstance(value, InvalidAnswer):
            raise StopValidation(value.message)
        if value is None and self.question.required:
            raise StopValidation(self.required_message)


class QuestionnaireForm(FlaskForm):
    """Base class of the generated section forms."""

    definition: spec.Battery
    section: spec.Section
    language: str
    questions: dict[str, spec.Question]
    previous: dict[str, Any]  # the answers of the other sections
    hidden: set[str]
    show_all: bool

    def text(self, text: spec.Text | None) -> str:
        """Return a definition text in the form's language (for templates)."""
        return text_in(text, self.language)

    def show_if(self, key: str) -> spec.Condition | None:
        """Return the condition to mark for showif.js (same page, or any with show_all)."""
        condition = self.questions[key].show_if
        if condition is not None and (self.show_all or condition.question in self.questions):
            return condition
        return None

    def matrix_items(self, key: str) -> list[str]:
        """Return the keys in this form of the matrix that question `key` belongs to."""
        matrix = self.questions[key].matrix
        if matrix is None:
            return [key]
        return [k for k, q in self.questions.items() if q.matrix and q.matrix.key == matrix.key]

    def cleaned(self) -> dict[str, Any]:
        """Return each question's canonical value (None unanswered, InvalidAnswer if wrong).

        Worked out once for the fields' current data: validation, `answers()` and
        `merged_answers()` all read it, and it is worked out again only when the data changed.
        """
        data = [_snapshot(self._fields[key].data) for key in self.questions]
        kept = self.__dict__.get("_cleaned")
        if kept is not None and kept[0] == data:
            return kept[1]
        cleaned: dict[str, Any] = {}
        for key, question in self.questions.items():
            try:
                cleaned[key] = clean_value(question, self._fields[key].data)
            except InvalidAnswer as error:
                cleaned[key] = error
        self._cleaned = (data, cleaned)
        return cleaned

    def _page_values(self) -> dict[str, Any]:
        return {
            key: value
            for key, value in self.cleaned().items()
            if value is not None and not isinstance(value, InvalidAnswer)
        }

    def _hidden_now(self) -> set[str]:
        answers = {**self.previous, **self._page_values()}
        hidden: set[str] = set()
        effective = dict(self.previous)
        for key, question in self.questions.items():
            if visible(question, effective):
                if key in answers:
                    effective[key] = answers[key]
            else:
                hidden.add(key)
                effective.pop(key, None)
        return hidden

    def validate(self, extra_validators: Any = None) -> bool:
        """Validate the visible questions; questions hidden by show-if are skipped."""
        self.hidden = self._hidden_now()
        return super().validate(extra_validators)

    def answers(self) -> dict[str, Any]:
        """Return this page's canonical answers (visible and answered questions only)."""
        values = self._page_values()
        hidden = self._hidden_now()
        return {k: v for k, v in values.items() if k not in hidden}

    def merged_answers(self) -> dict[str, Any]:
        """Return every answer so far with this page's replaced, hidden questions dropped."""
        return effective_answers(self.definition, {**self.previous, **self.answers()})


def _snapshot(data: Any) -> Any:
    """Return a field's data as kept to compare with later (lists copied)."""
    return list(data) if isinstance(data, list) else data


def build_section_form(
    version: Any,
    section: Any,
    *,
    language: str,
    data: dict[str, Any] | None = None,
    formdata: Any = None,
    show_all: bool = False,
    csrf: bool = True,
    prefix: str = "",
) -> QuestionnaireForm:
    """Return the form of one section, filled with `data` or the submitted `formdata`.

    `show_all` keeps questions that depend on earlier pages in the form (marked for
    showif.js), for all sections rendered in one <form> (preview, interview); validation
    still skips those hidden by the answers in `data`. `csrf` False leaves out the form's
    own CSRF field: the sections of one <form> share the page's one token, which
    CSRFProtect checks for the whole POST before any view runs. `prefix` goes before every
    field name and id (the builder shows a Swedish and an English preview on one page).
    """
    definition = definition_for(version)
    section_def = _section_of(definition, section)
    previous = effective_answers(definition, data or {})
    on_page = {question.key for question in section_def.questions}
    before = _answers_before(definition, section_def, previous)
    questions: dict[str, spec.Question] = {}
    for question in section_def.questions:
        condition = question.show_if
        hidden_before = condition and condition.question not in on_page and not show_all
        if hidden_before and not visible(question, before):
            continue  # hidden by an answer on an earlier page
        questions[question.key] = question
    form_class = _form_class(definition, section_def, questions, language)
    values = {key: form_value(questions[key], previous.get(key)) for key in questions}
    form = form_class(formdata=formdata, data=values, meta={"csrf": csrf}, prefix=prefix)
    form.definition, form.section, form.language = definition, section_def, language
    others = {k: v for k, v in previous.items() if k not in on_page}
    form.questions, form.previous, form.hidden = questions, others, set()
    form.show_all = show_all
    return form


def _form_class(
    definition: spec.Battery,
    section: spec.Section,
    questions: dict[str, spec.Question],
    language: str,
) -> type[QuestionnaireForm]:
    """Return the form class of these questions (generated once per published version)."""

    def build() -> type[QuestionnaireForm]:
        with force_locale(language):
            fields = {key: _field(question, language) for key, question in questions.items()}
        return type("SectionForm", (QuestionnaireForm,), fields)

    cache = published_versions()
    if cache is None:
        return build()
    return cache.derived(definition, ("form", section.key, language, tuple(questions)), build)


def _answers_before(
    definition: spec.Battery, section: spec.Section, answers: dict[str, Any]
) -> dict[str, Any]:
    earlier: set[str] = set()
    for candidate in definition.sections:
        if candidate.key == section.key:
            break
        earlier.update(question.key for question in candidate.questions)
    return {k: v for k, v in answers.items() if k in earlier}


def _field(question: spec.Question, language: str) -> Any:
    """Return the unbound field of one question (called under the respondent's locale)."""
    check = _Check(question, _("Answer this question."))
    common: dict[str, Any] = {
        "label": text_in(question.text, language),
        "description": text_in(question.help, language),
        "validators": [check],
    }
    kind = question.type
    if kind in ("scale", "nps", "single_choice", "yes_no"):
        return RadioField(choices=_choices(question, language), **common)
    if kind == "multiple_choice":
        return MultiCheckboxField(choices=_choices(question, language), **common)
    if kind == "number":
        return NumberTextField(render_kw=_number_attributes(question), **common)
    if kind == "date":
        return DateTextField(**common)
    limit = question.max_length or spec.TEXT_MAX_LENGTH_DEFAULTS[kind]
    field_class = TextAreaField if kind == "long_text" else StringField
    return field_class(render_kw={"maxlength": limit}, **common)


def _choices(question: spec.Question, language: str) -> list[SelectChoice]:
    if question.type in spec.CHOICE_TYPES:
        return [SelectChoice(o.key, text_in(o.label, language)) for o in question.options]
    if question.type == "yes_no":
        return [SelectChoice("yes", _("Yes")), SelectChoice("no", _("No"))]
    if question.type == "nps":
        ends = {spec.NPS_MIN: _("Not at all likely"), spec.NPS_MAX: _("Extremely likely")}
        points = range(spec.NPS_MIN, spec.NPS_MAX + 1)
        return [SelectChoice(str(n), _point_label(n, ends.get(n))) for n in points]
    scale = question.scale
    if scale is None:  # a parsed scale question always has its scale
        return []
    ends = {
        scale.min: text_in(scale.min_label, language) or None,
        scale.max: text_in(scale.max_label, language) or None,
    }
    choices = [
        SelectChoice(str(n), _point_label(n, ends.get(n))) for n in range(scale.min, scale.max + 1)
    ]
    if scale.dont_know:
        choices.append(SelectChoice(DONT_KNOW, _("Don't know / not applicable")))
    return choices


def _point_label(number: int, end: str | None) -> str:
    return f"{number} – {end}" if end else str(number)


def _number_attributes(question: spec.Question) -> dict[str, Any]:
    bounds = question.number
    attributes: dict[str, Any] = {"step": "1" if bounds and bounds.integer else "any"}
    attributes["inputmode"] = "numeric" if bounds and bounds.integer else "decimal"
    if bounds and bounds.min is not None:
        attributes["min"] = f"{bounds.min:g}"
    if bounds and bounds.max is not None:
        attributes["max"] = f"{bounds.max:g}"
    return attributes


def build_all_section_forms(
    version: Any, *, language: str, data: dict[str, Any] | None = None
) -> list[QuestionnaireForm]:
    """Return one form per section, for rendering every section in one <form>."""
    definition = definition_for(version)
    return [
        build_section_form(
            definition, section, language=language, data=data, show_all=True, csrf=False
        )
        for section in definition.sections
    ]


def submit_all_section_forms(
    version: Any, *, language: str, formdata: Any
) -> tuple[list[QuestionnaireForm], dict[str, Any] | None]:
    """Validate every section of a one-page submission in order.

    Returns the forms (with their errors) and the canonical answers, or None when any
    section has errors. Each section is judged with the answers of the sections before it.
    """
    definition = definition_for(version)
    answers: dict[str, Any] = {}
    forms, valid = [], True
    for section in definition.sections:
        form = build_section_form(
            definition,
            section,
            language=language,
            data=answers,
            formdata=formdata,
            show_all=True,
            csrf=False,
        )
        valid = form.validate() and valid
        answers = form.merged_answers()
        forms.append(form)
    return forms, answers if valid else None
