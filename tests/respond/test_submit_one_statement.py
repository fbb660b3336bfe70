"""PostgreSQL: a submission after the first is written in one statement, with the same rows.

The first submission an app process sees for a battery reads its rollup layout in the
transactional path and keeps it; later ones claim, store and roll up in one statement on
the request's autocommit connection (survey.services.submission). These tests hold the two
paths to the same rows, and check the fallbacks.
"""

from __future__ import annotations

import json
import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from survey.extensions import db
from survey.models import (
    Answer,
    Invitation,
    Question,
    Response,
    RollupLayout,
    Survey,
    Visit,
    index_rollups,
)
from survey.models.base import utcnow
from survey.services import rollups
from survey.services.submission import array_literal
from tests.factories import csrf_token
from tests.statistics.close import assert_close

ANSWERS = {
    "BESOK_VART_TIDEN": "5",
    "BESOK_LYSSNADE": "3",
    "HJALP_FICK": "ja",
    "HJALP_VIDARE": "natverk",
    "NPS_BESOK": "8",
    "NKI_HELHET": "5",
    "NKI_FORVANTAN": "4",
    "NKI_IDEAL": "2",
    "KOMMENTAR": "Bra besök, tack!",
}


# The one-statement submission is PostgreSQL's (SQLite: one transaction).
pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgresql_only(backend: str) -> None:
    assert backend == "postgresql"


def _submit(app, token: str, answers: dict[str, str] | None = None) -> list[str]:
    """Submit every answer from the one-page form; return the statements of the POST."""
    client = app.test_client()
    csrf = csrf_token(client, f"/s/{token}/all")
    seen: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        data = {**(answers or ANSWERS), "csrf_token": csrf, "action": "submit"}
        response = client.post(f"/s/{token}/all", data=data)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert response.status_code == 302 and response.location.endswith("/thanks")
    return seen


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if "INSERT INTO responses" in s or "UPDATE invitations" in s]


def _response(app, token_invitation: int) -> tuple[dict[str, Any], dict[str, tuple]]:
    with app.app_context():
        response = db.session.scalar(
            select(Response).where(Response.invitation_id == token_invitation)
        )
        row = {c.name: getattr(response, c.name) for c in Response.__table__.columns}
        answers = db.session.execute(
            select(Question.key, Answer.value_number, Answer.value_text, Answer.dont_know)
            .join(Answer.question)
            .where(Answer.response_id == response.id)
        )
        return row, {key: tuple(rest) for key, *rest in answers}


def _invitation_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Invitation.id).order_by(Invitation.id)))


def _rollup_rows(app) -> dict[tuple, tuple]:
    with app.app_context():
        rows = db.session.execute(select(index_rollups)).all()
        db.session.rollback()
    return {tuple(r[:9]): tuple(float(v) for v in r[9:]) for r in rows}


def test_a_submission_after_the_first_is_one_statement_with_the_same_rows(
    app, make_survey, make_company, make_visit, invite
) -> None:
    survey = make_survey()
    first = invite(survey, make_company("Första AB", sni_code="47111", size_class="10-49"))
    company = make_company("Andra AB", sni_code="47111", size_class="10-49")
    visit = make_visit(company, date.today())
    with app.app_context():
        second = invite(survey, company)
        invitation = db.session.scalar(select(Invitation).order_by(Invitation.id.desc()))
        invitation.visit_id = visit
        db.session.commit()

    written_first = _writes(_submit(app, first))
    written_second = _writes(_submit(app, second))

    assert len(written_first) == 2  # the claim, then the response with its answers
    assert len(written_second) == 1 and written_second[0].lstrip().startswith("WITH claim AS")
    (one, one_answers), (two, two_answers) = (_response(app, i) for i in _invitation_ids(app))
    assert two_answers == one_answers and len(one_answers) == len(ANSWERS)
    assert two["visit_id"] == visit and two["company_id"] == company
    same = ("battery_version_id", "survey_id", "collection_mode", "language", "sni_section",
            "size_class")  # fmt: skip
    assert {k: two[k] for k in same} == {k: one[k] for k in same}
    with app.app_context():
        assert two["service_area_id"] == db.session.get(Visit, visit).service_area_id is not None
        assert db.session.get(Invitation, _invitation_ids(app)[1]).submitted_at is not None
    # The rollup rows the two submissions added are those a rebuild computes from raw answers.
    updated = _rollup_rows(app)
    assert sum(v[0] for k, v in updated.items() if k[1:3] == ("M", 0)) == 2
    with app.app_context():
        battery = db.session.scalar(select(RollupLayout.battery_id))
        rollups.rebuild(battery)
        db.session.commit()
    assert_close(_rollup_rows(app), updated)


def test_an_anonymous_submission_takes_the_transaction_and_keeps_no_link(
    app, make_survey, make_company, invite
) -> None:
    """Anonymous responses get a random id, so they never take the one-statement path."""
    survey = make_survey(anonymous=True)
    tokens = [invite(survey, make_company()) for _ in range(2)]

    _submit(app, tokens[0])
    written = _writes(_submit(app, tokens[1]))

    assert len(written) == 2  # the claim, then the response with its id
    with app.app_context():
        responses = db.session.scalars(select(Response).order_by(Response.id)).all()
        assert len(responses) == 2
        for response in responses:
            assert (response.invitation_id, response.company_id, response.visit_id) == (
                None,
                None,
                None,
            )
            assert response.id < 0 and response.language is None
            assert response.submitted_at.date() == db.session.get(Survey, survey).opens_on
            assert response.created_at == response.submitted_at


def test_a_changed_layout_falls_back_to_the_transaction_and_is_kept_again(
    app, make_survey, make_company, invite
) -> None:
    survey = make_survey()
    tokens = [invite(survey, make_company()) for _ in range(4)]
    _submit(app, tokens[0])
    with app.app_context():  # another process rebuilt the rollups: same items, other text
        layout = db.session.scalar(select(RollupLayout))
        layout.items = json.dumps(json.loads(layout.items), indent=1)
        db.session.commit()

    fell_back = _writes(_submit(app, tokens[1]))
    again = _writes(_submit(app, tokens[2]))
    with app.app_context():  # the battery loses its rollups (served from raw answers)
        db.session.delete(db.session.scalar(select(RollupLayout)))
        db.session.commit()
    without = _writes(_submit(app, tokens[3]))

    # Nothing written by the one statement, then the claim and the store in a transaction.
    assert [w.lstrip()[:10] for w in fell_back] == ["WITH claim", "UPDATE inv", "WITH respo"]
    assert len(again) == 1
    assert len(without) == 3
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Response))
    assert (_counted(app), stored) == (3, 4)
    # Known to have no rollups now: the next one is one statement again, adding no rows.
    with app.app_context():
        another = invite(survey, make_company())
    rows_before = _rollup_rows(app)
    assert len(_writes(_submit(app, another))) == 1
    assert _rollup_rows(app) == rows_before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 5


def _primed_token(app, make_survey, make_company, invite) -> str:  # noqa: ANN001
    """Submit once (the layout is kept from then on); return another invitation's token."""
    survey = make_survey()
    _submit(app, invite(survey, make_company()))
    return invite(survey, make_company())


def _counted(app) -> int:
    """Return how many responses the rollups count (month rows without dimensions)."""
    table = index_rollups.c
    with app.app_context():
        counted = db.session.scalar(
            select(func.sum(table.responses)).where(table.grain == "M", table.cuboid == 0)
        )
        db.session.rollback()
    return int(counted or 0)


def test_parallel_one_statement_submits_store_one_response(
    app, make_survey, make_company, invite
) -> None:
    token = _primed_token(app, make_survey, make_company, invite)
    clients = [app.test_client() for _ in range(6)]
    tokens = [csrf_token(c, f"/s/{token}/all") for c in clients]
    barrier = threading.Barrier(len(clients))
    results: list[int] = []

    def submit(client, csrf: str) -> None:
        barrier.wait()
        data = {**ANSWERS, "csrf_token": csrf, "action": "submit"}
        results.append(client.post(f"/s/{token}/all", data=data).status_code)

    threads = [threading.Thread(target=submit, args=p) for p in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results).count(302) == 1, results
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 2
    assert _counted(app) == 2


def test_a_response_already_stored_for_the_invitation_writes_nothing(
    app, make_survey, make_company, invite
) -> None:
    token = _primed_token(app, make_survey, make_company, invite)
    with app.app_context():  # e.g. entered by an official for the same invitation
        invitation = db.session.scalar(select(Invitation).order_by(Invitation.id.desc()))
        version = db.session.scalar(select(Response.battery_version_id))
        db.session.add(Response(battery_version_id=version, invitation_id=invitation.id,
                                collection_mode="web", language="sv",
                                submitted_at=utcnow()))  # fmt: skip
        db.session.commit()
    client = app.test_client()
    csrf = csrf_token(client, f"/s/{token}/all")

    page = client.post(f"/s/{token}/all", data={**ANSWERS, "csrf_token": csrf, "action": "submit"})

    assert page.status_code == 200 and "redan besvarats" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 2
        assert db.session.scalar(select(func.count()).select_from(Answer)) == len(ANSWERS)
        assert db.session.get(Invitation, invitation.id).submitted_at is None


def test_array_literals_read_back_as_the_same_values(app) -> None:
    values = [None, True, False, 0, -3, 2**40, 0.1, 1e-300, 2.5e300, -0.0, 1 / 3]
    with app.app_context():
        connection = db.session.connection()
        numbers = connection.execute(
            text("SELECT CAST(:a AS double precision[])"),
            {"a": array_literal([v for v in values if not isinstance(v, bool)])},
        ).scalar()
        flags = connection.execute(
            text("SELECT CAST(:a AS boolean[])"), {"a": array_literal([True, None, False])}
        ).scalar()
        db.session.rollback()
    assert numbers == [None, 0.0, -3.0, 2.0**40, 0.1, 1e-300, 2.5e300, -0.0, 1 / 3]
    assert flags == [True, None, False]
