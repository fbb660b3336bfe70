"""Conditions as an official sees them: earlier questions and their answers, by their labels."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from survey.questionnaires import model as spec


@dataclass(frozen=True)
class Target:
    """A question a condition may refer to, with its possible answers (value, label)."""

    key: str
    text: str
    answers: tuple[tuple[str, str], ...]


def answers_of(question: spec.Question) -> tuple[tuple[str, str], ...]:
    """Return the answers a condition can name, each with the label the company sees."""
    if question.type in spec.CHOICE_TYPES:
        return tuple((o.key, o.label.sv) for o in question.options)
    if question.type == "yes_no":
        return (("yes", _("Yes")), ("no", _("No")))
    if question.type == "nps":
        return tuple((str(n), str(n)) for n in range(spec.NPS_MIN, spec.NPS_MAX + 1))
    scale = question.scale
    if question.type != "scale" or scale is None:
        return ()
    ends = {scale.min: scale.min_label, scale.max: scale.max_label}
    return tuple(
        (str(n), f"{n} – {ends[n].sv}" if ends.get(n) else str(n))  # type: ignore[union-attr]
        for n in range(scale.min, scale.max + 1)
    )


def targets_before(
    definition: spec.Battery, section_key: str, first_key: str | None
) -> list[Target]:
    """Return the questions before a question (or the end of a section when `first_key` is None)."""
    found: list[Target] = []
    for section in definition.sections:
        for question in section.questions:
            if question.key == first_key:
                return found
            if question.type in spec.CONDITION_TYPES:
                text = question.text.sv
                if question.matrix is not None:
                    text = f"{question.matrix.text.sv}: {text}"
                found.append(Target(question.key, text, answers_of(question)))
        if section.key == section_key and first_key is None:
            return found
    return found


def describe(definition: spec.Battery, condition: spec.Condition | None) -> tuple[str, str] | None:
    """Return (question text, answers) of a condition in words, e.g. ("Fick ni hjälp?", "Nej")."""
    if condition is None:
        return None
    try:
        target = definition.question(condition.question)
    except KeyError:
        return (condition.question, ", ".join(condition.values))
    labels = dict(answers_of(target))
    return (target.text.sv, "; ".join(labels.get(v, v) for v in condition.values))
