"""Show-if: which questions a respondent sees, given the answers so far (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey.questionnaires import model as spec


def _as_condition_values(value: Any) -> set[str]:
    """Return an answer as the set of strings a condition compares with ("5", "yes", keys)."""
    if value is None or value == "dont_know":
        return set()
    if isinstance(value, list | tuple | set):
        return {str(item) for item in value}
    if isinstance(value, bool):
        return {"yes" if value else "no"}
    if isinstance(value, float) and value.is_integer():
        return {str(int(value))}
    return {str(value)}


def visible(question: spec.Question, answers: Mapping[str, Any]) -> bool:
    """Tell whether `question` is shown: it has no show-if, or the answer it depends on matches."""
    condition = question.show_if
    if condition is None:
        return True
    return bool(_as_condition_values(answers.get(condition.question)) & set(condition.values))


def visible_keys(definition: spec.Battery, answers: Mapping[str, Any]) -> set[str]:
    """Return the keys of every question shown, evaluated in order over all sections.

    An answer to a hidden question does not count: a question that depends on a hidden
    question is hidden too.
    """
    shown: set[str] = set()
    effective: dict[str, Any] = {}
    for question in definition.questions():
        if visible(question, effective):
            shown.add(question.key)
            if question.key in answers:
                effective[question.key] = answers[question.key]
    return shown


def effective_answers(definition: spec.Battery, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Return `answers` without unknown keys, empty values and answers to hidden questions."""
    shown = visible_keys(definition, answers)
    return {
        question.key: answers[question.key]
        for question in definition.questions()
        if question.key in shown and answers.get(question.key) not in (None, "", [])
    }
