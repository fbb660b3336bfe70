"""Anonymous surveys: nothing stored or exported links a response to its invitation.

Companies answer one after another (opening, saving a draft, submitting); afterwards no
table holds a time finer than a date written while they answered, no draft is left, the
responses' ids and the exports do not follow the order they answered in, and no column of
a response (or its answers) matches anything of one invitation rather than another.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from sqlalchemy import DateTime, inspect, select, text

from survey.extensions import db
from survey.models import Base, Invitation, Response, Survey
from survey.models.base import UTCDateTime, utcnow
from tests.factories import post_form

COMPANIES = 8


def _answer(client, token: str, position: int) -> None:
    """Open the link, keep a draft of page 1, then answer every page and submit."""
    score = 1 + position % 5
    assert client.get(f"/s/{token}").status_code == 200
    post_form(client, f"/s/{token}/1", {"BESOK_VART_TIDEN": "3", "action": "save"})
    post_form(client, f"/s/{token}/1", {"BESOK_VART_TIDEN": str(score), "action": "next"})
    for page, data in ((2, {"HJALP_FICK": "ja"}), (3, {}), (4, {"NKI_HELHET": str(score)})):
        post_form(client, f"/s/{token}/{page}", {**data, "action": "next"})
    post_form(client, f"/s/{token}/5", {"KOMMENTAR": f"svar {position}", "action": "next"})
    response = post_form(client, f"/s/{token}/review", {})
    assert response.status_code == 302 and response.location.endswith("/thanks")


def _times_between(start: datetime, end: datetime) -> list[str]:
    """Return table.column=value for every timestamp of any table from `start` to `end`."""
    found = []
    connection = db.session.connection()
    for table in Base.metadata.sorted_tables:
        for column in [c for c in table.columns if isinstance(c.type, DateTime | UTCDateTime)]:
            query = select(column).where(column.between(start, end))
            for value in connection.execute(query).scalars():
                found.append(f"{table.name}.{column.name}={value.isoformat()}")
    return found


def test_nothing_stored_or_exported_links_an_anonymous_response(
    app, backend, make_survey, make_company, invite, login_as
) -> None:
    survey_id = make_survey(anonymous=True)
    tokens = [invite(survey_id, make_company()) for _ in range(COMPANIES)]
    start = utcnow()
    for position, token in enumerate(tokens, start=1):  # submitted in this order
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{position}"  # each from its office
        _answer(client, token, position)
    end = utcnow()

    with app.app_context():
        # No table holds a time from while the companies answered.
        assert _times_between(start, end) == []
        opens_on = db.session.get(Survey, survey_id).opens_on
        invitations = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
        assert all(i.submitted_at is not None and i.draft is None for i in invitations)
        assert all(i.draft_page == 0 for i in invitations)
        responses = db.session.scalars(select(Response)).all()
        assert len(responses) == COMPANIES
        # Every response carries the survey's date, no language, nothing of the company.
        for response in responses:
            assert response.submitted_at.date() == opens_on
            assert response.created_at == response.submitted_at
            assert response.language is None
            context = (response.invitation_id, response.company_id, response.visit_id)
            assert context == (None, None, None)
            assert (response.sni_section, response.size_class) == (None, None)
        # Ids are random negatives: their order is not the order of submission.
        ids = [r.id for r in sorted(responses, key=lambda r: _order_submitted(r))]
        assert all(i < 0 for i in ids)
        assert ids != sorted(ids) and ids != sorted(ids, reverse=True)
        # Answers have no id of their own (nor a rowid on SQLite) to count in order.
        assert "id" not in {c["name"] for c in inspect(db.engine).get_columns("answers")}
        if backend == "sqlite":
            rowid = db.session.connection().exec_driver_sql
            try:
                rowid("SELECT rowid FROM answers")
            except Exception as error:  # noqa: BLE001 - sqlite3.OperationalError
                assert "rowid" in str(error)
            else:
                raise AssertionError("answers keeps a rowid")
            db.session.rollback()
        # The responses table's rows, by their ids, do not follow the submissions.
        stored = db.session.execute(text("SELECT id FROM responses ORDER BY id")).scalars().all()
        assert stored == sorted(ids)

    # The export lists them in id order, which is not the order they were submitted in.
    client = login_as("official")
    data = {"battery": "uppfoljning-foretagsbesok-anonym", "layout": "wide", "action": "data"}
    rows = list(
        csv.DictReader(io.StringIO(post_form(client, "/exports/", data).get_data(as_text=True)))
    )
    assert [int(r["response_id"]) for r in rows] == sorted(ids)
    assert {r["submitted_at"][:10] for r in rows} == {opens_on.isoformat()}
    assert all(r["language"] == "" for r in rows)


def _order_submitted(response: Response) -> int:
    """The position a response was submitted in, read from its comment ("svar N")."""
    (comment,) = [a.value_text for a in response.answers if a.value_text and "svar" in a.value_text]
    return int(comment.split()[1])


def test_a_random_id_already_taken_is_drawn_again(
    app, make_survey, make_company, invite, monkeypatch
) -> None:
    from survey.services.respondents import anonymity

    drawn = iter([-5, -5, -6])
    monkeypatch.setattr(anonymity, "random_response_id", lambda: next(drawn))
    survey_id = make_survey(anonymous=True)
    for position in (1, 2):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{position}"
        _answer(client, invite(survey_id, make_company()), position)
    with app.app_context():
        assert sorted(db.session.scalars(select(Response.id))) == [-6, -5]
        assert all(i.submitted_at for i in db.session.scalars(select(Invitation)))
