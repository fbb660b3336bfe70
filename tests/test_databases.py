"""The test databases themselves: emptied and restored exactly, ids restarted or continued."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import Company, ServiceArea
from tests.databases import MIGRATED, PgSchema, data_rows


def _add_company(app: Flask, number: int) -> int:
    with app.app_context():
        company = Company(org_number=f"556036-{number:04d}", name=f"Företag {number} AB")
        db.session.add(company)
        db.session.commit()
        return company.id


def _state(app: Flask) -> tuple[list[str], list[str]]:
    with app.app_context():
        companies = db.session.scalars(select(Company.name).order_by(Company.id)).all()
        areas = db.session.scalars(select(ServiceArea.key).order_by(ServiceArea.id)).all()
    return list(companies), list(areas)


@pytest.mark.postgres
def test_restore_empties_to_the_seeds_and_brings_back_a_saved_state(
    app: Flask, backend: str, pg_schema: PgSchema
) -> None:
    seeds = _state(app)[1]
    assert [_add_company(app, n) for n in (1, 2)] == [1, 2]
    with app.app_context():
        db.session.add(ServiceArea(key="hamn", name_sv="Hamn", name_en="Port"))
        db.session.commit()
    pg_schema.save("two-companies")

    pg_schema.restore(MIGRATED)
    assert _state(app) == ([], seeds)
    assert data_rows(pg_schema.engine) == 0
    assert _add_company(app, 3) == 1  # ids start again

    pg_schema.restore("two-companies")
    assert _state(app) == (["Företag 1 AB", "Företag 2 AB"], [*seeds, "hamn"])
    assert _add_company(app, 4) == 3  # ids continue after the restored rows


def test_saved_state_builds_once_and_refuses_a_database_already_written(
    app: Flask, backend: str, saved_state
) -> None:
    built = []

    def build() -> str:
        built.append(_add_company(app, 7))
        return "byggd"

    assert saved_state(f"one-company-{id(build)}", build) == "byggd"
    assert built == [1] and _state(app)[0] == ["Företag 7 AB"]
    with pytest.raises(AssertionError, match="before anything else is written"):
        saved_state("another", build)
