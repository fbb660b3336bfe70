"""Whole periods: which periods the overview may compare (a fixed "today", no clock)."""

from __future__ import annotations

from datetime import date

import pytest

from survey.services.dashboards.inference import complete, period_bounds
from survey.services.statistics.filters import Filters

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("label", "bounds"),
    [
        ("2024", (date(2024, 1, 1), date(2024, 12, 31))),
        ("2024Q4", (date(2024, 10, 1), date(2024, 12, 31))),
        ("2024Q1", (date(2024, 1, 1), date(2024, 3, 31))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2024-12", (date(2024, 12, 1), date(2024, 12, 31))),
    ],
)
def test_period_bounds(label: str, bounds: tuple[date, date]) -> None:
    assert period_bounds(label) == bounds


@pytest.mark.parametrize(
    ("label", "date_from", "date_to", "whole"),
    [
        ("2025", None, None, True),
        ("2026", None, None, False),  # still running on 6 December 2026
        ("2026Q3", None, None, True),
        ("2026Q4", None, None, False),
        ("2026-11", None, None, True),
        ("2025", None, date(2025, 6, 30), False),  # cut by the date filter
        ("2025", date(2025, 3, 1), None, False),
        ("2025Q2", date(2025, 3, 1), date(2025, 6, 30), True),
    ],
)
def test_complete_periods(label, date_from, date_to, whole) -> None:  # noqa: ANN001
    filters = Filters("b", date_from=date_from, date_to=date_to)
    assert complete(label, filters, today=TODAY) is whole
