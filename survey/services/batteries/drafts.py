"""A question as the builder's editor holds it, checked in the official's words.

The editor shows only the fields of the question's type, answer options and matrix items
as rows, and conditions chosen from lists. `question_block` turns what was entered into
battery definitions (one question, or a matrix's items) with keys suggested from the texts,
or raises `InvalidDraft` with each problem named for the field it is about.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask_babel import gettext as _

from survey.questionnaires import model as spec
from survey.services.batteries import keys
from survey.services.batteries.validation import InvalidDraft

MATRIX = "matrix"
EDITOR_TYPES: tuple[str, ...] = (*spec.QUESTION_TYPES, MATRIX)
TEXT_LIMIT, OPTION_LIMIT, LABEL_LIMIT = 2000, 300, 100


@dataclass(frozen=True)
class OptionRow:
    """One answer option: its kept key (empty for a new one) and labels."""

    key: str = ""
    sv: str = ""
    en: str = ""
    exclusive: bool = False


@dataclass(frozen=True)
class ItemRow:
    """One statement of a matrix: its kept key, texts and statistics role."""

    key: str = ""
    sv: str = ""
    en: str = ""
    index: str = ""
    weight: str = ""
    required: bool = False


@dataclass(frozen=True)
class QuestionDraft:
    """Everything the question editor holds; only the fields of `type` are used."""

    type: str
    key: str = ""
    matrix_key: str = ""
    text_sv: str = ""
    text_en: str = ""
    help_sv: str = ""
    help_en: str = ""
    required: bool = False
    scale_min: str = "1"
    scale_max: str = "6"
    min_label_sv: str = ""
    min_label_en: str = ""
    max_label_sv: str = ""
    max_label_en: str = ""
    dont_know: bool = False
    index_role: str = ""
    weight: str = ""
    options: tuple[OptionRow, ...] = ()
    items: tuple[ItemRow, ...] = ()
    number_min: str = ""
    number_max: str = ""
    number_integer: bool = False
    max_length: str = ""
    service_area: bool = False
    contact: str = ""
    show_if_question: str = ""
    show_if_values: tuple[str, ...] = ()


@dataclass
class _Problems:
    found: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.found.setdefault(name, []).append(message)

    def number(self, name: str, raw: str, *, whole: bool = False) -> float | None:
        if not raw.strip():
            return None
        try:
            value = float(raw.strip().replace(",", ".").replace("−", "-"))
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.add(name, _("Enter a number, for example 12 or 2,5."))
            return None
        if whole and not value.is_integer():
            self.add(name, _("Enter a whole number."))
            return None
        return value

    def text(
        self, name: str, sv: str, en: str, *, limit: int, needed: str | None
    ) -> spec.Text | None:
        sv, en = sv.strip(), en.strip()
        if not sv and en:
            self.add(name + "_sv", _("Write the Swedish text too: it is the one always shown."))
        elif not sv and needed:
            self.add(name + "_sv", needed)
        for lang, value in (("sv", sv), ("en", en)):
            if len(value) > limit:
                self.add(f"{name}_{lang}", _("At most %(n)s characters.", n=limit))
        return spec.Text(sv=sv, en=en or None) if sv else None


def question_block(
    draft: QuestionDraft, *, taken: set[str], matrices: set[str]
) -> list[spec.Question]:
    """Return the question(s) of a draft, or raise InvalidDraft naming each field's problem.

    `taken` holds the question keys new keys must avoid; kept keys in the draft stay.
    `matrices` holds the matrix keys used elsewhere in the battery.
    """
    problems = _Problems()
    if draft.type not in EDITOR_TYPES:
        problems.add("type", _("Choose a question type."))
        raise InvalidDraft(problems.found)
    needed = (
        _("Write the heading of the statements in Swedish.")
        if draft.type == MATRIX
        else _("Write the question in Swedish.")
    )
    text = problems.text("text", draft.text_sv, draft.text_en, limit=TEXT_LIMIT, needed=needed)
    help_text = problems.text("help", draft.help_sv, draft.help_en, limit=TEXT_LIMIT, needed=None)
    condition = _condition(draft, problems)
    kind = "scale" if draft.type == MATRIX else draft.type
    typed = _typed(draft, kind, problems)
    if draft.type == MATRIX:
        result = _matrix(draft, text, help_text, condition, typed, problems, taken, matrices)
    else:
        key = draft.key.strip() or keys.question_key(draft.text_sv, taken)
        result = [
            spec.Question(
                key=key,
                type=kind,
                text=text or spec.Text(sv=""),
                help=help_text,
                required=draft.required,
                show_if=condition,
                **typed,  # type: ignore[arg-type]
            )
        ]
    if problems.found:
        raise InvalidDraft(problems.found)
    return result


def _condition(draft: QuestionDraft, problems: _Problems) -> spec.Condition | None:
    if not draft.show_if_question.strip():
        return None
    values = tuple(v for v in draft.show_if_values if v.strip())
    if not values:
        problems.add("show_if_values", _("Tick at least one answer that shows the question."))
    return spec.Condition(question=draft.show_if_question.strip(), values=values)


def _contact(role: str, kind: str, problems: _Problems) -> dict[str, object]:
    """Return the question's part in the contact request, if it has one that fits its type."""
    role = (role or "").strip()
    if not role:
        return {}
    if role not in spec.CONTACT_ROLES:
        problems.add("contact", _("Choose a part of the contact request from the list."))
    elif kind not in spec.CONTACT_ROLES[role]:
        message = {
            "request": _("The contact request itself must be a yes/no question."),
            "about": _("What the contact is about must be a text question."),
        }.get(role, _("A phone number or e-mail address must be a short text question."))
        problems.add("contact", message)
    return {"contact": role}


def _typed(draft: QuestionDraft, kind: str, problems: _Problems) -> dict[str, object]:
    typed: dict[str, object] = {}
    if kind == "scale":
        typed["scale"] = _scale(draft, problems)
        if draft.type != MATRIX:
            typed.update(_index(draft.index_role, draft.weight, "weight", problems))
    if kind in spec.CHOICE_TYPES:
        typed["options"] = _options(draft, kind, problems)
    if kind == "single_choice":
        typed["service_area"] = draft.service_area
    typed.update(_contact(draft.contact, kind, problems))
    if kind == "number":
        low = problems.number("number_min", draft.number_min)
        high = problems.number("number_max", draft.number_max)
        if low is not None and high is not None and low > high:
            problems.add("number_max", _("The largest number must not be below the smallest."))
        bounds = spec.NumberBounds(min=low, max=high, integer=draft.number_integer)
        typed["number"] = None if bounds == spec.NumberBounds() else bounds
    if kind in spec.TEXT_MAX_LENGTH_DEFAULTS:
        length = problems.number("max_length", draft.max_length, whole=True)
        limit = {"short_text": 1000, "long_text": 20000}[kind]
        if length is not None and not 1 <= length <= limit:
            problems.add("max_length", _("Enter a number of characters from 1 to %(n)s.", n=limit))
            length = None
        typed["max_length"] = int(length) if length else spec.TEXT_MAX_LENGTH_DEFAULTS[kind]
    return typed


def _scale(draft: QuestionDraft, problems: _Problems) -> spec.Scale:
    low = problems.number("scale_min", draft.scale_min, whole=True)
    high = problems.number("scale_max", draft.scale_max, whole=True)
    if low is None and "scale_min" not in problems.found:
        problems.add("scale_min", _("Enter the lowest point of the scale, e.g. 1."))
    if high is None and "scale_max" not in problems.found:
        problems.add("scale_max", _("Enter the highest point of the scale, e.g. 6."))
    if low is not None and high is not None and not 2 <= high - low + 1 <= 11:
        problems.add("scale_max", _("A scale has 2 to 11 points, e.g. from 1 to 6."))
    labels = {
        name: problems.text(
            name,
            getattr(draft, name + "_sv"),
            getattr(draft, name + "_en"),
            limit=LABEL_LIMIT,
            needed=None,
        )
        for name in ("min_label", "max_label")
    }
    return spec.Scale(min=int(low or 0), max=int(high or 0), dont_know=draft.dont_know, **labels)


def _index(role: str, weight_text: str, name: str, problems: _Problems) -> dict[str, object]:
    index = role.strip() or None
    weight = problems.number(name, weight_text)
    if weight is not None and index is None:
        problems.add(name, _("A weight counts only for a question in an index: choose the index."))
    if weight is not None and not 0 < weight <= 1000:
        problems.add(name, _("The weight must be above 0 (and at most 1000)."))
    return {"index": index, "weight": weight if weight and weight > 0 and index else 1.0}


def _options(draft: QuestionDraft, kind: str, problems: _Problems) -> tuple[spec.Option, ...]:
    options: list[spec.Option] = []
    used = {row.key for row in draft.options if row.key}
    for number, row in enumerate(draft.options):
        name = f"options-{number}-label"
        label = problems.text(name, row.sv, row.en, limit=OPTION_LIMIT, needed=None)
        if label is None:
            continue
        key = row.key or keys.option_key(row.sv, used)
        used.add(key)
        exclusive = row.exclusive and kind == "multiple_choice"
        options.append(spec.Option(key=key, label=label, exclusive=exclusive))
    if len(options) < 2:
        problems.add("options", _("Give at least two answer options."))
    return tuple(options)


def _matrix(
    draft: QuestionDraft,
    text: spec.Text | None,
    help_text: spec.Text | None,
    condition: spec.Condition | None,
    typed: dict[str, object],
    problems: _Problems,
    taken: set[str],
    matrices: set[str],
) -> list[spec.Question]:
    matrix_key = draft.matrix_key.strip() or keys.section_key(draft.text_sv, matrices)
    matrix = spec.Matrix(key=matrix_key, text=text or spec.Text(sv=""), help=help_text)
    used = set(taken) | {row.key for row in draft.items if row.key}
    questions: list[spec.Question] = []
    for number, row in enumerate(draft.items):
        name = f"items-{number}-text"
        item_text = problems.text(name, row.sv, row.en, limit=TEXT_LIMIT, needed=None)
        if item_text is None:
            continue
        key = row.key or keys.question_key(row.sv, used)
        used.add(key)
        role = _index(row.index, row.weight, f"items-{number}-weight", problems)
        questions.append(
            spec.Question(
                key=key,
                type="scale",
                text=item_text,
                required=row.required,
                scale=typed["scale"],  # type: ignore[arg-type]
                show_if=condition,
                matrix=matrix,
                **role,  # type: ignore[arg-type]
            )
        )
    if not questions:
        problems.add("items", _("Write at least one statement."))
    return questions


def draft_of(questions: list[spec.Question]) -> QuestionDraft:
    """Return the editor's contents for a stored question or a matrix's items."""
    first = questions[0]
    scale, number, matrix = first.scale, first.number, first.matrix

    def text(value: spec.Text | None, lang: str) -> str:
        return "" if value is None else (getattr(value, lang) or "")

    def show(value: float | None) -> str:
        return "" if value is None else f"{value:g}".replace(".", ",")

    common = {
        "text_sv": text(matrix.text if matrix else first.text, "sv"),
        "text_en": text(matrix.text if matrix else first.text, "en"),
        "help_sv": text(matrix.help if matrix else first.help, "sv"),
        "help_en": text(matrix.help if matrix else first.help, "en"),
        "show_if_question": first.show_if.question if first.show_if else "",
        "show_if_values": first.show_if.values if first.show_if else (),
    }
    if scale is not None:
        common.update(
            scale_min=str(scale.min),
            scale_max=str(scale.max),
            min_label_sv=text(scale.min_label, "sv"),
            min_label_en=text(scale.min_label, "en"),
            max_label_sv=text(scale.max_label, "sv"),
            max_label_en=text(scale.max_label, "en"),
            dont_know=scale.dont_know,
        )
    if matrix is not None:
        items = tuple(
            ItemRow(
                key=q.key,
                sv=q.text.sv,
                en=q.text.en or "",
                index=q.index or "",
                weight=show(q.weight) if q.index and q.weight != 1.0 else "",
                required=q.required,
            )
            for q in questions
        )
        return QuestionDraft(type=MATRIX, matrix_key=matrix.key, items=items, **common)  # type: ignore[arg-type]
    return QuestionDraft(
        type=first.type,
        key=first.key,
        required=first.required,
        index_role=first.index or "",
        weight=show(first.weight) if first.index and first.weight != 1.0 else "",
        options=tuple(
            OptionRow(key=o.key, sv=o.label.sv, en=o.label.en or "", exclusive=o.exclusive)
            for o in first.options
        ),
        number_min=show(number.min) if number else "",
        number_max=show(number.max) if number else "",
        number_integer=bool(number and number.integer),
        max_length=str(first.max_length)
        if first.max_length not in (None, spec.TEXT_MAX_LENGTH_DEFAULTS.get(first.type))
        else "",
        service_area=first.service_area,
        contact=first.contact or "",
        **common,  # type: ignore[arg-type]
    )
