"""Hypothesis strategies that build valid batteries directly from the model."""

from __future__ import annotations

from hypothesis import strategies as st

from survey.questionnaires.model import (
    CHOICE_TYPES,
    NPS_MAX,
    NPS_MIN,
    QUESTION_TYPES,
    TEXT_MAX_LENGTH_DEFAULTS,
    Battery,
    Condition,
    NumberBounds,
    Option,
    Question,
    Scale,
    Section,
    Text,
)

_CHARACTERS = st.characters(categories=("L", "N", "P", "S", "Zs"), include_characters="\n")
_strings = st.text(_CHARACTERS, min_size=1, max_size=30).filter(lambda value: value.strip())
texts = st.builds(Text, sv=_strings, en=st.none() | _strings)
slugs = st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True)
question_keys = st.from_regex(r"[A-Z][A-Z0-9_]{1,10}", fullmatch=True)
_numbers = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).map(lambda x: x + 0.0)


@st.composite
def scales(draw: st.DrawFn) -> Scale:
    low = draw(st.integers(-3, 5))
    high = low + draw(st.integers(1, 10))
    labels = st.none() | texts
    return Scale(low, high, draw(labels), draw(labels), draw(st.booleans()))


@st.composite
def number_bounds(draw: st.DrawFn) -> NumberBounds | None:
    low, high = draw(st.none() | _numbers), draw(st.none() | _numbers)
    if low is not None and high is not None and low > high:
        low, high = high, low
    bounds = NumberBounds(low, high, draw(st.booleans()))
    return None if bounds == NumberBounds() else bounds


def _answers(question: Question) -> list[str]:
    if question.type in CHOICE_TYPES:
        return list(question.option_keys())
    if question.type == "yes_no":
        return ["yes", "no"]
    if question.type == "nps":
        return [str(n) for n in range(NPS_MIN, NPS_MAX + 1)]
    if question.type == "scale" and question.scale is not None:
        return [str(n) for n in range(question.scale.min, question.scale.max + 1)]
    return []


@st.composite
def conditions(draw: st.DrawFn, earlier: list[Question]) -> Condition | None:
    targets = [question for question in earlier if _answers(question)]
    if not targets or not draw(st.booleans()):
        return None
    target = draw(st.sampled_from(targets))
    values = draw(st.lists(st.sampled_from(_answers(target)), min_size=1, max_size=3, unique=True))
    return Condition(target.key, tuple(values))


@st.composite
def questions(draw: st.DrawFn, key: str, earlier: list[Question]) -> Question:
    kind = draw(st.sampled_from(QUESTION_TYPES))
    fields: dict = {}
    if kind == "scale":
        fields["scale"] = draw(scales())
        fields["index"] = draw(st.none() | st.sampled_from(["nki", "bemotande", "egen_faktor"]))
        if fields["index"] is not None:
            fields["weight"] = draw(st.just(1.0) | st.floats(0.01, 100))
    if kind in CHOICE_TYPES:
        keys = draw(st.lists(slugs, min_size=2, max_size=5, unique=True))
        fields["options"] = tuple(Option(option, draw(texts)) for option in keys)
        if kind == "single_choice" and not any(q.service_area for q in earlier):
            fields["service_area"] = draw(st.booleans())
    if kind == "number":
        fields["number"] = draw(number_bounds())
    # A contact request, then its parts (each role once; the parts after the request).
    roles = {q.contact for q in earlier}
    if kind == "yes_no" and "request" not in roles and draw(st.booleans()):
        fields["contact"] = "request"
    elif kind in ("short_text", "long_text") and "request" in roles:
        free = [r for r in ("about", "phone", "email") if r not in roles]
        if kind == "long_text":
            free = [r for r in free if r == "about"]
        fields["contact"] = draw(st.none() | st.sampled_from(free)) if free else None
    if kind in TEXT_MAX_LENGTH_DEFAULTS:
        default = TEXT_MAX_LENGTH_DEFAULTS[kind]
        fields["max_length"] = draw(st.just(default) | st.integers(1, 1000))
    return Question(
        key=key,
        type=kind,
        text=draw(texts),
        help=draw(st.none() | texts),
        required=draw(st.booleans()),
        show_if=draw(conditions(earlier)),
        **fields,
    )


@st.composite
def batteries(draw: st.DrawFn) -> Battery:
    keys = draw(st.lists(question_keys, min_size=1, max_size=8, unique=True))
    built: list[Question] = []
    for key in keys:
        built.append(draw(questions(key, built)))
    cuts = sorted(
        draw(st.sets(st.integers(1, len(built) - 1), max_size=2)) if len(built) > 1 else []
    )
    bounds = [0, *cuts, len(built)]
    section_keys = draw(
        st.lists(slugs, min_size=len(bounds) - 1, max_size=len(bounds) - 1, unique=True)
    )
    sections = tuple(
        Section(key, draw(texts), draw(st.none() | texts), tuple(built[start:end]))
        for key, start, end in zip(section_keys, bounds, bounds[1:], strict=False)
    )
    battery_key = draw(st.from_regex(r"[a-z0-9][a-z0-9-]{1,20}", fullmatch=True))
    return Battery(battery_key, draw(texts), draw(st.none() | texts), sections)
