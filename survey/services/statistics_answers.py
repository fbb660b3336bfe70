"""Answer-level statistics: distributions of one question, response rates, free-text comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import (
    Answer,
    BatteryVersion,
    Company,
    Invitation,
    Question,
    QuestionOption,
    Response,
    Survey,
)
from survey.services.errors import DomainError, NotFound
from survey.services.periods import period_labels, to_instants
from survey.services.statistics_filters import Filters
from survey.services.statistics_query import battery_id, conditions, zone
from survey.stats import Rate, response_rate

TEXT_TYPES = ("short_text", "long_text")


@dataclass(frozen=True)
class Comment:
    """A free-text answer; company fields are None when the survey is anonymous."""

    response_id: int
    question_key: str
    question_text_sv: str
    question_text_en: str | None
    text: str
    submitted_at: datetime
    period: str
    company_id: int | None
    company_name: str | None


@dataclass(frozen=True)
class CommentPage:
    """One page of comments and how many match in all."""

    items: list[Comment]
    total: int | None  # None when not counted


def _latest_question(battery_key: str, question_key: str) -> Question:
    question = db.session.scalar(
        select(Question)
        .join(BatteryVersion, Question.version_id == BatteryVersion.id)
        .where(BatteryVersion.battery_id == battery_id(battery_key), Question.key == question_key)
        .order_by(BatteryVersion.number.desc())
        .limit(1)
    )
    if question is None:
        raise NotFound(_("There is no question %(key)s.", key=question_key), field="question")
    return question


def _categories(question: Question) -> list[Any]:
    """Return every possible answer value of a closed question, in order."""
    if question.type in ("scale", "nps"):
        low, high = (0, 10) if question.type == "nps" else (question.scale_min, question.scale_max)
        return list(range(int(low or 0), int(high or 0) + 1))
    if question.type == "yes_no":
        return ["yes", "no"]
    options = db.session.scalars(
        select(QuestionOption.key)
        .where(QuestionOption.question_id == question.id)
        .order_by(QuestionOption.position)
    )
    return list(options) if question.type in ("single_choice", "multiple_choice") else []


def distribution(filters: Filters, question_key: str, *, min_n: int | None = None) -> dict:
    """Count the answers to one question per value or option (SQL GROUP BY, across versions).

    ``n`` is the number of responses that answered (including "vet ej", counted apart in
    ``dont_know``); a multiple-choice answer counts once per chosen option. Under the minimum
    group size the counts are hidden and ``suppressed`` is true.
    """
    question = _latest_question(filters.battery, question_key)
    if question.type in TEXT_TYPES:
        raise DomainError(_("Free-text answers have no distribution."), field="question")
    rows = db.session.execute(
        select(Answer.value_number, Answer.value_text, Answer.dont_know, func.count())
        .join(Response, Answer.response_id == Response.id)
        .join(Question, Answer.question_id == Question.id)
        .where(Question.key == question_key, *conditions(filters))
        .group_by(Answer.value_number, Answer.value_text, Answer.dont_know)
    ).all()
    counts: dict[Any, int] = dict.fromkeys(_categories(question), 0)
    n = dont_know = 0
    for number, text, unknown, count in rows:
        n += count
        if unknown:
            dont_know += count
            continue
        values = text.split() if question.type == "multiple_choice" and text else [text]
        if number is not None:
            values = [int(number) if float(number).is_integer() else number]
        for value in values:
            counts[value] = counts.get(value, 0) + count
    threshold = current_app.config["SURVEY_MIN_GROUP_SIZE"] if min_n is None else min_n
    suppressed = n < threshold
    return {
        "question": question_key,
        "type": question.type,
        "n": n,
        "dont_know": None if suppressed else dont_know,
        "counts": [] if suppressed else [{"value": v, "count": c} for v, c in counts.items()],
        "suppressed": suppressed,
    }


def response_rates(survey_id: int) -> Rate:
    """Return a survey's response rate: submitted invitations of all invitations, in percent."""
    if db.session.get(Survey, survey_id) is None:
        raise NotFound(_("The survey does not exist."), field="survey_id")
    invited, responded = db.session.execute(
        select(func.count(Invitation.id), func.count(Invitation.submitted_at)).where(
            Invitation.survey_id == survey_id
        )
    ).one()
    return response_rate(int(responded), int(invited))


def comments(
    filters: Filters,
    *,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
    by: str = "year",
    count: bool = True,
) -> CommentPage:
    """Return long-text answers, newest first, with their question and period.

    ``search`` matches case-insensitively (on SQLite only ASCII letters fold case). Company
    id and name are given unless the response came from an anonymous survey; the caller
    decides whether the user may see them. Counting every match reads every comment, so
    a caller that shows no total passes ``count=False`` (``total`` is then None).
    """
    query = (
        select(
            Response.id,
            Question.key,
            Question.text_sv,
            Question.text_en,
            Answer.value_text,
            Response.submitted_at,
            Company.id,
            Company.name,
            Survey.anonymous,
        )
        .select_from(Answer)
        .join(Response, Answer.response_id == Response.id)
        .join(Question, Answer.question_id == Question.id)
        .outerjoin(Company, Response.company_id == Company.id)
        .outerjoin(Survey, Response.survey_id == Survey.id)
        .where(Question.type == "long_text", Answer.value_text != "", *conditions(filters))
    )
    if search:
        query = query.where(Answer.value_text.ilike(f"%{_escape(search)}%", escape="\\"))
    total = None
    if count:
        total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(Response.submitted_at.desc(), Response.id.desc(), Question.position)
        .limit(limit)
        .offset(offset)
    ).all()
    periods = period_labels(to_instants([row[5] for row in rows]), by, zone())
    items = [
        Comment(rid, key, sv, en, text, at, str(period), *_company(cid, name, anonymous))
        for (rid, key, sv, en, text, at, cid, name, anonymous), period in zip(
            rows, periods if rows else np.array([]), strict=True
        )
    ]
    return CommentPage(items, None if total is None else int(total))


def _company(company_id: int | None, name: str | None, anonymous: bool | None) -> tuple:
    return (None, None) if anonymous else (company_id, name)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
