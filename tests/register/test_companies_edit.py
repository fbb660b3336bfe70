"""Registering, editing, searching and opting out companies through the web pages."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, Company
from tests.factories import post_form
from tests.register.conftest import org_number

GOOD = {
    "org_number": "5560360793",
    "name": "Ekby Måleri AB",
    "sni_code": "43.341",
    "size_class": "1-9",
    "contact_name": "Åsa Öberg",
    "contact_email": "asa@ekbymaleri.example.com",
}


def test_official_registers_a_company_normalised_with_its_section(app: Flask, login_as) -> None:
    client = login_as("official")
    response = post_form(client, "/companies/new", GOOD)
    assert response.status_code == 302
    with app.app_context():
        company = db.session.scalar(select(Company))
        assert company.org_number == "556036-0793"
        assert (company.sni_code, company.sni_section) == ("43341", "F")
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "company.create"))
        assert audit.object_id == str(company.id)
    page = client.get(response.location).get_data(as_text=True)
    assert "Ekby Måleri AB" in page and "556036-0793" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("org_number", "556036-0794"),
        ("org_number", "55603607"),
        ("org_number", "55603607x3"),
        ("name", ""),
        ("sni_code", "04"),
        ("contact_email", "asa@"),
        ("contact_email", "inte en adress"),
    ],
)
def test_bad_value_comes_back_beside_its_field_with_the_values(
    app: Flask, login_as, field: str, value: str
) -> None:
    client = login_as("official")
    response = post_form(client, "/companies/new", GOOD | {field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in html
    assert 'value="Åsa Öberg"' in html or field == "contact_name"
    with app.app_context():
        assert db.session.scalar(select(Company.id)) is None


def test_duplicate_org_number_is_refused_beside_the_field(login_as, make_company) -> None:
    make_company(org_number="556036-0793")
    client = login_as("official")
    response = post_form(client, "/companies/new", GOOD | {"org_number": "19556036-0793"})
    html = response.get_data(as_text=True)
    assert 'id="org_number-error"' in html
    assert 'value="Ekby Måleri AB"' in html


def test_edit_records_changed_field_names_and_keeps_values_on_error(
    app: Flask, login_as, make_company
) -> None:
    company = make_company(**GOOD)
    other = make_company(org_number=org_number(900), name="Annat AB")
    client = login_as("official")
    url = f"/companies/{company.id}/edit"
    response = post_form(client, url, GOOD | {"org_number": other.org_number, "name": "Nytt AB"})
    html = response.get_data(as_text=True)
    assert 'id="org_number-error"' in html and 'value="Nytt AB"' in html
    response = post_form(client, url, GOOD | {"name": "Nytt AB", "size_class": "10-49"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Company, company.id).name == "Nytt AB"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "company.update"))
        assert event.details == {"fields": ["name", "size_class"]}


def test_opt_out_and_back_in(app: Flask, login_as, make_company) -> None:
    company = make_company()
    client = login_as("official")
    url = f"/companies/{company.id}/opt-out"
    post_form(client, url, {"opted_out": "1"}, form_url=f"/companies/{company.id}")
    with app.app_context():
        assert db.session.get(Company, company.id).opted_out is True
    assert "Testbolaget" in client.get("/companies/?opted_out=yes").get_data(as_text=True)
    post_form(client, url, {"opted_out": "0"}, form_url=f"/companies/{company.id}")
    with app.app_context():
        assert db.session.get(Company, company.id).opted_out is False


def test_search_filters_and_pages(login_as, make_company) -> None:
    for n in range(30):
        make_company(org_number=org_number(500 + n), name=f"Bygg {n:02d} AB", sni_code="41200")
    make_company(org_number="556036-0793", name="Ekby Livs AB", sni_code="47111", size_class="12")
    client = login_as("analyst")
    first = client.get("/companies/?q=bygg").get_data(as_text=True)
    assert "Bygg 00 AB" in first and "Bygg 29 AB" not in first and 'rel="next"' in first
    assert "Bygg 29 AB" in client.get("/companies/?q=bygg&page=2").get_data(as_text=True)
    by_number = client.get("/companies/?q=5560360793").get_data(as_text=True)
    assert "Ekby Livs AB" in by_number and "Bygg 00" not in by_number
    filtered = client.get("/companies/?section=G&size=10-49").get_data(as_text=True)
    assert "Ekby Livs AB" in filtered and "Bygg 00" not in filtered


def test_company_with_a_visit_cannot_be_deleted_but_one_without_can(
    app: Flask, login_as, make_user, make_company, make_visit
) -> None:
    visited, empty = make_company(), make_company()
    make_visit(visited.id, [make_user("official").id])
    client = login_as("official")
    for company in (visited, empty):
        post_form(
            client, f"/companies/{company.id}/delete", {}, form_url=f"/companies/{company.id}"
        )
    with app.app_context():
        assert db.session.get(Company, visited.id) is not None
        assert db.session.get(Company, empty.id) is None


def test_deleting_asks_first_and_names_what_goes_or_why_it_cannot(
    app: Flask, login_as, make_user, make_company, make_visit
) -> None:
    visited = make_company(name="Besökta AB")
    empty = make_company(name="Tomma AB", org_number="556036-0793")
    make_visit(visited.id, [make_user("official").id])
    client = login_as("official")
    edit = client.get(f"/companies/{empty.id}/edit").get_data(as_text=True)
    assert (
        f'href="/companies/{empty.id}/delete"' in edit
        and f'action="/companies/{empty.id}/delete"' not in edit
    )
    ask = client.get(f"/companies/{empty.id}/delete").get_data(as_text=True)
    assert "Ta bort Tomma AB?" in ask and "556036-0793" in ask and "Det går inte att ångra." in ask
    assert "Ta bort företaget för gott" in ask
    refused = client.get(f"/companies/{visited.id}/delete").get_data(as_text=True)
    assert "har besök eller enkätinbjudningar" in refused
    assert "Ta bort företaget för gott" not in refused
    with app.app_context():
        assert db.session.get(Company, empty.id) is not None  # asking deletes nothing
