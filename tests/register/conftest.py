"""Fixtures of the register tests: companies and visits made through the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import count
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from survey import orgnr

_numbers = count(1)


def org_number(n: int) -> str:
    """Return a valid organisation number that differs for each n."""
    nine = f"556{n:06d}"
    return f"{nine[:6]}-{nine[6:]}{orgnr.luhn_check_digit(nine)}"


@pytest.fixture
def make_company(app: Flask) -> Callable[..., Any]:
    from survey.services.register import companies

    def make(**fields: Any) -> Any:
        data = {"org_number": org_number(next(_numbers)), "name": "Testbolaget AB"} | fields
        with app.app_context():
            return companies.create_company(data, actor_id=None)

    return make


@pytest.fixture
def area_id(app: Flask) -> int:
    from survey.extensions import db
    from survey.models import ServiceArea

    with app.app_context():
        return db.session.scalar(select(ServiceArea.id).order_by(ServiceArea.position).limit(1))


@pytest.fixture
def make_visit(app: Flask, area_id: int) -> Callable[..., Any]:
    from survey.services.register import visits

    def make(company_id: int, official_ids: list[int], **fields: Any) -> Any:
        values = {"visit_date": date(2025, 5, 14), "service_area_id": area_id, "notes": ""}
        with app.app_context():
            return visits.record_visit(
                company_id, official_ids=official_ids, actor_id=None, **(values | fields)
            )

    return make
