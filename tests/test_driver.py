"""A Core statement run on the driver's cursor gives what SQLAlchemy's execution gives."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import bindparam, event, insert, select
from sqlalchemy.exc import IntegrityError

from survey.driver import DriverStatement
from survey.extensions import db
from survey.models import Invitation
from survey.models.ratelimit import RateLimitCounter
from survey.services.invitations import hash_token
from survey.services.links import LINK_QUERY
from tests.mail.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
)

TABLE = RateLimitCounter.__table__


def test_rows_parameters_and_events_are_those_of_sqlalchemy(
    app: Flask,
    make_survey,  # noqa: F811
    make_company,  # noqa: F811
    invite,  # noqa: F811
) -> None:
    token = invite(make_survey(), make_company("Driver AB"))
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        invitation.draft = {"NKI_HELHET": 4, "HJALP_VIDARE": ["natverk"]}
        invitation.opened_at = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
        db.session.commit()
        parameters = {"token_hash": hash_token(token)}
        through_sqlalchemy = tuple(db.session.execute(LINK_QUERY.statement, parameters).one())
        db.session.rollback()
        seen: list[str] = []
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            event.listen(connection, "before_cursor_execute", lambda *a: seen.append(a[2]))
            direct = LINK_QUERY.first(connection, parameters)
            assert LINK_QUERY.first(connection, {"token_hash": "no such token"}) is None

    assert direct == through_sqlalchemy
    assert direct[3] == datetime(2026, 3, 1, 12, 30, tzinfo=UTC)  # opened_at, aware UTC
    assert direct[7] == {"NKI_HELHET": 4, "HJALP_VIDARE": ["natverk"]}  # the draft, JSON
    assert len(seen) == 2 and "FROM invitations" in seen[0]


def test_a_database_error_is_sqlalchemys_and_leaves_the_connection_usable(app: Flask) -> None:
    statement = DriverStatement(
        insert(TABLE).values(key=bindparam("key"), count=1, expires_at=0.0).returning(TABLE.c.count)
    )
    with app.app_context():
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            assert statement.scalar(connection, {"key": "driver-test"}) == 1
            with pytest.raises(IntegrityError):
                statement.scalar(connection, {"key": "driver-test"})
            assert statement.scalar(connection, {"key": "driver-test-2"}) == 1
            connection.execute(TABLE.delete())
