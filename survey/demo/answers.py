"""Synthesise one question's answers for a block of generated respondents (numpy, no ORM).

Every function returns an `AnswerColumn`: who answered, and the number, text or "vet ej"
of each answer, in the canonical form store_response would write (scale/nps as numbers,
single choice and yes/no as option keys, multiple choice as space-separated keys).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from survey.demo.phrases import CRITICISM, OTHER_CASES, PRAISE

# Share of "vet ej / ej aktuellt" among the items of each factor that allow it.
DONT_KNOW_RATE = {
    "information": 0.04,
    "tillganglighet": 0.06,
    "bemotande": 0.02,
    "kompetens": 0.05,
    "rattssakerhet": 0.12,
    "effektivitet": 0.05,
}
SKIP_RATE = 0.015  # optional closed questions left unanswered
ITEM_NOISE = 0.45  # latent units (one scale step) of noise per item


@dataclass(frozen=True)
class QuestionSpec:
    """What the generator needs of a question of the version being answered."""

    id: int
    key: str
    type: str
    required: bool
    role: str | None
    scale_min: int | None
    scale_max: int | None
    dont_know: bool
    show_if_question: str | None
    show_if_values: tuple[str, ...]
    options: tuple[str, ...]


@dataclass(frozen=True)
class AnswerColumn:
    """One question's answers over a block: `answered` masks the respondents who answered."""

    answered: np.ndarray  # bool
    number: np.ndarray  # float, NaN when no number
    text: np.ndarray  # object, None when no text
    dont_know: np.ndarray  # bool


@dataclass(frozen=True)
class Block:
    """The respondents of one block: latent scores and context the answers depend on."""

    size: int
    latent: dict[str, np.ndarray]  # role (factor, "nki", "general") -> score on 1..6 units
    area_key: np.ndarray  # object
    satisfaction: np.ndarray  # standardised latent satisfaction (the general factor)


def answer(rng: np.random.Generator, question: QuestionSpec, block: Block) -> AnswerColumn:
    """Return the answers of every respondent of the block to one question."""
    make = {
        "scale": _scale,
        "nps": _nps,
        "single_choice": _single_choice,
        "yes_no": _yes_no,
        "multiple_choice": _multiple_choice,
        "short_text": _short_text,
        "long_text": _long_text,
        "number": _number,
        "date": _skipped,
    }.get(question.type, _skipped)
    return make(rng, question, block)


def _empty(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.full(size, np.nan), np.full(size, None, dtype=object), np.zeros(size, dtype=bool)


def _optional(rng: np.random.Generator, question: QuestionSpec, size: int) -> np.ndarray:
    if question.required:
        return np.ones(size, dtype=bool)
    return rng.random(size) >= SKIP_RATE


def _scale(rng: np.random.Generator, question: QuestionSpec, block: Block) -> AnswerColumn:
    low, high = question.scale_min or 1, question.scale_max or 6
    base = block.latent.get(question.role or "general", block.latent["general"])
    raw = base + rng.normal(0.0, ITEM_NOISE, block.size)
    points = np.clip(np.rint(low + (raw - 1.0) * (high - low) / 5.0), low, high)
    number, text, dont_know = _empty(block.size)
    number[:] = points
    if question.dont_know:
        dont_know = rng.random(block.size) < DONT_KNOW_RATE.get(question.role or "", 0.03)
        number[dont_know] = np.nan
    return AnswerColumn(_optional(rng, question, block.size), number, text, dont_know)


def _nps(rng: np.random.Generator, question: QuestionSpec, block: Block) -> AnswerColumn:
    raw = (block.latent["nki"] - 1.0) * 2.0 + rng.normal(0.0, 1.2, block.size)
    number, text, dont_know = _empty(block.size)
    number[:] = np.clip(np.rint(raw), 0, 10)
    answered = rng.random(block.size) < (1.0 if question.required else 0.8)
    return AnswerColumn(answered, number, text, dont_know)


def _pick(rng: np.random.Generator, block: Block, count: int, tilt: float) -> np.ndarray:
    """Choose an option index per respondent; satisfied respondents lean to the first options."""
    positions = np.arange(count)[None, :]
    logits = -tilt * block.satisfaction[:, None] * positions / max(count - 1, 1)
    gumbel = -np.log(-np.log(rng.random((block.size, count))))
    return np.argmax(logits + gumbel, axis=1)


def _single_choice(rng: np.random.Generator, question: QuestionSpec, block: Block) -> AnswerColumn:
    number, text, dont_know = _empty(block.size)
    options = np.array(question.options, dtype=object)
    if "ovrigt" in question.options and np.isin(block.area_key, options).any():
        text[:] = np.where(np.isin(block.area_key, options), block.area_key, "ovrigt")
    else:
        text[:] = options[_pick(rng, block, len(options), tilt=-2.0)]
    return AnswerColumn(_optional(rng, question, block.size), number, text, dont_know)


def _yes_no(rng: np.random.Generator, question: QuestionSpec, block: Block) -> AnswerColumn:
    number, text, dont_know = _empty(block.size)
    text[:] = np.where(rng.random(block.size) < 0.6, "yes", "no")
    return AnswerColumn(_optional(rng, question, block.size), number, text, dont_know)


def _multiple_choice(
    rng: np.random.Generator, question: QuestionSpec, block: Block
) -> AnswerColumn:
    number, text, dont_know = _empty(block.size)
    chosen = rng.random((block.size, len(question.options))) < 0.3
    none_key = question.options.index("inget") if "inget" in question.options else None
    if none_key is not None:
        others = np.delete(chosen, none_key, axis=1).any(axis=1)
        chosen[:, none_key] = ~others
    for row in np.flatnonzero(chosen.any(axis=1)):
        text[row] = " ".join(k for k, on in zip(question.options, chosen[row], strict=True) if on)
    answered = _optional(rng, question, block.size) & chosen.any(axis=1)
    return AnswerColumn(answered, number, text, dont_know)


def _short_text(rng: np.random.Generator, question: QuestionSpec, block: Block) -> AnswerColumn:
    number, text, dont_know = _empty(block.size)
    text[:] = np.array(OTHER_CASES, dtype=object)[rng.integers(0, len(OTHER_CASES), block.size)]
    return AnswerColumn(rng.random(block.size) < 0.7, number, text, dont_know)


def _long_text(rng: np.random.Generator, question: QuestionSpec, block: Block) -> AnswerColumn:
    """Write a comment for some respondents: praise from the satisfied, criticism otherwise."""
    number, text, dont_know = _empty(block.size)
    praise = _tone(question.key)
    tilt = -block.satisfaction if praise is False else block.satisfaction * (praise is True)
    rate = 0.5 if question.show_if_question else 0.12 * np.exp(0.4 * tilt)
    answered = rng.random(block.size) < rate
    for row in np.flatnonzero(answered):
        positive = praise if praise is not None else block.satisfaction[row] > 0
        bank = PRAISE if positive else CRITICISM
        picks = rng.choice(len(bank), size=1 + int(rng.random() < 0.35), replace=False)
        text[row] = " ".join(bank[i] for i in picks)
    return AnswerColumn(answered, number, text, dont_know)


def _tone(key: str) -> bool | None:
    """Return True for a "what was good" question, False for "what to improve", else None."""
    if "BRA" in key:
        return True
    if "BATTRE" in key or "SAKNAS" in key:
        return False
    return None


def _number(rng: np.random.Generator, question: QuestionSpec, block: Block) -> AnswerColumn:
    number, text, dont_know = _empty(block.size)
    number[:] = rng.integers(1, 50, block.size)
    return AnswerColumn(_optional(rng, question, block.size), number, text, dont_know)


def _skipped(rng: np.random.Generator, question: QuestionSpec, block: Block) -> AnswerColumn:
    number, text, dont_know = _empty(block.size)
    return AnswerColumn(np.zeros(block.size, dtype=bool), number, text, dont_know)


def shown(question: QuestionSpec, columns: dict[str, AnswerColumn], size: int) -> np.ndarray:
    """Return who sees the question: no show-if, or the controlling answer is among its values."""
    if question.show_if_question is None:
        return np.ones(size, dtype=bool)
    source = columns.get(question.show_if_question)
    if source is None:
        return np.zeros(size, dtype=bool)
    values = set(question.show_if_values)
    # Option keys (single choice, yes/no) or space-separated keys (multiple choice: any).
    hit = np.array([t is not None and bool(values & set(t.split())) for t in source.text])
    if not hit.any() and not np.isnan(source.number).all():
        numbers = np.where(np.isnan(source.number), -1, source.number).astype(int).astype(str)
        hit = np.isin(numbers, list(values))
    return hit & source.answered
