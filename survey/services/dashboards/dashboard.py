"""Dashboard use-cases: everything one dashboard page shows, composed from the statistics.

Each page function runs the statistics services for one view (filters, period granularity,
comparison) and returns plain results; the web layer turns them into charts and tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import exists, select

from survey.extensions import db
from survey.models import (
    Battery,
    BatteryVersion,
    Question,
    Response,
    ServiceArea,
    Survey,
    User,
)
from survey.services.batteries import batteries
from survey.services.dashboards import inference
from survey.services.errors import DomainError
from survey.services.statistics import statistics
from survey.services.statistics.answers import CommentPage
from survey.services.statistics.fetch import Dataset
from survey.services.statistics.funnel import Funnel, funnel_counts
from survey.services.statistics.periods import PERIODS
from survey.services.statistics.pivot import NKI
from survey.services.statistics.sql import SPLITS, index_items, zone
from survey.services.statistics.statistics import FactorSummary, Filters
from survey.stats import PriorityMatrix, Trend

PREFERRED_BATTERY = "nki-myndighetsutovning"
DEFAULT_BY = "year"  # whole years: the periods SKR publishes, and the most answers each
DEFAULT_COMPARE = "area"
FILTER_FIELDS = (
    "battery",
    "survey_id",
    "area",
    "industry",
    "size",
    "official_id",
    "mode",
    "date_from",
    "date_to",
)


@dataclass(frozen=True)
class View:
    """What the user asked to see: the filters plus how to group and compare."""

    filters: Filters
    by: str = DEFAULT_BY
    compare: str = DEFAULT_COMPARE
    question: str | None = None
    search: str = ""
    page: int = 1
    index: str | None = None  # the index the overview shows; None: the battery has none

    def args(self, **changes: Any) -> dict[str, str]:
        """Return the view as query-string arguments (empty values left out)."""
        values = {name: getattr(self.filters, name) for name in FILTER_FIELDS}
        values.update(by=self.by, compare=self.compare, question=self.question, q=self.search)
        values.update(index=self.index)
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


@dataclass(frozen=True)
class Overview:
    """The numbers of the start page."""

    view: View
    index: dict[str, Any] | None  # the chosen index per period (None: the battery has none)
    factors: list[FactorSummary]
    comparison: dict[str, Any] | None
    answers: int
    funnel: Funnel
    comments: CommentPage
    trend: Trend | None = None  # the index per year over whole periods (None under 3 of them)


@dataclass(frozen=True)
class Choices:
    """Options of the filter form, each a list of (value, label)."""

    batteries: list[tuple[str, str]]
    surveys: list[tuple[str, str]]
    areas: list[tuple[str, str, str]] = field(default_factory=list)  # key, sv, en
    officials: list[tuple[str, str]] = field(default_factory=list)
    questions: list[tuple[str, str, str]] = field(default_factory=list)  # key, sv, en
    indices: list[str] = field(default_factory=list)  # index roles, NKI first


def default_battery() -> str | None:
    """Return the battery to show first: the NKI battery if loaded, else the first with data.

    Whether a battery has data is an EXISTS probe on the responses' index, not a count, so
    the start page does not grow with the number of responses.
    """
    with_nki = select(BatteryVersion.battery_id).join(
        Question, Question.version_id == BatteryVersion.id
    )
    keys = db.session.scalars(
        select(Battery.key)
        .where(Battery.id.in_(with_nki.where(Question.index_role == "nki")))
        .order_by(Battery.key)
    ).all()
    if PREFERRED_BATTERY in keys:
        return PREFERRED_BATTERY
    has_data = (
        exists()
        .where(Response.battery_version_id == BatteryVersion.id)
        .where(BatteryVersion.battery_id == Battery.id)
    )
    first = db.session.scalar(
        select(Battery.key).where(Battery.key.in_(keys), has_data).order_by(Battery.key).limit(1)
    )
    return first or next(iter(keys), None)


def parse_view(args: Mapping[str, str]) -> View:
    """Read a view from query arguments; raise DomainError(field=...) naming a bad value."""
    values = {name: args.get(name, "") for name in FILTER_FIELDS}
    if not (values["battery"] or "").strip():
        values["battery"] = default_battery() or ""
    filters = Filters.from_args(values)
    by = args.get("by") or DEFAULT_BY
    if by not in PERIODS:
        raise DomainError(_("Choose month, quarter or year."), field="by")
    compare = args.get("compare") or DEFAULT_COMPARE
    if compare not in SPLITS:
        raise DomainError(_("Choose what to compare."), field="compare")
    page = args.get("page", "1")
    return View(
        filters,
        by=by,
        compare=compare,
        question=(args.get("question") or "").strip() or None,
        search=(args.get("q") or "").strip()[:200],
        page=int(page) if page.isdigit() and int(page) > 0 else 1,
        index=chosen_index(filters.battery, args.get("index")),
    )


def index_roles(battery: str) -> list[str]:
    """Return the battery's indices: NKI first, then the service factors in questionnaire order."""
    roles = list(dict.fromkeys(item.role for item in index_items(battery)))
    return sorted(roles, key=lambda role: role != NKI)


def chosen_index(battery: str, wanted: str | None) -> str | None:
    """Return the index to show: the one asked for if the battery has it, else its first.

    An index left in the URL from another battery falls back to this battery's first index
    (NKI when it has one), so switching batteries never ends on an error; None when the
    battery has no index at all (its questions' distributions are shown instead).
    """
    roles = index_roles(battery)
    wanted = (wanted or "").strip()
    return wanted if wanted in roles else next(iter(roles), None)


def filter_choices(battery: str | None) -> Choices:
    """Return the options of the filter form (a handful of small queries)."""
    batteries = db.session.execute(
        select(Battery.key, BatteryVersion.title_sv)
        .join(BatteryVersion, BatteryVersion.battery_id == Battery.id)
        .where(BatteryVersion.status == "published", Battery.archived_at.is_(None))
        .order_by(Battery.key, BatteryVersion.number.desc())
    ).all()
    surveys = db.session.execute(
        select(Survey.id, Survey.name).order_by(Survey.opens_on.desc(), Survey.id.desc())
    ).all()
    areas = db.session.execute(
        select(ServiceArea.key, ServiceArea.name_sv, ServiceArea.name_en).order_by(
            ServiceArea.position, ServiceArea.name_sv
        )
    ).all()
    officials = db.session.execute(
        select(User.id, User.name).where(User.role != "analyst").order_by(User.name)
    ).all()
    return Choices(
        batteries=list(dict(batteries).items()),
        surveys=[(str(i), name) for i, name in surveys],
        areas=[tuple(row) for row in areas],
        officials=[(str(i), name) for i, name in officials],
        questions=_questions(battery) if battery else [],
        indices=index_roles(battery) if battery else [],
    )


def _questions(battery: str) -> list[tuple[str, str, str]]:
    """Return the closed questions of the battery's latest published version."""
    version = batteries.latest_published_id(battery)
    rows = db.session.execute(
        select(Question.key, Question.text_sv, Question.text_en)
        .where(
            Question.version_id == version,
            Question.type.not_in(("short_text", "long_text", "number", "date")),
        )
        .order_by(Question.section_id, Question.position)
    ).all()
    return [tuple(row) for row in rows]


def answer_count(filters: Filters, data: Dataset | None = None) -> int:
    """Count the responses that match the filters (``data``: loaded for the same filters)."""
    return statistics.response_count(filters, data=data)


def funnel(filters: Filters) -> Funnel:
    """Count the chosen survey's invitations (or those of the battery's surveys) per stage.

    Every filter applies (see `dashboard_funnel`), so the funnel matches the answers shown;
    imported and interview responses are counted beside it, not in it.
    """
    return funnel_counts(filters)


def overview(view: View, *, comment_limit: int = 5) -> Overview:
    """Return the start page's numbers: NKI trend, factors, comparison, answers, comments.

    The index statistics come from one dataset (every index, split for the comparison).
    """
    filters = view.filters
    comments = comment_page(view, limit=comment_limit, count=False)
    if view.index is None:
        answers = answer_count(filters)
        return Overview(view, None, [], None, answers, funnel(filters), comments)
    data = load(view)
    return Overview(
        view=view,
        index=nki(view, data),
        factors=factors(view, data),
        comparison=comparison(view, data),
        answers=answer_count(filters, data),
        funnel=funnel(filters),
        comments=comments,
        trend=inference.nki_trend(filters, view.by, data, index=view.index),
    )


def load(view: View) -> Dataset:
    """Fetch the view's data once: every index, split by the view's comparison."""
    return statistics.load(view.filters, split=view.compare)


def nki(view: View, data: Dataset | None = None) -> dict[str, Any]:
    """Return the view's index (NKI by default) per period (the ``survey stats --json`` object).

    Changes into a period that has not ended (or that the date filter cuts) are left out:
    a part of a period is not compared with a whole one (`dashboard_inference.complete`).
    """
    index = view.index or NKI
    report = statistics.index_report(view.filters, index=index, by=view.by, data=data)
    changes = [c for c in report["changes"] if inference.complete(c["to"], view.filters)]
    return {**report, "changes": changes}


def factors(view: View, data: Dataset | None = None) -> list[FactorSummary]:
    """Return each service factor's latest whole period and its change since the one before.

    A period still running or cut by the date filter (`dashboard_inference.complete`), or
    too small to report for every factor, is left out: the summary is taken up to the end
    of the period before it. The changes carry Holm's adjusted p-value over the page's
    family (NKI and the factors; `dashboard_inference.adjusted`).
    """
    filters = view.filters
    summaries = statistics.factor_summary(filters, by=view.by, data=data)
    latest = {s.period for s in summaries}
    period = latest.pop() if len(latest) == 1 else None
    hidden = all(s.estimate is not None and s.estimate.suppressed for s in summaries)
    if period is not None and (hidden or not inference.complete(period, filters)):
        earlier = inference.whole_periods(filters, period, data)
        found = None
        if earlier is not None:
            found = statistics.factor_summary(earlier[0], by=view.by, data=earlier[1])
        if found:
            summaries, (filters, data) = found, earlier
    return inference.adjusted(summaries, filters, view.by, data)


def period_complete(label: str, filters: Filters) -> bool:
    """Tell whether a period has ended and the date filters keep all of it."""
    return inference.complete(label, filters)


def today() -> date:
    """Return today's date where the municipality is (SURVEY_TIMEZONE)."""
    return datetime.now(zone()).date()


def period_start(label: str) -> date:
    """Return the first day of a period label: ``2024``, ``2024Q3`` or ``2024-07``."""
    if "Q" in label:
        year, quarter = label.split("Q")
        return date(int(year), 3 * int(quarter) - 2, 1)
    if "-" in label:
        year, month = label.split("-")
        return date(int(year), int(month), 1)
    return date(int(label), 1, 1)


def comparison(view: View, data: Dataset | None = None) -> dict[str, Any]:
    """Return the view's index per comparison group in the latest year of the filtered range.

    That year is the "now" of the view; only its groups are estimated (no changes).
    """
    index = view.index or NKI
    data = data or statistics.load(view.filters, roles=[index], split=view.compare)
    latest = statistics.latest_period(view.filters, index=index, by="year", data=data)
    if latest is not None:
        data = data.since(date(int(latest), 1, 1))
    return statistics.index_report(
        view.filters, index=index, by="year", split=view.compare, data=data
    )


def factor_trends(view: View) -> dict[str, dict[str, Any]]:
    """Return every service factor's index report (one per factor, by the view's period)."""
    data = statistics.load(view.filters)
    summaries = statistics.factor_summary(view.filters, by=view.by, data=data)
    return {
        s.factor: statistics.index_report(view.filters, index=s.factor, by=view.by, data=data)
        for s in summaries
    }


def priority(view: View, data: Dataset | None = None) -> PriorityMatrix:
    """Return the priority matrix of the filtered responses (``priority_scope`` first)."""
    return statistics.priority(view.filters, data=data)


def priority_scope(view: View) -> tuple[View, str | None]:
    """Return the view the priority matrix covers, and that period's label (None: no NKI yet).

    The matrix covers the period the overview shows as "now": NKI's latest reportable
    period of the view's granularity (``latest_reportable``), within the chosen dates. The
    effects then sit beside the overview's figures of the same answers, not beside all years
    at once.
    """
    filters = view.filters
    report = nki(replace(view, index=NKI))
    latest = latest_reportable([g for g in report["groups"] if g.get("split") is None])
    if latest is None:
        return view, None
    first, last = inference.period_bounds(latest["period"])
    if filters.date_from is not None:
        first = max(first, filters.date_from)
    if filters.date_to is not None:
        last = min(last, filters.date_to)
    scoped = replace(filters, date_from=first, date_to=last)
    return replace(view, filters=scoped), latest["period"]


def latest_reportable(groups: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the latest group with a value, else the latest group (None without groups).

    This is the period the overview shows as "now".
    """
    shown = [g for g in groups if not g.get("suppressed") and g.get("mean") is not None]
    return shown[-1] if shown else (groups[-1] if groups else None)


def distribution(view: View, question: str) -> dict[str, Any]:
    """Return the answer distribution of one question under the filters."""
    return statistics.distribution(view.filters, question)


def option_labels(battery: str, question: str, *, english: bool) -> dict[str, str]:
    """Return display labels of a question's answer values (options, or scale ends)."""
    row = db.session.execute(
        select(Question)
        .join(BatteryVersion, Question.version_id == BatteryVersion.id)
        .join(Battery, BatteryVersion.battery_id == Battery.id)
        .where(Battery.key == battery, Question.key == question)
        .order_by(BatteryVersion.number.desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        return {}
    pick = (lambda en, sv: en or sv) if english else (lambda en, sv: sv)
    labels = {o.key: pick(o.label_en, o.label_sv) for o in row.options}
    if row.type == "yes_no":
        labels.update(yes=_("Yes"), no=_("No"))
    if row.type == "scale" and row.scale_min is not None and row.scale_max is not None:
        low, high = (
            pick(row.min_label_en, row.min_label_sv),
            pick(row.max_label_en, row.max_label_sv),
        )
        if low:
            labels[str(row.scale_min)] = f"{row.scale_min} {low}"
        if high:
            labels[str(row.scale_max)] = f"{row.scale_max} {high}"
    return labels


def comment_page(
    view: View, *, limit: int = 25, offset: int | None = None, count: bool = True
) -> CommentPage:
    """Return comments, newest first, never with who wrote them (whatever the role).

    Empty and suppressed for a group the statistics may not show (`statistics.comments`).
    ``count=False`` leaves out the total (it reads every comment; the overview shows none).
    """
    start = (view.page - 1) * limit if offset is None else offset
    return statistics.comments(
        view.filters, search=view.search or None, limit=limit, offset=start, by=view.by,
        count=count,
    )  # fmt: skip
