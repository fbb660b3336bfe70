"""A submission stores its response with the context copied, and the rollup rows a rebuild
computes; a response already stored for the invitation stops it; an anonymous one keeps no
link (both databases).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import event, func, select

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
from survey.services.statistics import rollups
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


def test_two_submissions_store_the_same_rows_and_what_a_rebuild_computes(
    app, backend, make_survey, make_company, make_visit, invite
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

    assert written_first and written_second
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


def _primed_token(app, make_survey, make_company, invite) -> str:  # noqa: ANN001
    """Submit once (the layout is kept from then on); return another invitation's token."""
    survey = make_survey()
    _submit(app, invite(survey, make_company()))
    return invite(survey, make_company())


def test_a_response_already_stored_for_the_invitation_writes_nothing(
    app, backend, make_survey, make_company, invite
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


def test_anonymous_submissions_keep_no_link(
    app, backend, make_survey, make_company, invite
) -> None:
    """Anonymous responses get a random negative id, the survey's date and no link."""
    survey = make_survey(anonymous=True)
    tokens = [invite(survey, make_company()) for _ in range(2)]

    for token in tokens:
        assert _writes(_submit(app, token))
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
