"""What each dashboard page shows: one service call per page, turned into panels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from survey.i18n import current_language
from survey.models.company import SIZE_CLASSES
from survey.services.dashboards import dashboard
from survey.services.dashboards import measures as statistics_measures
from survey.services.dashboards.dashboard import Choices, View
from survey.services.followups import measures as followup_measures
from survey.services.statistics import skr as statistics_skr
from survey.services.statistics.filters import Filters
from survey.sni import SECTION_LETTERS, section_name
from survey.web.dashboard import measures, panels
from survey.web.dashboard.marks import dashboard_actions, mark_index, report_actions
from survey.web.dashboard.panels import Panel


def compare_names(view: View, choices: Choices) -> tuple[dict[str, str], str]:
    """Return display names of the comparison groups and the comparison's title."""
    index = panels.factor_name(view.index or "nki")
    if view.compare == "area":
        english = current_language() == "en"
        names = {key: (en if english and en else sv) for key, sv, en in choices.areas}
        return names, _("%(index)s by service area", index=index)
    if view.compare == "industry":
        names = {c: f"{c} {section_name(c)}" for c in SECTION_LETTERS}
        return names, _("%(index)s by industry", index=index)
    names = {s: _("%(size)s employees", size=s) for s in SIZE_CLASSES}
    return names, _("%(index)s by company size", index=index)


def overview(view: View, choices: Choices) -> dict[str, Any]:
    """Return the start page: key figures, the chosen index's trend, factors, comparison.

    A battery without any index shows its questions' distributions instead.
    """
    data = dashboard.overview(view)
    context: dict[str, Any] = {
        "data": data,
        "index_name": panels.factor_name(view.index) if view.index else None,
        "funnel": panels.funnel_panel(data.funnel),
        "loop": followup_measures.loop_measures(
            date_from=view.filters.date_from, date_to=view.filters.date_to, by=view.by
        ),
        **_key_measures(view, choices),
    }
    if data.index is None:
        context["distributions"] = question_panels(view, choices)
        return context
    names, title = compare_names(view, choices)
    groups = [g for g in data.index["groups"] if g.get("split") is None]
    latest = panels.latest_reportable(groups)
    name = panels.factor_name(view.index)
    trend = panels.trend_panel("index", name, data.index)
    mark_index(view, trend, view.index)
    return {
        **context,
        "latest": latest,
        "latest_incomplete": latest is not None
        and not dashboard.period_complete(latest["period"], view.filters),
        "index": trend,
        "factors": panels.factors_panel(data.factors),
        "comparison": panels.comparison_panel(data.comparison, names, title),
    }


def question_panels(view: View, choices: Choices) -> list[Panel]:
    """Return the answer distribution of each closed question (a battery without indices)."""
    english = current_language() == "en"
    found = []
    for key, sv, en in choices.questions:
        result = dashboard.distribution(view, key)
        labels = dashboard.option_labels(view.filters.battery, key, english=english)
        panel = panels.distribution_panel(result, en if english and en else sv, labels, key=key)
        found.append(panel)
    return found


def _key_measures(view: View, choices: Choices) -> dict[str, Any]:
    """Return the key measures and NKI by SKR's definition (for the start page).

    SKR's NKI needs NKI: without it the battery has no such panel (None).
    """
    found = statistics_measures.measures(view.filters, by=view.by, alpha=False)
    areas = {key: sv if current_language() != "en" else (en or sv) for key, sv, en in choices.areas}
    skr = None
    if "nki" in choices.indices:
        report = statistics_skr.skr_json(statistics_skr.skr_nki(Filters(view.filters.battery)))
        skr = measures.skr_panel(report, areas)
    return {
        "measures": measures.measures_panel(statistics_measures.measures_json(found)),
        "skr": skr,
    }


def factors(view: View, choices: Choices) -> dict[str, Any]:
    """Return every service factor's trend, and each index's Cronbach's alpha."""
    min_n = int(current_app.config["SURVEY_MIN_GROUP_SIZE"])
    alphas = statistics_measures.alpha_json(statistics_measures.alphas(view.filters, min_n))
    reports = dashboard.factor_trends(view)
    trends = panels.factor_trends_panel(reports)
    return {
        "trends": trends,
        "alpha": measures.alpha_panel(alphas),
        **dashboard_actions(view, trends, list(reports)),
    }


def priority(view: View, choices: Choices) -> dict[str, Any]:
    """Return the priority matrix, or why the battery cannot have one (``priority_missing``).

    The matrix needs NKI and at least one service factor: a battery without them gets a
    sentence saying so, not an error.
    """
    missing = priority_missing(choices.indices)
    if missing is not None:
        return {"priority": None, "priority_missing": missing}
    min_n = int(current_app.config["SURVEY_MIN_GROUP_SIZE"])
    scoped, period = dashboard.priority_scope(view)
    matrix = dashboard.priority(scoped)
    panel = panels.priority_panel(matrix, min_n=min_n, period=period)
    roles = [factor.name for factor in matrix.factors]
    return {"priority": panel, **dashboard_actions(view, None, roles)}


def priority_missing(indices: list[str]) -> str | None:
    """Say why a battery with these indices has no priority matrix (None when it has one)."""
    if "nki" in indices and len(indices) > 1:
        return None
    if not indices:
        return _(
            "The priority matrix compares the service factors' effect on NKI. This question "
            "battery has no indices, so it has no priority matrix: see its questions' answers "
            "on the overview."
        )
    if "nki" not in indices:
        return _(
            "The priority matrix compares the service factors' effect on NKI. This question "
            "battery has no NKI questions, so it has no priority matrix: see each factor's "
            "index on the overview and the service factors page."
        )
    return _(
        "The priority matrix compares the service factors' effect on NKI. This question "
        "battery has no service factors, so it has no priority matrix."
    )


def questions(view: View, choices: Choices) -> dict[str, Any]:
    """Return the answer distribution of the chosen question (the first one by default)."""
    english = current_language() == "en"
    texts = {key: (en if english and en else sv) for key, sv, en in choices.questions}
    key = view.question if view.question in texts else next(iter(texts), None)
    if key is None:
        return {"question": None, "distribution": None}
    result = dashboard.distribution(view, key)
    labels = dashboard.option_labels(view.filters.battery, key, english=english)
    panel = panels.distribution_panel(result, texts.get(key, key), labels)
    return {"question": key, "distribution": panel}


def responses(view: View, choices: Choices) -> dict[str, Any]:
    """Return the response funnel and the number of answers."""
    return {
        "funnel": panels.funnel_panel(dashboard.funnel(view.filters)),
        "answers": dashboard.answer_count(view.filters),
    }


def report(view: View, choices: Choices) -> dict[str, Any]:
    """Return everything the printable report shows: the overview and the priority matrix.

    A battery without NKI or service factors has no priority matrix; the report then says
    why in that section.
    """
    context = overview(view, choices)
    context.update(priority(view, choices))
    context["report_actions"] = report_actions(view)
    index = context["data"].index
    periods = [] if index is None else [g["period"] for g in index["groups"]]
    context.update(
        battery_title=dict(choices.batteries).get(view.filters.battery),
        period_text=period_text(view, periods),
        report_date=format_date(dashboard.today(), format="long"),
        min_n=current_app.config["SURVEY_MIN_GROUP_SIZE"],
    )
    return context


#: How the report names the view's periods.
BY_UNITS = {"year": _l("by year"), "quarter": _l("by quarter"), "month": _l("by month")}


def period_text(view: View, periods: list[str]) -> str:
    """Say which time the report covers: the chosen dates, else its first and last period."""
    filters = view.filters
    if filters.date_from or filters.date_to:
        first = format_date(filters.date_from, format="long") if filters.date_from else "…"
        last = format_date(filters.date_to, format="long") if filters.date_to else "…"
        span = f"{first} – {last}"
    elif periods:
        span = periods[0] if periods[0] == periods[-1] else f"{periods[0]} – {periods[-1]}"
    else:
        return _("All answers")
    return f"{span} ({BY_UNITS[view.by]})" if periods else span


def _index(view: View, choices: Choices) -> dict[str, Any]:
    if view.index is None:
        return {"index": None}
    name = panels.factor_name(view.index)
    return {"index": panels.trend_panel("index", name, dashboard.nki(view))}


def _factors(view: View, choices: Choices) -> dict[str, Any]:
    return {"factors": panels.factors_panel(dashboard.factors(view))}


def _comparison(view: View, choices: Choices) -> dict[str, Any]:
    if view.index is None:
        return {"comparison": None}
    names, title = compare_names(view, choices)
    return {"comparison": panels.comparison_panel(dashboard.comparison(view), names, title)}


#: CSV downloads: chart name -> (builder of a page context, key of the panel in it).
CSV_PANELS: dict[str, tuple[Callable[[View, Choices], dict[str, Any]], str]] = {
    "index": (_index, "index"),
    "nki": (_index, "index"),  # the first name of the index trend's download
    "factors": (_factors, "factors"),
    "comparison": (_comparison, "comparison"),
    "factor-trends": (factors, "trends"),
    "priority": (priority, "priority"),
    "distribution": (questions, "distribution"),
    "funnel": (responses, "funnel"),
    "measures": (_key_measures, "measures"),
    "skr": (_key_measures, "skr"),
    "alpha": (factors, "alpha"),
}


def csv_panel(name: str, view: View, choices: Choices) -> Panel | None:
    """Return the panel whose numbers the CSV download of ``name`` holds."""
    builder, key = CSV_PANELS[name]
    return builder(view, choices)[key]
