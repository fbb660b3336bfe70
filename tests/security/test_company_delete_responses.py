"""A company whose responses are kept for the statistics is refused deletion politely."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Company, Response
from tests.factories import post_form
from tests.security.conftest import battery_yaml, org_number


def _company_with_imported_response(app: Flask) -> int:
    from survey.questionnaires import parse_battery
    from survey.services.batteries import batteries
    from survey.services.respondents.answers import store_response

    with app.app_context():
        definition = parse_battery(battery_yaml("importerad", "Imp"), source="test.yaml")
        batteries.load_definition(definition, actor_id=None)
        version = batteries.get_version(definition.key)
        company = Company(org_number=org_number(9001), name="Importerat AB", language="sv")
        db.session.add(company)
        db.session.flush()
        store_response(
            version,
            {"Q_SCALE": 4},
            collection_mode="import",
            language="sv",
            company=company,
        )
        db.session.commit()
        return company.id


def test_company_delete_with_imported_response_is_refused_with_the_reason(
    app: Flask, login_as
) -> None:
    company_id = _company_with_imported_response(app)
    client = login_as("official")
    url = f"/companies/{company_id}"
    response = post_form(client, f"{url}/delete", {}, form_url=url, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Företaget har enkätsvar, som sparas för statistiken" in page, page
    with app.app_context():
        assert db.session.get(Company, company_id) is not None
        assert db.session.scalar(select(func.count(Response.id))) == 1
