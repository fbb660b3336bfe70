"""An action's before/after figures from the dashboard's indices, against hand-worked values."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import Action, Battery, ServiceArea
from survey.services.dashboards import action_effect
from tests.actions.data import BATTERY, ENDS_ON, FACTOR, STARTS_ON


def _action(*, starts_on: date = STARTS_ON, ends_on: date = ENDS_ON, area: str | None = None,
            factor: str = FACTOR) -> Action:  # fmt: skip
    """An unsaved action (the effect needs no row of its own)."""
    battery = db.session.scalar(select(Battery).where(Battery.key == BATTERY))
    chosen = db.session.scalar(select(ServiceArea).where(ServiceArea.key == area)) if area else None
    return Action(
        title="Bättre bemötande", battery=battery, factor=factor, service_area=chosen,
        starts_on=starts_on, ends_on=ends_on, status="finished",
    )  # fmt: skip


def test_effect_periods_are_the_twelve_whole_months_around_the_action(app: Flask) -> None:
    with app.app_context():
        before, after = action_effect.windows(_action_unsaved())
    assert (before.first, before.last) == (date(2023, 1, 1), date(2023, 12, 31))
    assert (after.first, after.last) == (date(2024, 4, 1), date(2025, 3, 31))
    assert len(before.months()) == len(after.months()) == 12


def _action_unsaved() -> Action:
    return Action(title="x", factor=FACTOR, starts_on=STARTS_ON, ends_on=ENDS_ON)


def test_effect_hand_worked_before_and_after(app: Flask, answers: None) -> None:
    """Before: indices 40 60 60 80 40 60 80 60: n 8, mean 480/8 = 60, Σd² = 1600,
    s² = 1600/7 = 228.57, se = √(228.57/8) = 5.345, CI 60 ± 2.3646 · 5.345 = 47.36 – 72.64.
    After: 60 80 80 100 60 80 100 80: n 8, mean 80, the same spread: CI 67.36 – 92.64.
    Difference 20, se = √(2 · 228.57/8) = 7.559, Welch ν = 14 (equal n and s²),
    CI 20 ± 2.1448 · 7.559 = 3.79 – 36.21; t = 2.646, p = 0.0192: significant.
    """
    with app.app_context():
        found = action_effect.effect(_action(), today=date(2026, 12, 6))
    assert found.state == "compared" and found.hidden is False
    before, after, change = found.result.before, found.result.after, found.result.change
    assert (before.n, before.mean, after.n, after.mean) == (8, 60.0, 8, 80.0)
    assert (before.ci.low, before.ci.high) == pytest.approx((47.36, 72.64), abs=0.01)
    assert (after.ci.low, after.ci.high) == pytest.approx((67.36, 92.64), abs=0.01)
    assert change.difference == pytest.approx(20.0)
    assert change.df == pytest.approx(14.0)
    assert (change.ci.low, change.ci.high) == pytest.approx((3.79, 36.21), abs=0.01)
    assert change.p_value == pytest.approx(0.0192, abs=5e-4)
    assert change.significant is True


def test_effect_waits_for_the_period_after_to_end(app: Flask, answers: None) -> None:
    with app.app_context():
        found = action_effect.effect(_action(), today=date(2025, 3, 31))
    assert found.state == "waiting"
    assert found.result.before.mean == 60.0
    assert found.result.after.n == 0 and found.result.change.suppressed


def test_effect_has_no_figures_before_the_period_before_has_ended(app: Flask) -> None:
    with app.app_context():
        found = action_effect.effect(_action(), today=date(2023, 12, 31))
    assert found.state == "not_started" and found.result is None


def test_effect_suppresses_a_period_under_the_minimum_size(app: Flask, answers: None) -> None:
    """With a minimum of 9, eight respondents a period are too few: no mean, no difference."""
    with app.app_context():
        found = action_effect.effect(_action(), today=date(2026, 12, 6), min_n=9)
    assert found.result.before.suppressed and found.result.before.n == 8
    assert found.result.change.suppressed and found.result.change.difference is None
    assert found.hidden is False


def test_effect_hides_a_period_a_shorter_run_of_months_would_give_away(app: Flask) -> None:
    """A period of 16 respondents, 8 in one month and 8 in another: with a minimum of 9,
    the run of months holding only the first 8 is a figure that differs from the period's
    by 8 < 9 respondents, so the period is hidden although it has enough; with 9 and 9 it
    differs by 9 and is shown. The same period over every area (3 more) hides it too."""
    period = action_effect.Window(date(2024, 1, 1), date(2024, 12, 31))
    with app.app_context():
        assert action_effect.hidden(period, {"2024-02": 8, "2024-06": 8}, [], 9) is True
        assert action_effect.hidden(period, {"2024-02": 9, "2024-06": 9}, [], 9) is False
        wider = [{"2024-02": 9, "2024-06": 12}]
        assert action_effect.hidden(period, {"2024-02": 9, "2024-06": 9}, wider, 9) is True
        assert action_effect.hidden(period, {"2024-02": 5}, [], 9) is True


def test_effect_compares_the_area_of_the_action(app: Flask, answers: None) -> None:
    """Every respondent is in bygglov: the area's figures equal the whole's; another area has
    none."""
    with app.app_context():
        same = action_effect.effect(_action(area="bygglov"), today=date(2026, 12, 6))
        other = action_effect.effect(_action(area="livsmedel"), today=date(2026, 12, 6))
    assert same.result.change.difference == pytest.approx(20.0)
    assert other.result.before.n == 0 and other.result.change.suppressed


def test_effect_of_an_index_the_battery_lacks(app: Flask, answers: None) -> None:
    with app.app_context():
        found = action_effect.effect(_action(factor="okand"), today=date(2026, 12, 6))
    assert found.state == "no_index" and found.result is None
