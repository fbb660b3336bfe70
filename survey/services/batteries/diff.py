"""What changed between two versions of a battery, and which changes break an index's trend.

Questions are matched by key (the key is what trends join on). An index over time stays
comparable only while its items keep their scale, weight and role and none is removed; a
publish that changes one of these is confirmed with the reason shown (DESIGN.md: a later
version never changes an earlier response's index, so the two periods measure differently).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from survey.questionnaires import model as spec


@dataclass(frozen=True)
class Change:
    """One difference: `kind` is added, removed, text, scale, role, options, type or condition."""

    key: str
    text: str
    kind: str
    detail: str


@dataclass(frozen=True)
class Breach:
    """A change that breaks the comparability of an index over time, with the reason."""

    key: str
    text: str
    index: str
    reason: str


def _scale(question: spec.Question) -> str:
    scale = question.scale
    if question.type == "nps":
        return "0–10"
    return f"{scale.min}–{scale.max}" if scale else "–"


def _label(question: spec.Question) -> str:
    if question.matrix is not None:
        return f"{question.matrix.text.sv}: {question.text.sv}"
    return question.text.sv


def diff(old: spec.Battery, new: spec.Battery) -> list[Change]:
    """Return the changes from `old` to `new`, question by question (by key), in `new`'s order."""
    before = {q.key: q for q in old.questions()}
    after = {q.key: q for q in new.questions()}
    changes: list[Change] = []
    for key, question in after.items():
        earlier = before.get(key)
        if earlier is None:
            changes.append(Change(key, _label(question), "added", _("New question.")))
            continue
        changes.extend(_changes(earlier, question))
    for key, question in before.items():
        if key not in after:
            changes.append(Change(key, _label(question), "removed", _("Removed.")))
    return changes


def _changes(old: spec.Question, new: spec.Question) -> list[Change]:
    found: list[Change] = []
    label = _label(new)

    def add(kind: str, detail: str) -> None:
        found.append(Change(new.key, label, kind, detail))

    if old.type != new.type:
        add("type", _("The question type changed."))
    if (old.text, old.help, old.matrix) != (new.text, new.help, new.matrix):
        add("text", _("The text changed (was “%(old)s”).", old=_label(old)))
    if (old.scale != new.scale) and old.type == new.type:
        add(
            "scale",
            _("The scale changed from %(old)s to %(new)s.", old=_scale(old), new=_scale(new)),
        )
    if (old.index, old.weight) != (new.index, new.weight):
        add(
            "role",
            _("The index role changed from %(old)s to %(new)s.", old=_role(old), new=_role(new)),
        )
    if old.options != new.options:
        add("options", _("The answer options changed."))
    if old.show_if != new.show_if:
        add("condition", _("When the question is shown changed."))
    return found


def _role(question: spec.Question) -> str:
    if question.index is None:
        return _("none")
    if question.weight != 1.0:
        return f"{question.index} ({question.weight:g})"
    return question.index


def breaches(old: spec.Battery, new: spec.Battery) -> list[Breach]:
    """Return the changes that make an index incomparable with the earlier version's."""
    before = {q.key: q for q in old.questions()}
    after = {q.key: q for q in new.questions()}
    found: list[Breach] = []
    for key, earlier in before.items():
        if earlier.index is None:
            continue
        later = after.get(key)
        text, index = _label(earlier), earlier.index
        if later is None:
            reason = _("The item is removed: the index is then made of other items than before.")
        elif (later.type, later.scale and (later.scale.min, later.scale.max)) != (
            earlier.type,
            earlier.scale and (earlier.scale.min, earlier.scale.max),
        ):
            reason = _(
                "The scale changes from %(old)s to %(new)s: answers on different scales give "
                "different index values for the same satisfaction.",
                old=_scale(earlier),
                new=_scale(later),
            )
        elif later.index != earlier.index:
            reason = _("The item leaves the index (or moves to another one).")
        elif later.weight != earlier.weight:
            old_weight, new_weight = f"{earlier.weight:g}", f"{later.weight:g}"
            reason = _(
                "The weight changes from %(old)s to %(new)s: the index is weighted differently.",
                old=old_weight,
                new=new_weight,
            )
        else:
            continue
        found.append(Breach(key, text, index, reason))
    for key, later in after.items():
        joins = key not in before or before[key].index is None
        if later.index is not None and joins and _has_index(old, later.index):
            reason = _("A new item joins the index: it is then made of other items than before.")
            found.append(Breach(key, _label(later), later.index, reason))
    return found


def _has_index(battery: spec.Battery, index: str) -> bool:
    return any(q.index == index for q in battery.questions())
