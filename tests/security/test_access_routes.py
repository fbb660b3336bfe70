"""Access control over every route in the app × anonymous / analyst / official / admin.

The routes come from `app.url_map`, so a new route is covered (or fails until classified in
tests/security/routes.py) without anyone remembering to add a test.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import OutboxMessage, User
from tests.factories import csrf_token, login
from tests.security.routes import GRANTS, ROLES, Hit, crawl, stored_by_caches, unclassified

Clients = tuple[dict[str, FlaskClient], dict[str, str], dict[str, User]]


@pytest.fixture
def clients(app: Flask, make_user: Callable[..., User]) -> Clients:
    """One client per role (logged in through the form) and each one's CSRF token."""
    by_role: dict[str, FlaskClient] = {"anonymous": app.test_client()}
    users: dict[str, User] = {}
    tokens = {"anonymous": csrf_token(by_role["anonymous"], "/login")}
    for role in ROLES[1:]:
        client = app.test_client()
        users[role] = make_user(role)
        login(client, users[role])
        by_role[role] = client
        tokens[role] = csrf_token(client, "/account/password")
    return by_role, tokens, users


def _to_login(hit: Hit) -> bool:
    return hit.status == 302 and hit.location.split("?")[0].endswith("/login")


def _has_arguments(hit: Hit) -> bool:
    return any(c.isdigit() for c in hit.url) or "no-such" in hit.url or "AAAA" in hit.url


def problem(hit: Hit) -> str | None:
    """Return what is wrong with one response, judged by the route's declared level."""
    if hit.status >= 500:
        return f"server error {hit.body[:200] if not hit.headers else ''}"
    level, role = hit.level, hit.role
    if level in ("public", "api_public", "token"):
        if _to_login(hit) or hit.status in (401, 403):
            return "public route refused"
        if level == "token" and hit.method == "GET" and not hit.real:
            return None if hit.status in (404, 429) else "bad token not answered with 404"
        return None
    if level == "api":
        return None if hit.status == 401 else "API answered without a bearer token"
    if role == "anonymous":
        return None if _to_login(hit) else "anonymous not sent to the login page"
    if level not in GRANTS[role]:
        return None if hit.status == 403 else f"role {role} not refused with 403"
    if _to_login(hit) or hit.status in (401, 403):
        return f"role {role} refused"
    if hit.method == "GET" and not hit.real and _has_arguments(hit) and hit.status != 404:
        return "unknown object id not answered with 404"
    return None


def _report(hits: list[Hit]) -> list[str]:
    return [
        f"{hit.role:9} {hit.method:4} {hit.url} [{hit.endpoint}: {hit.level}] -> {hit.status} "
        f"{hit.location} : {why}"
        for hit in hits
        if (why := problem(hit))
    ]


@pytest.mark.any_database
def test_every_route_is_classified(app: Flask) -> None:
    missing = unclassified(app)
    assert not missing, (
        "Routes without a declared access level; add each endpoint to EXPECTED in "
        "tests/security/routes.py (public, token, api, login, read, edit or admin):\n  "
        + "\n  ".join(missing)
    )


@pytest.mark.any_database
def test_every_route_by_role_with_unknown_ids(app: Flask, clients: Clients) -> None:
    by_role, tokens, _users = clients
    hits = crawl(app, by_role, tokens)
    assert len({hit.endpoint for hit in hits}) > 10
    problems = _report(hits)
    assert not problems, "\n".join(problems)
    assert {200, 302, 403, 404} <= {hit.status for hit in hits}
    cached = stored_by_caches(hits)  # the same crawl serves test_cache_and_logs's rule
    assert not cached, "\n".join(cached)


@pytest.mark.any_database
def test_every_route_by_role_with_real_ids(app: Flask, clients: Clients, make_world) -> None:
    by_role, tokens, users = clients
    world = make_world()
    with app.app_context():
        message_id = db.session.scalars(select(OutboxMessage.id)).first()
    real = {
        "company_id": world.company_id,
        "visit_id": world.visit_id,
        "survey_id": world.survey_id,
        "user_id": users["official"].id,
        "key": world.battery_key,
        "number": world.version_number,
        "section_id": world.section_id,
        "question_id": world.question_id,
        "token": world.token,
        "org_number": world.org_number,
        "page": 1,
        "direction": "up",
        "what": "remind",
        "filename": "css/app.css",
        "invitation_id": world.invitation_id,
        "message_id": message_id,
        # No real value: reset tokens exist only in mail; "thanks" is for the submitting session.
        "account.reset:token": None,
        "respond.thanks:token": None,
    }
    hits = crawl(app, by_role, tokens, real=real, methods=("GET",))
    problems = _report(hits)
    problems += [
        f"{hit.role} GET {hit.url} [{hit.endpoint}] -> 404 for an object that exists"
        for hit in hits
        if hit.status == 404 and not problem(hit) and hit.level not in ("api",)
    ]
    assert not problems, "\n".join(problems)
    assert {h.endpoint for h in hits if h.status == 200} >= {
        "respond.start", "respond.opt_out", "privacy.company_report", "companies.show",
        "surveys.show", "account.change_password"}  # fmt: skip
    cached = stored_by_caches(hits)  # the same crawl serves test_cache_and_logs's rule
    assert not cached, "\n".join(cached)
