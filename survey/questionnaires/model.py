"""Plain, frozen data for a question battery (frågebatteri) as read from a battery file."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

QUESTION_TYPES: tuple[str, ...] = (
    "scale",
    "single_choice",
    "multiple_choice",
    "yes_no",
    "nps",
    "short_text",
    "long_text",
    "number",
    "date",
)
CHOICE_TYPES: tuple[str, ...] = ("single_choice", "multiple_choice")
# Types a show_if condition may refer to.
CONDITION_TYPES: tuple[str, ...] = ("scale", "single_choice", "multiple_choice", "yes_no", "nps")
TEXT_MAX_LENGTH_DEFAULTS: dict[str, int] = {"short_text": 200, "long_text": 5000}
YES_NO_VALUES: tuple[str, ...] = ("yes", "no")
NPS_MIN, NPS_MAX = 0, 10

# Contact request roles (questionnaires/README.md, `contact`): the yes/no question that asks
# whether the company wants to be contacted, and the questions whose answers go with it.
CONTACT_ROLES: dict[str, tuple[str, ...]] = {
    "request": ("yes_no",),
    "about": ("short_text", "long_text"),
    "phone": ("short_text",),
    "email": ("short_text",),
}
CONTACT_REQUEST = "request"

NKI_INDEX = "nki"
# The six service factors (serviceområden) of the SKR/SBA measurement; other slugs are allowed too.
SERVICE_FACTORS: tuple[str, ...] = (
    "information",
    "tillganglighet",
    "bemotande",
    "kompetens",
    "rattssakerhet",
    "effektivitet",
)

# Bumped when the meaning of the canonical form changes, so old hashes never collide with new ones.
_HASH_FORMAT = 1


@dataclass(frozen=True)
class Text:
    """A text in Swedish (required) and English (optional)."""

    sv: str
    en: str | None = None


@dataclass(frozen=True)
class Option:
    """One answer option of a choice question."""

    key: str
    label: Text
    # Chosen alone: a multiple-choice answer with it holds nothing else ("Inget just nu").
    exclusive: bool = False


@dataclass(frozen=True)
class Matrix:
    """The shared heading of a matrix: several scale items answered on one scale.

    Each item is a scale question of its own (own key, index role and weight), so statistics
    and exports treat it as any question; the items of one matrix follow each other in their
    section and share the scale and the condition.
    """

    key: str
    text: Text
    help: Text | None = None


@dataclass(frozen=True)
class Scale:
    """The points of a scale question; `dont_know` adds "Vet ej / ej aktuellt" outside any index."""

    min: int
    max: int
    min_label: Text | None = None
    max_label: Text | None = None
    dont_know: bool = False

    @property
    def points(self) -> int:
        """Return the number of points on the scale."""
        return self.max - self.min + 1


@dataclass(frozen=True)
class NumberBounds:
    """Bounds of a number question; a number question without any bound has `number=None`."""

    min: float | None = None
    max: float | None = None
    integer: bool = False


@dataclass(frozen=True)
class Condition:
    """Show a question only when an earlier question's answer is one of `values`."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """One question; `key` is stable across versions so trends join on it."""

    key: str
    type: str
    text: Text
    help: Text | None = None
    required: bool = False
    scale: Scale | None = None
    options: tuple[Option, ...] = ()
    number: NumberBounds | None = None
    max_length: int | None = None
    show_if: Condition | None = None
    index: str | None = None
    weight: float = 1.0
    # A single-choice question whose option keys are service area keys: the answer gives the
    # response its service area (myndighetsområde) when its survey or visit gives none.
    service_area: bool = False
    # Its role in the battery's contact request (CONTACT_ROLES), or None.
    contact: str | None = None
    # Set on the items of a matrix (scale questions shown together as one table).
    matrix: Matrix | None = None

    def option_keys(self) -> tuple[str, ...]:
        """Return the keys of the answer options in order."""
        return tuple(option.key for option in self.options)


@dataclass(frozen=True)
class Section:
    """A titled group of questions, answered as one page."""

    key: str
    title: Text
    description: Text | None = None
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Battery:
    """A whole battery definition: the content of one battery file."""

    key: str
    title: Text
    introduction: Text | None = None
    sections: tuple[Section, ...] = ()

    def questions(self) -> Iterator[Question]:
        """Iterate over all questions of all sections in order."""
        for section in self.sections:
            yield from section.questions

    def service_area_question(self) -> Question | None:
        """Return the question that gives a response its service area, if the battery has one."""
        return next((q for q in self.questions() if q.service_area), None)

    def contact_questions(self) -> dict[str, Question]:
        """Return the contact request's questions by role; empty when the battery has none."""
        return {q.contact: q for q in self.questions() if q.contact is not None}

    def question(self, key: str) -> Question:
        """Return the question with `key`, raising KeyError when there is none."""
        for question in self.questions():
            if question.key == key:
                return question
        raise KeyError(key)


def canonical_json(battery: Battery) -> str:
    """Return the battery as canonical JSON: sorted keys, no whitespace, defaults spelled out.

    ``service_area``, ``contact``, ``matrix`` and an option's ``exclusive`` are written only
    when set: they came after the first versions were stored, and their fingerprints stay what
    they were.
    """
    data = dataclasses.asdict(battery)
    for section in data["sections"]:
        for question in section["questions"]:
            if not question["service_area"]:
                del question["service_area"]
            if question["contact"] is None:
                del question["contact"]
            if question["matrix"] is None:
                del question["matrix"]
            for option in question["options"]:
                if not option["exclusive"]:
                    del option["exclusive"]
    payload = {"format": _HASH_FORMAT, "battery": data}
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(battery: Battery) -> str:
    """Return the sha256 hex digest of the battery's canonical JSON."""
    return hashlib.sha256(canonical_json(battery).encode("utf-8")).hexdigest()
