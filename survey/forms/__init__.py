"""The questionnaire form engine: generated section forms, show-if and canonical answers.

See `survey.forms.questionnaire` for the API and templates/questionnaire/_form.html for
rendering.
"""

from __future__ import annotations

from survey.forms.questionnaire import (
    QuestionnaireForm,
    build_section_form,
    definition_for,
    text_in,
)
from survey.forms.values import DONT_KNOW, InvalidAnswer, clean_value, form_value
from survey.forms.visibility import effective_answers, visible, visible_keys

__all__ = [
    "DONT_KNOW",
    "InvalidAnswer",
    "QuestionnaireForm",
    "build_section_form",
    "clean_value",
    "definition_for",
    "effective_answers",
    "form_value",
    "text_in",
    "visible",
    "visible_keys",
]
