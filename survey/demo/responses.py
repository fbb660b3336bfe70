"""Generate many realistic responses to the shipped batteries, fast (demo data and benchmarks).

Respondents get a context (date over the period, service area, SNI section, size class,
collection mode, language) and a latent satisfaction: a general factor per respondent plus
factor-specific effects and noise, shifted by service area, size and a slow trend over the
years, mapped to the questions' 1-6 scales. NKI depends on the service factors with
different weights, so the priority matrix has something to find. Rows go in with bulk
inserts (COPY on PostgreSQL, executemany elsewhere) in blocks: no ORM object per row, and
are added to the index rollups in the same transaction. The same seed (and end date) gives
the same data.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import select

from survey.demo.answers import AnswerColumn, Block, QuestionSpec, answer, shown
from survey.demo.bulk import bulk_session, write_block
from survey.extensions import db
from survey.models import Battery, BatteryVersion, Company, Question, QuestionOption, ServiceArea
from survey.models import Section as SectionRow
from survey.services.statistics import rollups
from survey.services.statistics.cube import DIMENSIONS, Vectors
from survey.services.statistics.rollup_source import AnswerArrays

BATTERIES = {"nki-myndighetsutovning": 0.7, "uppfoljning-foretagsbesok": 0.3}
BLOCK_SIZE = 25_000
DEMO_RESPONSES = 800  # `survey demo` without --responses: a living dashboard over three years
DEMO_YEARS = 3
AREA_WEIGHTS = {
    "bygglov": (0.24, -0.35),  # (share of responses, effect on satisfaction in scale steps)
    "miljo_halsoskydd": (0.17, -0.1),
    "livsmedel": (0.2, 0.15),
    "servering": (0.08, 0.05),
    "brandskydd": (0.12, 0.3),
    "markupplatelse": (0.1, -0.2),
    "ovrigt": (0.09, 0.0),
}
# Each area improves (or not) by this many scale steps per year: dashboards show movement.
AREA_TREND = {"bygglov": 0.05, "miljo_halsoskydd": 0.02, "livsmedel": 0.0, "brandskydd": -0.01}
SECTIONS = dict(
    zip("ACFGHIJLMNQRS", (3, 9, 14, 20, 5, 13, 4, 5, 10, 6, 3, 3, 5), strict=True)
)  # SNI section -> share in % (AB-sized municipalities)
SIZES = {"0": (0.14, 0.05), "1-9": (0.5, 0.0), "10-49": (0.23, -0.05), "50-249": (0.1, -0.1),
         "250+": (0.03, -0.15)}  # fmt: skip
# Factor: (offset from the general level, loading on the general factor, weight in NKI).
FACTORS = {
    "information": (-0.15, 0.75, 0.14),
    "tillganglighet": (-0.3, 0.7, 0.12),
    "bemotande": (0.45, 0.7, 0.22),
    "kompetens": (0.25, 0.7, 0.12),
    "rattssakerhet": (-0.05, 0.65, 0.1),
    "effektivitet": (-0.45, 0.8, 0.3),
}
MONTH_WEIGHTS = (1.0, 1.0, 1.1, 1.1, 1.1, 1.0, 0.45, 0.7, 1.1, 1.1, 1.1, 0.8)
MODES = {"web": 0.88, "interview": 0.12}


@dataclass(frozen=True)
class Generated:
    """What a generation wrote."""

    responses: int
    answers: int
    seconds: float


@dataclass(frozen=True)
class Target:
    """A battery version to answer and its questions in questionnaire order."""

    version_id: int
    battery_id: int
    questions: tuple[QuestionSpec, ...]


def generate_responses(
    count: int,
    *,
    seed: int = 1,
    years: int = 10,
    end: date | None = None,
    batteries: tuple[str, ...] | None = None,
) -> Generated:
    """Add `count` responses over the last `years` years to the loaded shipped batteries; commit."""
    result = add_responses(count, seed=seed, years=years, end=end, batteries=batteries)
    db.session.commit()
    return result


def add_responses(
    count: int,
    *,
    seed: int = 1,
    years: int = 10,
    end: date | None = None,
    batteries: tuple[str, ...] | None = None,
    block: int = BLOCK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> Generated:
    """Write the responses and their answers in blocks; flush only, the caller commits.
    `progress` hears of each block's responses."""
    started = time.perf_counter()
    targets = _targets(batteries or tuple(BATTERIES))
    if not targets or count <= 0:
        return Generated(0, 0, 0.0)
    rng = np.random.default_rng(seed)
    context = _Context.load(rng, end or date.today(), years)
    shares = np.array([share for _, share in targets])
    per_battery = rng.multinomial(count, shares / shares.sum())
    answers = 0
    with bulk_session(db.session.connection()):
        for (target, _share), total in zip(targets, per_battery, strict=True):
            vectors: list[Vectors | None] = []
            for start in range(0, int(total), block):
                size = min(block, int(total) - start)
                part, count_answers = _write(rng, context, target, size)
                vectors.append(part)
                answers += count_answers
                if progress is not None:
                    progress(size)
            rollups.add_vectors(target.battery_id, vectors)
    return Generated(count, answers, time.perf_counter() - started)


def create_demo_responses(ctx: Any) -> None:
    """Demo step: answers to the shipped batteries (if loaded), over three or ten years."""
    count = DEMO_RESPONSES if ctx.responses is None else ctx.responses
    years = DEMO_YEARS if ctx.responses is None else 10
    seed = ctx.rng.randrange(2**31)
    ctx.generated = add_responses(
        count, seed=seed, years=years, end=ctx.today, progress=ctx.progress
    ).responses


def _targets(keys: tuple[str, ...]) -> list[tuple[Target, float]]:
    """Return the latest published version of each chosen shipped battery that is loaded."""
    found = []
    for key in keys:
        share = BATTERIES.get(key, 0.5)
        row = db.session.execute(
            select(BatteryVersion.id, BatteryVersion.battery_id)
            .join(Battery, BatteryVersion.battery_id == Battery.id)
            .where(Battery.key == key, BatteryVersion.status == "published")
            .order_by(BatteryVersion.number.desc())
            .limit(1)
        ).first()
        if row is not None:
            version_id, battery_id = row
            found.append((Target(version_id, battery_id, _questions(version_id)), share))
    return found


def _questions(version_id: int) -> tuple[QuestionSpec, ...]:
    rows = db.session.execute(
        select(Question)
        .join(SectionRow, Question.section_id == SectionRow.id)
        .where(Question.version_id == version_id)
        .order_by(SectionRow.position, Question.position)
    ).scalars()
    options: dict[int, list[str]] = {}
    for question_id, key in db.session.execute(
        select(QuestionOption.question_id, QuestionOption.key)
        .join(Question, QuestionOption.question_id == Question.id)
        .where(Question.version_id == version_id)
        .order_by(QuestionOption.question_id, QuestionOption.position)
    ):
        options.setdefault(question_id, []).append(key)
    return tuple(
        QuestionSpec(
            q.id,
            q.key,
            q.type,
            q.required,
            q.index_role,
            q.scale_min,
            q.scale_max,
            q.dont_know,
            q.show_if_question,
            tuple(q.show_if_values or ()),
            tuple(options.get(q.id, ())),
        )  # fmt: skip
        for q in rows
    )


@dataclass
class _Context:
    """Lookups shared by every block: areas, companies, the days of the period."""

    area_keys: np.ndarray
    area_ids: np.ndarray
    area_p: np.ndarray
    area_effect: np.ndarray
    area_trend: np.ndarray
    companies: np.ndarray  # (id, sni section, size class) rows, or empty
    days: np.ndarray  # datetime64[D]
    day_p: np.ndarray

    @classmethod
    def load(cls, rng: np.random.Generator, end: date, years: int) -> _Context:
        rows = db.session.execute(
            select(ServiceArea.key, ServiceArea.id).where(ServiceArea.active.is_(True))
        ).all()
        known = [(key, ident) for key, ident in rows if key in AREA_WEIGHTS] or list(rows)
        weights = np.array([AREA_WEIGHTS.get(key, (0.05, 0.0))[0] for key, _ in known])
        companies = db.session.execute(
            select(Company.id, Company.sni_section, Company.size_class).order_by(Company.id)
        ).all()
        last = np.datetime64(end, "D")
        days = np.arange(last - np.timedelta64(round(365.25 * years), "D"), last + 1)
        months = days.astype("datetime64[M]").astype(int) % 12
        day_p = np.array(MONTH_WEIGHTS)[months] * np.where(_weekday(days) < 5, 1.0, 0.15)
        return cls(
            area_keys=np.array([key for key, _ in known], dtype=object),
            area_ids=np.array([ident for _, ident in known], dtype=np.int64),
            area_p=weights / weights.sum(),
            area_effect=np.array([AREA_WEIGHTS.get(key, (0, 0.0))[1] for key, _ in known]),
            area_trend=np.array([AREA_TREND.get(key, 0.02) for key, _ in known]),
            companies=np.array(companies, dtype=object).reshape(-1, 3),
            days=days,
            day_p=day_p / day_p.sum(),
        )


def _weekday(days: np.ndarray) -> np.ndarray:
    return (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday (3)


def _pick(rng: np.random.Generator, table: dict, size: int) -> np.ndarray:
    keys = list(table)
    weights = np.array([v[0] if isinstance(v, tuple) else v for v in table.values()], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size, p=weights / weights.sum())]


def _write(
    rng: np.random.Generator, ctx: _Context, target: Target, size: int
) -> tuple[Vectors | None, int]:
    """Generate one block of respondents with their answers and write it.

    Returns the block as index-rollup vectors (None without rollups) and its answer count.
    """
    frame = _frame(rng, ctx, size)
    block = _latent(rng, ctx, frame, size)
    columns: dict[str, AnswerColumn] = {}
    for question in target.questions:
        column = answer(rng, question, block)
        visible = shown(question, columns, size)
        columns[question.key] = AnswerColumn(
            column.answered & visible, column.number, column.text, column.dont_know
        )
    ids, (rid, qid, number, _text, dont_know) = write_block(
        target.version_id, frame, target.questions, columns
    )
    dims = {name: frame.get(name, np.full(size, None, dtype=object)) for name in DIMENSIONS}
    arrays = AnswerArrays(rid, qid, number.astype(float), dont_know.astype(bool))
    vectors = rollups.vectors_for(target.battery_id, ids, frame["submitted_at"], dims, arrays)
    return vectors, rid.size


def _frame(rng: np.random.Generator, ctx: _Context, size: int) -> dict[str, np.ndarray]:
    """Draw the context of each respondent: when, which area, industry, size, mode, language."""
    day = ctx.days[rng.choice(ctx.days.size, size, p=ctx.day_p)]
    seconds = rng.integers(6 * 3600, 21 * 3600, size).astype("timedelta64[s]")
    order = np.argsort(day, kind="stable")  # ids ascend with time, as real submissions do
    now = np.datetime64(datetime.now(UTC).replace(tzinfo=None), "s")  # nothing in the future
    area = rng.choice(ctx.area_keys.size, size, p=ctx.area_p)
    frame = {
        "submitted_at": np.minimum(day.astype("datetime64[s]") + seconds, now)[order],
        "area": area,
        "service_area_id": ctx.area_ids[area],
        "collection_mode": _pick(rng, MODES, size),
        "language": np.where(rng.random(size) < 0.05, "en", "sv").astype(object),
    }
    if len(ctx.companies):
        chosen = ctx.companies[rng.integers(0, len(ctx.companies), size)]
        frame.update(company_id=chosen[:, 0], sni_section=chosen[:, 1], size_class=chosen[:, 2])
    else:
        frame.update(
            company_id=np.full(size, None, dtype=object),
            sni_section=_pick(rng, SECTIONS, size),
            size_class=_pick(rng, SIZES, size),
        )
    return frame


def _latent(
    rng: np.random.Generator, ctx: _Context, frame: dict[str, np.ndarray], size: int
) -> Block:
    """Draw latent satisfaction on the 1..6 scale: general + factor effects + noise."""
    years = (frame["submitted_at"] - ctx.days[0].astype("datetime64[s]")).astype(float) / (
        365.25 * 86400
    )
    size_effect = np.array([SIZES.get(s, (0, 0.0))[1] for s in frame["size_class"]])
    area = frame["area"]
    level = 4.45 + ctx.area_effect[area] + ctx.area_trend[area] * years + size_effect
    general = rng.normal(0.0, 1.0, size)
    latent = {"general": level + 0.8 * general}
    nki = level - 0.25 + rng.normal(0.0, 0.35, size)
    for role, (offset, loading, weight) in FACTORS.items():
        specific = rng.normal(0.0, 0.55, size)
        latent[role] = level + offset + loading * general + specific
        nki = nki + weight * (loading * general + specific)
    latent["nki"] = nki
    return Block(size, latent, ctx.area_keys[area], general)
