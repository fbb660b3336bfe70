"""Ids and filter values beyond the database's integer range: 404 or 400, never a 500.

PostgreSQL's INTEGER holds up to 2^31-1; a larger number in a query is an error there
(NumericValueOutOfRange), not "no such row". Every route is requested as every role with
such a number in each id of its path and of its query string; the API answers in JSON.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.models import User
from tests.factories import csrf_token, login
from tests.security.routes import ROLES, Hit, crawl

HUGE = 99_999_999_999
QUERY = (
    f"?survey_id={HUGE}&official_id={HUGE}&official={HUGE}&area={HUGE}&version={HUGE}"
    f"&page={HUGE}&battery=no-such-battery"
)


@pytest.fixture
def clients(app: Flask, make_user: Callable[..., User]) -> tuple[dict, dict]:
    """One client per role, logged in, and one with an API token; their CSRF tokens."""
    from survey.services.accounts import api_tokens

    by_role: dict[str, FlaskClient] = {"anonymous": app.test_client()}
    tokens = {"anonymous": csrf_token(by_role["anonymous"], "/login")}
    for role in ROLES[1:]:
        client = app.test_client()
        login(client, make_user(role))
        by_role[role], tokens[role] = client, csrf_token(client, "/account/password")
    with app.app_context():
        secret = api_tokens.create_token(make_user("admin").id, "script").secret
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    by_role["api"], tokens["api"] = api, ""
    return by_role, tokens


def _problem(hit: Hit) -> str | None:
    if hit.status >= 500:
        return "server error"
    if hit.url.startswith("/api/") and hit.status >= 400:
        if hit.headers.get("Content-Type") != "application/json":
            return f"API error not in JSON ({hit.headers.get('Content-Type')})"
    if hit.method == "GET" and hit.status == 200 and str(HUGE) in hit.url.split("?")[0]:
        return "an id beyond the range answered 200"
    return None


@pytest.mark.postgres
@pytest.mark.parametrize("query", ["", QUERY], ids=["path", "path-and-query"])
def test_ids_beyond_the_integer_range_are_404_never_500(app: Flask, clients, query) -> None:
    by_role, tokens = clients
    hits = crawl(app, by_role, tokens, number=HUGE, query=query)
    assert len({hit.endpoint for hit in hits}) > 60
    problems = [
        f"{hit.role:9} {hit.method:4} {hit.url} [{hit.endpoint}] -> {hit.status}: {why}"
        for hit in hits
        if (why := _problem(hit))
    ]
    assert not problems, "\n".join(problems)
    path_ids = [h for h in hits if h.method == "GET" and str(HUGE) in h.url.split("?")[0]]
    assert {h.status for h in path_ids if h.role in ("admin", "api")} <= {404}
