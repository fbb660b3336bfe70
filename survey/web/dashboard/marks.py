"""The actions on the dashboard: marks on its trend charts and links to create one.

Each dashboard page adds ``dashboard_actions(...)`` to its context and includes
``dashboard/_action_links.html``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import gettext as _

from survey.charts.marks import Mark, add_marks
from survey.models import Action
from survey.services.dashboards import action_effect
from survey.services.dashboards.action_effect import Effect
from survey.services.dashboards.dashboard import View
from survey.services.followups import actions
from survey.web.dashboard.panels import Panel, factor_name


def period_label(day: date, by: str) -> str:
    """Return the label of the period (``year``, ``quarter``, ``month``) holding a day."""
    if by == "year":
        return str(day.year)
    if by == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def mark_actions(panel: Panel, found: Iterable[Action], by: str) -> list[Action]:
    """Mark each action's start to end on the panel's trend chart; return those marked."""
    if panel.figure is None:
        return []
    chosen = list(found)
    marks = [
        Mark(
            _("Action: %(title)s (%(index)s)", title=a.title, index=factor_name(a.factor)),
            period_label(a.starts_on, by),
            period_label(a.ends_on, by),
        )
        for a in chosen
    ]
    drawn = {id(mark) for mark in add_marks(panel.figure, marks)}
    return [action for action, mark in zip(chosen, marks, strict=True) if id(mark) in drawn]


def dashboard_actions(view: View, panel: Panel | None, roles: list[str]) -> dict[str, Any]:
    """Return the context of ``dashboard/_action_links.html``: marked actions and indices.

    The actions of the view's battery aimed at one of ``roles`` (and at the view's area, or
    every area) are marked on the panel's chart, if any.
    """
    found = actions.actions_of(view.filters.battery, area=view.filters.area)
    found = [a for a in found if a.factor in roles]
    marked = mark_actions(panel, found, view.by) if panel is not None else []
    return {"action_roles": roles, "marked_actions": marked, "listed_actions": found}


def mark_index(view: View, panel: Panel, role: str) -> None:
    """Mark the actions aimed at one index (NKI on the start page) on its trend chart."""
    found = actions.actions_of(view.filters.battery, area=view.filters.area)
    mark_actions(panel, [a for a in found if a.factor == role], view.by)


def report_actions(view: View) -> list[tuple[Action, Effect]]:
    """Return the view's actions with their before/after figures, for the board report."""
    found = actions.actions_of(view.filters.battery, area=view.filters.area)
    return [(action, action_effect.effect(action)) for action in found]
