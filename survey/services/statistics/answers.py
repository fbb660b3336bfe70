"""Answer-level statistics: distributions of one question, response rates, free-text comments."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any

import numpy as np
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select

from survey.extensions import db
from survey.models import (
    Answer,
    BatteryVersion,
    FollowUp,
    Invitation,
    Question,
    QuestionOption,
    Response,
    Survey,
)
from survey.services.errors import DomainError, NotFound
from survey.services.statistics.disclosure import LIFTABLE, isolating
from survey.services.statistics.filters import Filters
from survey.services.statistics.funnel import delivered
from survey.services.statistics.periods import period_labels, to_instants
from survey.services.statistics.sql import battery_id, conditions, zone
from survey.stats import Rate, response_rate

TEXT_TYPES = ("short_text", "long_text")


@dataclass(frozen=True)
class Comment:
    """A free-text answer with its question and period; never who wrote it, nor when exactly.

    Ratings and comments are confidential: no one sees which company wrote a comment.
    """

    question_key: str
    question_text_sv: str
    question_text_en: str | None
    text: str
    period: str


@dataclass(frozen=True)
class CommentPage:
    """One page of comments and how many match in all.

    ``suppressed`` when the filtered group is under the minimum size, or a neighbouring
    group would tell a few of its respondents apart (`statistics_disclosure`): then no
    comment is given.
    """

    items: list[Comment]
    total: int | None  # None when not counted
    suppressed: bool = False


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
    group size, or when a neighbouring group would tell a few respondents apart
    (`group_allowed`), the counts are hidden and ``suppressed`` is true.
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
    suppressed = n < threshold or not group_allowed(filters, threshold, question=question_key)
    return {
        "question": question_key,
        "type": question.type,
        "n": n,
        "dont_know": None if suppressed else dont_know,
        "counts": [] if suppressed else [{"value": v, "count": c} for v, c in counts.items()],
        "suppressed": suppressed,
    }


def response_rates(survey_id: int) -> Rate:
    """Return a survey's response rate: submitted invitations of delivered ones, in percent.

    Delivered as in the dashboard's funnel (`dashboard_funnel.delivered`): sent and not
    failed, or answered.
    """
    if db.session.get(Survey, survey_id) is None:
        raise NotFound(_("The survey does not exist."), field="survey_id")
    reached, responded = db.session.execute(
        select(
            func.count(case((delivered(), Invitation.id))), func.count(Invitation.submitted_at)
        ).where(Invitation.survey_id == survey_id)
    ).one()
    return response_rate(int(responded), int(reached))


def comments(
    filters: Filters,
    *,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
    by: str = "year",
    count: bool = True,
    min_n: int | None = None,
) -> CommentPage:
    """Return long-text answers, newest first, with their question and period.

    Only for a group of at least the minimum size that no neighbouring group isolates a few
    respondents from (`comments_allowed`); otherwise an empty, suppressed page. ``search``
    matches case-insensitively (on SQLite only ASCII letters fold case). Counting every
    match reads every comment, so a caller that shows no total passes ``count=False``
    (``total`` is then None).
    """
    if not comments_allowed(filters, min_n=min_n):
        return CommentPage([], 0 if count else None, suppressed=True)
    query = (
        select(
            Question.key,
            Question.text_sv,
            Question.text_en,
            Answer.value_text,
            Response.submitted_at,
        )
        .select_from(Answer)
        .join(Response, Answer.response_id == Response.id)
        .join(Question, Answer.question_id == Question.id)
        .where(
            Question.type == "long_text",
            Answer.value_text != "",
            _not_with_a_followup(),
            *conditions(filters),
        )
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
    periods = period_labels(to_instants([row[4] for row in rows]), by, zone())
    items = [
        Comment(key, sv, en, text, str(period))
        for (key, sv, en, text, _at), period in zip(
            rows, periods if rows else np.array([]), strict=True
        )
    ]
    return CommentPage(items, None if total is None else int(total))


def _not_with_a_followup() -> ColumnElement[bool]:
    """Leave out what a company wrote for its contact request when it asked to be contacted:
    it went to its follow-up with the company's name, so among the comments it would tell
    which company wrote it (`contact_requests`)."""
    followed_up = exists().where(FollowUp.response_id == Response.id)
    return or_(Question.contact_role.is_(None), ~followed_up)


def comments_allowed(filters: Filters, *, min_n: int | None = None) -> bool:
    """Tell whether the responses under the filters may show their comments (`group_allowed`)."""
    threshold = current_app.config["SURVEY_MIN_GROUP_SIZE"] if min_n is None else min_n
    return group_allowed(filters, threshold)


def group_allowed(filters: Filters, min_n: int, *, question: str | None = None) -> bool:
    """Tell whether the responses under the filters (those answering ``question``, if given)
    are a group whose answers may be shown.

    The rule of `statistics_disclosure` on response counts: at least ``min_n``, and no
    neighbour (a filter or the dates lifted; the range without its first or last answered
    month, where it cuts) differing by between 1 and ``min_n - 1`` responses.
    """
    count = partial(_responses, question=question)
    n = count(filters)
    if n < min_n:
        return False
    lifted = [replace(filters, **{name: None}) for name in LIFTABLE if getattr(filters, name)]
    if filters.date_from or filters.date_to:
        lifted.append(replace(filters, date_from=None, date_to=None))
    others = [count(other) for other in lifted]
    others.extend(n - edge for edge in _edge_counts(filters, question))
    return not any(isolating(n, other, min_n) for other in others)


def _answering(query: Select, filters: Filters, question: str | None) -> Select:
    query = query.where(*conditions(filters))
    if question is None:
        return query
    answered = (
        select(Answer.response_id)
        .join(Question, Answer.question_id == Question.id)
        .where(Question.key == question)
    )
    return query.where(Response.id.in_(answered))


def _responses(filters: Filters, question: str | None = None) -> int:
    query = _answering(select(func.count(Response.id)), filters, question)
    return db.session.scalar(query) or 0


def _edge_counts(filters: Filters, question: str | None) -> list[int]:
    """Return the responses of the range's first and last answered month, at a cut end."""
    edges = []
    n = _responses(filters, question)
    for end, bound in (("date_from", func.min), ("date_to", func.max)):
        if getattr(filters, end) is None:
            continue
        if _responses(replace(filters, **{end: None}), question) == n:
            continue  # the range cuts nothing off at this end
        query = _answering(select(bound(Response.submitted_at)), filters, question)
        moment = db.session.scalar(query)
        month = str(period_labels(to_instants([moment]), "month", zone())[0])
        first = date.fromisoformat(month + "-01")
        edges.append(_responses(replace(filters, date_from=first, date_to=first), question))
    return edges


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
