"""What an official types in the builder's forms, turned into plain battery definitions."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask_babel import gettext as _

from survey.questionnaires import model as spec
from survey.services.battery_validation import InvalidDraft


@dataclass(frozen=True)
class TextsInput:
    """A battery's title and introduction as typed."""

    title_sv: str = ""
    title_en: str = ""
    intro_sv: str = ""
    intro_en: str = ""


@dataclass(frozen=True)
class SectionInput:
    """A section's fields as typed."""

    key: str = ""
    title_sv: str = ""
    title_en: str = ""
    description_sv: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class QuestionInput:
    """A question's fields as typed; only the fields of its type are used."""

    key: str = ""
    type: str = ""
    text_sv: str = ""
    text_en: str = ""
    help_sv: str = ""
    help_en: str = ""
    required: bool = False
    scale_min: str = ""
    scale_max: str = ""
    min_label_sv: str = ""
    min_label_en: str = ""
    max_label_sv: str = ""
    max_label_en: str = ""
    dont_know: bool = False
    options: str = ""
    number_min: str = ""
    number_max: str = ""
    number_integer: bool = False
    max_length: str = ""
    show_if_question: str = ""
    show_if_values: str = ""
    index_role: str = ""
    weight: str = ""
    service_area: bool = False
    contact: str = ""


@dataclass
class _Collector:
    problems: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.problems.setdefault(name, []).append(message)

    def integer(self, name: str, raw: str) -> int | None:
        number = self.number(name, raw)
        if number is not None and not number.is_integer():
            self.add(name, _("Enter a whole number."))
            return None
        return None if number is None else int(number)

    def number(self, name: str, raw: str) -> float | None:
        if not raw.strip():
            return None
        try:
            value = float(raw.strip().replace(",", "."))
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.add(name, _("Enter a number, for example 12 or 2,5."))
            return None
        return value


def optional_text(sv: str, en: str) -> spec.Text | None:
    """Return a Text, or None when both languages are empty (English alone stays an error)."""
    sv, en = sv.strip(), en.strip()
    if not sv and not en:
        return None
    return spec.Text(sv=sv, en=en or None)


def required_text(sv: str, en: str) -> spec.Text:
    """Return a Text whose Swedish may be empty (the validator reports it)."""
    return spec.Text(sv=sv.strip(), en=en.strip() or None)


def section_definition(data: SectionInput, questions: tuple[spec.Question, ...]) -> spec.Section:
    """Return the section definition of a typed section with its existing questions."""
    return spec.Section(
        key=data.key.strip(),
        title=required_text(data.title_sv, data.title_en),
        description=optional_text(data.description_sv, data.description_en),
        questions=questions,
    )


def parse_options(text: str, collector: _Collector) -> tuple[spec.Option, ...]:
    """Read "key | Swedish | English" lines into options."""
    options = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            message = _(
                "Line %(n)s: write key | Swedish | English (English may be left out).", n=number
            )
            collector.add("options", message)
            continue
        label = spec.Text(sv=parts[1], en=(parts[2] or None) if len(parts) == 3 else None)
        options.append(spec.Option(key=parts[0], label=label))
    return tuple(options)


def options_text(options: tuple[spec.Option, ...]) -> str:
    """Return options as the builder's "key | Swedish | English" lines."""
    return "\n".join(
        " | ".join([o.key, o.label.sv] + ([o.label.en] if o.label.en else [])) for o in options
    )


def question_definition(data: QuestionInput) -> spec.Question:
    """Return the question definition of typed input; raise InvalidDraft for unreadable numbers."""
    collector = _Collector()
    kind = data.type.strip()
    if kind not in spec.QUESTION_TYPES:
        collector.add("type", _("Choose a question type."))
    typed: dict[str, object] = {}
    if kind == "scale":
        low = collector.integer("scale_min", data.scale_min)
        high = collector.integer("scale_max", data.scale_max)
        if low is None and not collector.problems.get("scale_min"):
            collector.add("scale_min", _("Enter the lowest point of the scale."))
        if high is None and not collector.problems.get("scale_max"):
            collector.add("scale_max", _("Enter the highest point of the scale."))
        typed["scale"] = spec.Scale(
            min=low or 0,
            max=high or 0,
            min_label=optional_text(data.min_label_sv, data.min_label_en),
            max_label=optional_text(data.max_label_sv, data.max_label_en),
            dont_know=data.dont_know,
        )
        typed.update(_index(data, collector))
    if kind in spec.CHOICE_TYPES:
        typed["options"] = parse_options(data.options, collector)
    if kind == "single_choice":
        typed["service_area"] = data.service_area
    elif data.service_area:
        collector.add("service_area", _("Only a single-choice question can give the service area."))
    typed.update(_contact(data, kind, collector))
    if kind == "number":
        bounds = spec.NumberBounds(
            min=collector.number("number_min", data.number_min),
            max=collector.number("number_max", data.number_max),
            integer=data.number_integer,
        )
        typed["number"] = None if bounds == spec.NumberBounds() else bounds
    if kind in spec.TEXT_MAX_LENGTH_DEFAULTS:
        length = collector.integer("max_length", data.max_length)
        typed["max_length"] = length or spec.TEXT_MAX_LENGTH_DEFAULTS[kind]
        if length is not None and length <= 0:
            collector.add("max_length", _("Enter a positive number of characters."))
    condition = None
    if data.show_if_question.strip():
        values = tuple(v.strip() for v in data.show_if_values.replace(",", " ").split() if v)
        if not values:
            collector.add("show_if_values", _("Enter the answers that show this question."))
        condition = spec.Condition(question=data.show_if_question.strip(), values=values)
    if collector.problems:
        raise InvalidDraft(collector.problems)
    return spec.Question(
        key=data.key.strip(),
        type=kind,
        text=required_text(data.text_sv, data.text_en),
        help=optional_text(data.help_sv, data.help_en),
        required=data.required,
        show_if=condition,
        **typed,  # type: ignore[arg-type]
    )


def _contact(data: QuestionInput, kind: str, collector: _Collector) -> dict[str, object]:
    """Return the question's contact request role, if it has one that fits its type."""
    role = (data.contact or "").strip()
    if not role:
        return {}
    if role not in spec.CONTACT_ROLES:
        collector.add("contact", _("Choose a part of the contact request from the list."))
    elif kind not in spec.CONTACT_ROLES[role]:
        message = {
            "request": _("The contact request itself must be a yes/no question."),
            "about": _("What the contact is about must be a text question."),
        }.get(role, _("A phone number or e-mail address must be a short text question."))
        collector.add("contact", message)
    return {"contact": role}


def _index(data: QuestionInput, collector: _Collector) -> dict[str, object]:
    index = data.index_role.strip() or None
    weight = collector.number("weight", data.weight)
    if weight is not None and index is None:
        collector.add("weight", _("A weight needs an index."))
    if weight is not None and weight <= 0:
        collector.add("weight", _("The weight must be greater than 0."))
    return {"index": index, "weight": weight if weight is not None else 1.0}


def question_input(question: spec.Question) -> QuestionInput:
    """Return a question definition as the builder's form shows it."""
    scale, number = question.scale, question.number

    def text(value: spec.Text | None, lang: str) -> str:
        return "" if value is None else (getattr(value, lang) or "")

    def show(value: float | None) -> str:
        return "" if value is None else f"{value:g}"

    return QuestionInput(
        key=question.key,
        type=question.type,
        text_sv=question.text.sv,
        text_en=question.text.en or "",
        help_sv=text(question.help, "sv"),
        help_en=text(question.help, "en"),
        required=question.required,
        scale_min=str(scale.min) if scale else "",
        scale_max=str(scale.max) if scale else "",
        min_label_sv=text(scale.min_label, "sv") if scale else "",
        min_label_en=text(scale.min_label, "en") if scale else "",
        max_label_sv=text(scale.max_label, "sv") if scale else "",
        max_label_en=text(scale.max_label, "en") if scale else "",
        dont_know=bool(scale and scale.dont_know),
        options=options_text(question.options),
        number_min=show(number.min) if number else "",
        number_max=show(number.max) if number else "",
        number_integer=bool(number and number.integer),
        max_length=str(question.max_length or ""),
        show_if_question=question.show_if.question if question.show_if else "",
        show_if_values=" ".join(question.show_if.values) if question.show_if else "",
        index_role=question.index or "",
        weight=f"{question.weight:g}" if question.index else "",
        service_area=question.service_area,
        contact=question.contact or "",
    )
