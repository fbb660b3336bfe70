"""What each dashboard page shows: one service call per page, turned into panels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from survey.i18n import current_language
from survey.models.company import SIZE_CLASSES
from survey.services import dashboard, followup_measures, statistics_measures, statistics_skr
from survey.services.dashboard import Choices, View
from survey.services.errors import DomainError
from survey.services.statistics_filters import Filters
from survey.sni import SECTION_LETTERS, section_name
from survey.web.actions.marks import dashboard_actions, mark_index, report_actions
from survey.web.dashboard import measures, panels
from survey.web.dashboard.panels import Panel


def compare_names(view: View, choices: Choices) -> tuple[dict[str, str], str]:
    """Return display names of the comparison groups and the comparison's title."""
    if view.compare == "area":
        english = current_language() == "en"
        names = {key: (en if english and en else sv) for key, sv, en in choices.areas}
        return names, _("NKI by service area")
    if view.compare == "industry":
        names = {c: f"{c} {section_name(c)}" for c in SECTION_LETTERS}
        return names, _("NKI by industry")
    return {s: _("%(size)s employees", size=s) for s in SIZE_CLASSES}, _("NKI by company size")


def overview(view: View, choices: Choices) -> dict[str, Any]:
    """Return the start page: key figures, NKI trend, factors, comparison, comments."""
    data = dashboard.overview(view)
    names, title = compare_names(view, choices)
    groups = [g for g in data.nki["groups"] if g.get("split") is None]
    latest = panels.latest_reportable(groups)
    nki = panels.trend_panel("nki", "NKI", data.nki)
    mark_index(view, nki, "nki")
    return {
        "data": data,
        "latest": latest,
        "latest_incomplete": latest is not None
        and not dashboard.period_complete(latest["period"], view.filters),
        "nki": nki,
        "factors": panels.factors_panel(data.factors),
        "comparison": panels.comparison_panel(data.comparison, names, title),
        "funnel": panels.funnel_panel(data.funnel),
        "loop": followup_measures.loop_measures(
            date_from=view.filters.date_from, date_to=view.filters.date_to, by=view.by
        ),
        **_key_measures(view, choices),
    }


def _key_measures(view: View, choices: Choices) -> dict[str, Any]:
    """Return the key measures and NKI by SKR's definition (for the start page)."""
    found = statistics_measures.measures(view.filters, by=view.by, alpha=False)
    areas = {key: sv if current_language() != "en" else (en or sv) for key, sv, en in choices.areas}
    skr = statistics_skr.skr_nki(Filters(battery=view.filters.battery))
    return {
        "measures": measures.measures_panel(statistics_measures.measures_json(found)),
        "skr": measures.skr_panel(statistics_skr.skr_json(skr), areas),
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
    """Return the priority matrix."""
    min_n = int(current_app.config["SURVEY_MIN_GROUP_SIZE"])
    scoped, year = dashboard.priority_scope(view)
    matrix = dashboard.priority(scoped)
    panel = panels.priority_panel(matrix, min_n=min_n, year=year)
    roles = [factor.name for factor in matrix.factors]
    return {"priority": panel, **dashboard_actions(view, None, roles)}


def questions(view: View, choices: Choices) -> dict[str, Any]:
    """Return the answer distribution of the chosen question (the first one by default)."""
    english = current_language() == "en"
    texts = {key: (en if english and en else sv) for key, sv, en in choices.questions}
    key = view.question or next(iter(texts), None)
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
    """Return everything the printable report shows.

    A battery without service factors has no priority matrix; the report then says so in
    that section instead of failing as a whole.
    """
    context = overview(view, choices)
    try:
        context.update(priority(view, choices))
    except DomainError as error:
        context["priority"] = None
        context["priority_missing"] = error.message
    context["report_actions"] = report_actions(view)
    return context


def _nki(view: View, choices: Choices) -> dict[str, Any]:
    return {"nki": panels.trend_panel("nki", "NKI", dashboard.nki(view))}


def _factors(view: View, choices: Choices) -> dict[str, Any]:
    return {"factors": panels.factors_panel(dashboard.factors(view))}


def _comparison(view: View, choices: Choices) -> dict[str, Any]:
    names, title = compare_names(view, choices)
    return {"comparison": panels.comparison_panel(dashboard.comparison(view), names, title)}


#: CSV downloads: chart name -> (builder of a page context, key of the panel in it).
CSV_PANELS: dict[str, tuple[Callable[[View, Choices], dict[str, Any]], str]] = {
    "nki": (_nki, "nki"),
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
