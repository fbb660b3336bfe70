"""Recording, editing and listing visits through the web pages."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, Visit
from survey.services.register import visits
from tests.factories import post_form


def test_official_records_a_visit_with_two_officials(
    app: Flask, login_as, make_user, make_company, area_id: int
) -> None:
    company, colleague = make_company(), make_user("official", name="Örjan Kollega")
    client = login_as("official")
    url = f"/companies/{company.id}/visits/new"
    form = client.get(url).get_data(as_text=True)
    assert "Örjan Kollega" in form and 'type="checkbox"' in form
    data = {
        "visit_date": "2025-03-04",
        "officials": [str(colleague.id)],
        "service_area": str(area_id),
        "notes": "Samtal om bygglov för ny lagerlokal.",
    }
    response = post_form(client, url, data)
    assert response.status_code == 302
    with app.app_context():
        visit = db.session.scalar(select(Visit))
        assert [user.name for user in visit.officials] == ["Örjan Kollega"]
        assert visit.company_id == company.id and str(visit.visit_date) == "2025-03-04"
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "visit.create"))
    page = client.get(f"/companies/{company.id}").get_data(as_text=True)
    assert "2025-03-04" in page and "Örjan Kollega" in page


def test_visit_without_officials_or_date_comes_back_with_errors(
    app: Flask, login_as, make_company, area_id: int
) -> None:
    company = make_company()
    client = login_as("official")
    url = f"/companies/{company.id}/visits/new"
    data = {"visit_date": "", "service_area": str(area_id), "notes": "Mina anteckningar"}
    html = post_form(client, url, data).get_data(as_text=True)
    assert 'id="visit_date-error"' in html and "Mina anteckningar" in html
    html = post_form(client, url, data | {"visit_date": "2025-01-02"}).get_data(as_text=True)
    assert 'id="officials-error"' in html
    with app.app_context():
        assert db.session.scalar(select(Visit.id)) is None


def test_edit_visit_and_filter_the_list(
    app: Flask, login_as, make_user, make_company, make_visit
) -> None:
    anna, bo = make_user("official", name="Anna"), make_user("official", name="Bo")
    company = make_company(name="Besökta AB")
    visit = make_visit(company.id, [anna.id])
    old = make_visit(
        make_company(name="Gamla AB").id, [bo.id], visit_date=visit.visit_date.replace(year=2020)
    )
    client = login_as("official")
    url = f"/visits/{visit.id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert "checked" in form
    data = {
        "visit_date": "2025-06-01",
        "officials": [str(anna.id), str(bo.id)],
        "service_area": str(visit.service_area_id),
        "notes": "Uppföljning",
    }
    assert post_form(client, url, data).status_code == 302
    with app.app_context():
        changed = db.session.get(Visit, visit.id)
        assert {user.name for user in changed.officials} == {"Anna", "Bo"}
        assert changed.notes == "Uppföljning"
    listed = client.get("/visits/?date_from=2025-01-01").get_data(as_text=True)
    assert "Besökta AB" in listed and "Gamla AB" not in listed
    listed = client.get(f"/visits/?official={bo.id}&date_to=2021-01-01").get_data(as_text=True)
    assert "Gamla AB" in listed and "Besökta AB" not in listed
    with app.app_context():
        assert visits.list_visits(official_id=anna.id).total == 1
        assert old.id != visit.id


def test_visit_form_offers_only_officials_and_preselects_you_and_today(
    app: Flask, login_as, make_user, make_company
) -> None:
    from survey.services.surveys.invitations import local_today

    make_user("analyst", name="Ada Analytiker")
    make_user("admin", name="Adam Admin")
    colleague = make_user("official", name="Olle Kollega")
    company = make_company()
    client = login_as("official")
    html = client.get(f"/companies/{company.id}/visits/new").get_data(as_text=True)
    assert "Olle Kollega" in html
    assert "Ada Analytiker" not in html and "Adam Admin" not in html
    with app.app_context():
        today = local_today().isoformat()
    assert f'value="{today}"' in html
    checked = re.findall(r'<input checked[^>]*value="(\d+)"', html)
    assert len(checked) == 1 and int(checked[0]) != colleague.id


def test_an_admin_is_not_preselected_and_cannot_be_named(
    app: Flask, login_as, make_user, make_company, area_id: int
) -> None:
    analyst = make_user("analyst", name="Ada Analytiker")
    company = make_company()
    client = login_as("admin")
    url = f"/companies/{company.id}/visits/new"
    html = client.get(url).get_data(as_text=True)
    assert "<input checked" not in html
    data = {
        "visit_date": "2025-03-04",
        "officials": [str(analyst.id)],
        "service_area": str(area_id),
    }
    html = post_form(client, url, data).get_data(as_text=True)
    assert 'id="officials-error"' in html
    with app.app_context():
        assert db.session.scalar(select(Visit.id)) is None


def test_the_visit_list_starts_a_visit_by_finding_the_company(login_as, make_company) -> None:
    company = make_company(name="Hittade Bageriet AB")
    make_company(name="Annat Bolag AB")
    client = login_as("official")
    assert "/visits/start" in client.get("/visits/").get_data(as_text=True)
    html = client.get("/visits/start?q=bageriet").get_data(as_text=True)
    assert "1 företag" in html and "Annat Bolag AB" not in html
    assert f'href="/companies/{company.id}/visits/new"' in html
