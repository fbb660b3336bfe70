"""The questionnaire form engine: generated section forms, show-if and canonical answers.

See `survey.forms.questionnaire` for the API and templates/questionnaire/_form.html for
rendering.
"""

from __future__ import annotations

from survey.forms.questionnaire import (
    QuestionnaireForm,
    build_all_section_forms,
    build_section_form,
    definition_for,
    submit_all_section_forms,
    text_in,
)
from survey.questionnaires.values import DONT_KNOW, InvalidAnswer, clean_value, form_value
from survey.questionnaires.visibility import effective_answers, visible, visible_keys

__all__ = [
    "DONT_KNOW",
    "InvalidAnswer",
    "QuestionnaireForm",
    "build_all_section_forms",
    "build_section_form",
    "clean_value",
    "definition_for",
    "effective_answers",
    "form_value",
    "submit_all_section_forms",
    "text_in",
    "visible",
    "visible_keys",
]
