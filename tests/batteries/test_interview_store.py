"""Interview mode stores a response tied to the visit; store_response checks the answers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import Answer, Company, Response, ServiceArea, Visit
from survey.services.batteries import batteries
from survey.services.errors import DomainError
from survey.services.respondents.answers import answers_of, store_response
from tests.factories import post_form


@pytest.fixture
def visit_id(app, all_types) -> int:
    with app.app_context():
        batteries.load_definition(all_types, actor_id=None)
        area = db.session.scalars(select(ServiceArea).limit(1)).one()
        company = Company(
            org_number="556677-8899", name="Bageriet AB", sni_section="C", size_class="1-9"
        )
        visit = Visit(company=company, visit_date=date(2026, 3, 1), service_area_id=area.id)
        db.session.add(visit)
        db.session.commit()
        return visit.id


def test_interview_stores_a_response_tied_to_the_visit(app, login_as, visit_id):
    client = login_as("official")
    choose = client.get(f"/visits/{visit_id}/interview")
    assert choose.status_code == 200 and "alla-typer" in choose.get_data(as_text=True)
    url = f"/visits/{visit_id}/interview/alla-typer"
    data = {"BETYG": "5", "JANEJ": "yes", "VARFOR": "Snabbt", "FLERA": "massa", "ANTAL": "12"}
    response = post_form(client, url, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        stored = db.session.scalars(select(Response)).one()
        visit = db.session.get(Visit, visit_id)
        assert (stored.collection_mode, stored.visit_id, stored.company_id) == (
            "interview",
            visit_id,
            visit.company_id,
        )
        assert (stored.service_area_id, stored.sni_section, stored.size_class) == (
            visit.service_area_id,
            "C",
            "1-9",
        )
        assert stored.created_by_id is not None
        assert answers_of(stored) == {
            "BETYG": 5,
            "FLERA": ["massa"],
            "JANEJ": "yes",
            "VARFOR": "Snabbt",
            "ANTAL": 12,
        }


def test_interview_with_errors_keeps_the_answers_and_stores_nothing(app, login_as, visit_id):
    client = login_as("official")
    url = f"/visits/{visit_id}/interview/alla-typer"
    html = post_form(client, url, {"JANEJ": "yes", "ANTAL": "9999"}).get_data(as_text=True)
    assert 'id="BETYG-error"' in html and 'id="ANTAL-error"' in html and 'value="9999"' in html
    with app.app_context():
        assert db.session.scalars(select(Response)).first() is None


def test_store_response_drops_hidden_and_unknown_and_writes_rows(app, visit_id):
    with app.app_context():
        version = batteries.get_version("alla-typer")
        answers = {
            "BETYG": "dont_know",
            "JANEJ": "no",
            "VARFOR": "dold",
            "OKAND": 1,
            "FLERA": ["forum", "massa"],
        }
        response = store_response(version, answers, collection_mode="web", language="en")
        db.session.commit()
        rows = {a.question.key: a for a in db.session.scalars(select(Answer)).all()}
        assert set(rows) == {"BETYG", "JANEJ", "FLERA"}
        assert rows["BETYG"].dont_know and rows["BETYG"].value_number is None
        assert rows["FLERA"].value_text == "massa forum"
        assert response.company_id is None


def test_store_response_refuses_a_missing_required_answer(app, visit_id):
    with app.app_context():
        version = batteries.get_version("alla-typer")
        with pytest.raises(DomainError) as caught:
            store_response(
                version, {"JANEJ": "yes", "BETYG": 3}, collection_mode="web", language="sv"
            )
        assert caught.value.field == "VARFOR"
