"""Check a question's show_if against the questions that come before it."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from survey.questionnaires.fields import Reader, join
from survey.questionnaires.model import (
    CHOICE_TYPES,
    CONDITION_TYPES,
    NPS_MAX,
    NPS_MIN,
    YES_NO_VALUES,
    Condition,
    Question,
)


@dataclass
class QuestionScope:
    """What is known about the battery's questions while they are read in order."""

    all_keys: set[str]
    seen: dict[str, str] = field(default_factory=dict)
    earlier: dict[str, Question] = field(default_factory=dict)
    matrices: dict[str, str] = field(default_factory=dict)


def check_condition(
    reader: Reader, question: Question, location: str, scope: QuestionScope
) -> Question:
    """Report a show_if that cannot be answered before `question`; canonicalise its values."""
    condition = question.show_if
    if condition is None:
        return question
    where = join(location, "show_if")
    target = scope.earlier.get(condition.question)
    if target is None:
        _report_missing_target(
            reader, condition.question, question.key, join(where, "question"), scope
        )
        return question
    if target.type not in CONDITION_TYPES:
        message = (
            f"{target.key} is a {target.type} question; refer to a choice, yes_no, scale or nps"
        )
        reader.add(join(where, "question"), message)
        return question
    allowed = _possible_answers(target)
    if allowed is None:
        return question
    values = tuple(_canonical(value, target) for value in condition.values)
    for value in values:
        if value not in allowed:
            message = f"{value!r} is not a possible answer to {target.key} ({', '.join(allowed)})"
            reader.add(where, message)
    return dataclasses.replace(question, show_if=Condition(condition.question, values))


def _report_missing_target(
    reader: Reader, target: str, own: str, where: str, scope: QuestionScope
) -> None:
    if target == own:
        reader.add(where, "a question cannot depend on itself")
    elif target in scope.seen:
        pass  # the target exists but has problems of its own, reported there
    elif target in scope.all_keys:
        reader.add(where, f"must refer to an earlier question; {target} comes later")
    else:
        reader.add(where, f"refers to unknown question {target!r}")


def _possible_answers(target: Question) -> tuple[str, ...] | None:
    """Return the answers a condition may test for, or None if the target's scale was invalid."""
    if target.type in CHOICE_TYPES:
        return target.option_keys()
    if target.type == "yes_no":
        return YES_NO_VALUES
    if target.type == "nps":
        return tuple(str(n) for n in range(NPS_MIN, NPS_MAX + 1))
    if target.scale is None:
        return None
    return tuple(str(n) for n in range(target.scale.min, target.scale.max + 1))


def _canonical(value: str, target: Question) -> str:
    """Return a scale or NPS value as a plain integer string ("05" -> "5")."""
    if target.type in ("scale", "nps") and re.fullmatch(r"\s*[+-]?[0-9]{1,4}\s*", value):
        return str(int(value))
    return value
