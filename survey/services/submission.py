"""PostgreSQL: a respondent's submission written in one statement, atomic on its own.

The claim (the invitation's conditional UPDATE: exactly once), the response, its answers and
its rollup rows are data-modifying CTEs of one statement, run on the request's autocommit
connection (`survey.autocommit`): one round trip where the transaction of several statements
takes five (BEGIN, claim, response with answers, rollups, COMMIT). Each part reads the row the
part before returned, so nothing is written unless the claim succeeded, and a failure in any
part rolls back the whole statement.

The claim also requires the battery's rollup layout to be the one this process last saw (or
that there is none, when it saw none), locking its row FOR SHARE as every writer does. When
it is not, or the invitation was already submitted, the statement writes nothing and returns
no row; the caller then takes the transactional path, which tells the two apart, reads the
layout again and keeps it for the next submission.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from survey.driver import DriverStatement
from survey.models.base import UTCDateTime
from survey.services import rollups
from survey.services.answers import ANSWER_COLUMNS, STORE_TIMES, PreparedResponse, store_sql
from survey.services.rollup_store import layout_check, one_parameters, one_upsert_sql

ROLLUP_PREFIX = "r_"


def submit_at_once(
    connection: Connection, invitation_id: int, moment: datetime, prepared: PreparedResponse
) -> int | None:
    """Write the whole submission in one statement; the response's id, or None when nothing
    was written (already submitted, or the layout is not the one kept: take the other path)."""
    battery_id = prepared.rollup.battery_id
    layout = rollups.known_layout(battery_id)
    if layout is None:
        return None
    parameters = {
        "invitation": invitation_id,
        "moment": moment,
        "battery": battery_id,
        "layout": layout,
        **prepared.row,
        **{name: [a[name] for a in prepared.answers] for name in ANSWER_COLUMNS},
    }
    for name in NUMERIC_ARRAYS:  # sent as array literals: psycopg inspects no element
        parameters[name] = array_literal(parameters[name])
    if layout == rollups.NO_LAYOUT:
        statement = _UNROLLED
    else:
        row = rollups.one_row(prepared.rollup, layout)
        one = one_parameters(battery_id, row.day, row.dims, row.values, row.roles, ROLLUP_PREFIX)
        parameters.update(one)
        parameters[ROLLUP_PREFIX + "vals"] = array_literal(parameters[ROLLUP_PREFIX + "vals"])
        statement = _ROLLED
    return statement.scalar(connection, parameters)


NUMERIC_ARRAYS = ("question_id", "value_number", "dont_know")


def array_literal(values: list[float | int | bool | None]) -> str:
    """Return numbers or booleans as a PostgreSQL array literal ('{1,2.5,NULL,t}').

    Only for finite numbers and booleans: nothing in them needs quoting. psycopg would
    otherwise look at every element to choose the array's type, a tenth of a submission's
    Python time.
    """
    return "{" + ",".join(_element(value) for value in values) + "}"


def _element(value: float | int | bool | None) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    return repr(float(value))  # the shortest text that reads back as the same double


def _statement(*, rolled_up: bool) -> DriverStatement:
    layout = (
        layout_check(battery="battery", layout="layout")
        if rolled_up
        else "NOT EXISTS (SELECT 1 FROM rollup_layouts WHERE battery_id = "
        "CAST(:battery AS integer))"
    )
    parts = [f"claim AS ({CLAIM_SQL} AND {layout} RETURNING id)", store_sql(source="claim")]
    if rolled_up:
        parts.append(f"rolled AS ({one_upsert_sql(prefix=ROLLUP_PREFIX, source='response')})")
    statement = text(f"WITH {', '.join(parts)} SELECT id FROM response").bindparams(
        bindparam("moment", type_=UTCDateTime()), *STORE_TIMES
    )
    return DriverStatement(statement)


#: Exactly once: of concurrent submits of one invitation only one finds it unsubmitted.
#: The transactional path runs it as it is (`respond`); here it is the first CTE.
CLAIM_SQL = (
    "UPDATE invitations SET submitted_at = :moment, draft = NULL, draft_page = 0 "
    "WHERE id = :invitation AND submitted_at IS NULL AND opted_out_at IS NULL"
)
_ROLLED = _statement(rolled_up=True)
_UNROLLED = _statement(rolled_up=False)
