"""A visit's interview is one response per battery version: saving again (or at once) updates it."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Company, Response, ServiceArea, Visit, index_rollups
from survey.services.statistics import rollups
from survey.services.statistics.rollup_source import slot_roles
from tests.factories import csrf_token, post_form
from tests.statistics.conftest import NKI_BATTERY


def _visit(app: Flask) -> int:
    with app.app_context():
        company = Company(org_number="556677-8899", name="Intervju AB", sni_section="F",
                          size_class="1-9")  # fmt: skip
        area = db.session.scalar(select(ServiceArea.id).order_by(ServiceArea.id))
        visit = Visit(company=company, visit_date=date.today(), service_area_id=area)
        db.session.add(visit)
        db.session.commit()
        return visit.id


def _answers(level: int) -> dict[str, str]:
    return {"OMRADE": "bygglov", "NKI_HELHET": str(level), "NKI_FORVANTAN": str(level),
            "NKI_IDEAL": str(level)}  # fmt: skip


def _stored(app: Flask) -> tuple[list[int], tuple[int, int, float]]:
    """Return the NKI answers of the stored responses and the rollups' responses, n and Σx."""
    from survey.models import Answer, Question

    with app.app_context():
        levels = db.session.scalars(
            select(Answer.value_number)
            .join(Question, Question.id == Answer.question_id)
            .where(Question.key == "NKI_HELHET")
            .order_by(Answer.response_id)
        ).all()
        table = index_rollups.c
        slot = slot_roles(rollups.layout_items(1)).index("nki")
        row = db.session.execute(
            select(
                func.sum(table.responses), func.sum(table[f"n{slot}"]), func.sum(table[f"s{slot}"])
            ).where(table.grain == "M", table.cuboid == 0)
        ).one()
        db.session.rollback()
    return [int(v) for v in levels], (int(row[0] or 0), int(row[1] or 0), float(row[2] or 0))


def _index(level: int) -> float:
    return (level - 1) / 5 * 100


def test_interview_saved_again_updates_its_response_and_the_rollups(
    app: Flask, login_as, nki_battery
) -> None:
    visit_id = _visit(app)
    client = login_as("official")
    url = f"/visits/{visit_id}/interview/{NKI_BATTERY}"
    assert post_form(client, url, _answers(2)).status_code == 302
    page = client.get(url).get_data(as_text=True)  # the saved answers come back to edit
    assert '<input checked id="NKI_HELHET-1" name="NKI_HELHET" type="radio" value="2">' in page
    assert post_form(client, url, _answers(5)).status_code == 302

    levels, (responses, n, total) = _stored(app)
    assert levels == [5]
    assert (responses, n) == (1, 1)
    assert total == pytest.approx(_index(5))
    with app.app_context():
        response = db.session.scalars(select(Response)).one()
        assert (response.visit_id, response.collection_mode) == (visit_id, "interview")


@pytest.mark.postgres
def test_three_parallel_saves_of_one_interview_store_one_response(
    app: Flask, login_as, nki_battery
) -> None:
    visit_id = _visit(app)
    url = f"/visits/{visit_id}/interview/{NKI_BATTERY}"
    clients = [login_as("official") for _ in range(3)]
    tokens = [csrf_token(client, url) for client in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = [0] * len(clients)

    def save(i: int) -> None:
        barrier.wait(timeout=30)
        data = {**_answers(2 + i), "csrf_token": tokens[i]}
        statuses[i] = clients[i].post(url, data=data).status_code

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302, 302]
    levels, (responses, n, total) = _stored(app)
    assert len(levels) == 1 and levels[0] in (2, 3, 4)
    assert (responses, n) == (1, 1)
    assert total == pytest.approx(_index(levels[0]))
