"""Generated data looks like real survey data and is the same for the same seed."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from flask import Flask
from sqlalchemy import func, select

from survey.demo.responses import generate_responses
from survey.extensions import db
from survey.models import Answer, Question, Response
from survey.services.statistics.statistics import Filters, index_report, priority

# Each test generates hundreds to thousands of responses.
pytestmark = pytest.mark.slow

END = date(2025, 6, 30)
NKI_BATTERY = Filters.from_args({"battery": "nki-myndighetsutovning"})


def _fingerprint() -> list[tuple]:
    rows = db.session.execute(
        select(
            Response.id,
            Response.submitted_at,
            Response.service_area_id,
            Response.sni_section,
            Response.size_class,
            Response.collection_mode,
            func.count(Answer.response_id),
            func.sum(Answer.value_number),
        )
        .join(Answer, Answer.response_id == Response.id)
        .group_by(Response.id)
        .order_by(Response.id)
    ).all()
    return [(row[0] - rows[0][0], *row[1:]) for row in rows]


def test_same_seed_same_data(shipped: Flask) -> None:
    with shipped.app_context():
        generate_responses(300, seed=11, end=END)
        first = _fingerprint()
        db.session.query(Answer).delete()
        db.session.query(Response).delete()
        db.session.commit()
        generate_responses(300, seed=11, end=END)
        second = _fingerprint()
    assert first == second


def test_spread_modes_vet_ej_comments_and_ten_years(shipped: Flask) -> None:
    with shipped.app_context():
        generate_responses(3000, seed=8, end=END)
        modes = dict(
            db.session.execute(
                select(Response.collection_mode, func.count()).group_by(Response.collection_mode)
            ).all()
        )
        assert modes["web"] > 4 * modes["interview"] > 0
        first, last = db.session.execute(
            select(func.min(Response.submitted_at), func.max(Response.submitted_at))
        ).one()
        assert (last - first).days > 9 * 365 and last.date() <= END
        areas = db.session.scalar(select(func.count(func.distinct(Response.service_area_id))))
        assert areas >= 6
        sections = db.session.scalar(select(func.count(func.distinct(Response.sni_section))))
        assert sections >= 8
        dont_know = db.session.scalar(select(func.count()).where(Answer.dont_know.is_(True)))
        comments = db.session.scalar(
            select(func.count(Answer.response_id))
            .join(Question, Answer.question_id == Question.id)
            .where(Question.type == "long_text")
        )
        assert dont_know > 100 and comments > 200


def test_nki_follows_the_service_factors_and_moves_over_time(shipped: Flask) -> None:
    with shipped.app_context():
        generate_responses(4000, seed=6, end=END)
        matrix = priority(NKI_BATTERY)
        report = index_report(NKI_BATTERY, by="year", split="area", min_n=7)
    assert matrix.method == "ols" and matrix.r_squared > 0.4
    effects = {factor.name: factor.effect for factor in matrix.factors}
    assert max(effects, key=effects.get) in ("effektivitet", "bemotande")
    means = [g["mean"] for g in report["groups"] if g["mean"] is not None]
    assert 50 < np.mean(means) < 80 and np.std(means) > 2
