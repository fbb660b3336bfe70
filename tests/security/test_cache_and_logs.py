"""Pages with personal data are `Cache-Control: no-store`; token links never reach a log.

Every route is requested as every role (tests/security/test_access_routes.py) and through
the API with a token, with real and unknown ids: every response but a static asset's says
no-store. The development server's
and gunicorn's access logs show `/s/[token]` where a survey or reset link was requested.
"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.serving import make_server

from survey.extensions import db
from survey.models import OutboxMessage, User
from tests.factories import csrf_token, login
from tests.security.routes import ROLES, crawl, stored_by_caches

ROOT = Path(__file__).resolve().parents[2]
SURVEY_TOKEN = "Zq8" + secrets.token_urlsafe(32)
RESET_TOKEN = "Rk5" + secrets.token_urlsafe(32)


@pytest.fixture
def clients(app: Flask, make_user: Callable[..., User]) -> tuple[dict, dict, dict]:
    """One client per role, logged in, and one with an API token; CSRF tokens; the users."""
    from survey.services.accounts import api_tokens

    by_role: dict[str, FlaskClient] = {"anonymous": app.test_client()}
    tokens = {"anonymous": csrf_token(by_role["anonymous"], "/login")}
    users: dict[str, User] = {}
    for role in ROLES[1:]:
        client = app.test_client()
        users[role] = make_user(role)
        login(client, users[role])
        by_role[role], tokens[role] = client, csrf_token(client, "/account/password")
    with app.app_context():
        secret = api_tokens.create_token(make_user("analyst").id, "script").secret
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    by_role["api"], tokens["api"] = api, ""
    return by_role, tokens, users


@pytest.mark.any_database
def test_every_response_but_static_assets_is_no_store(app: Flask, clients, make_world) -> None:
    """Every route as the API token, and the reset and thank-you pages with a token as every
    role; the roles' own crawls of every route check the same rule in test_access_routes."""
    by_role, tokens, users = clients
    world = make_world()
    with app.app_context():
        message_id = db.session.scalars(select(OutboxMessage.id)).first()
    real = {"company_id": world.company_id, "visit_id": world.visit_id,
            "survey_id": world.survey_id, "user_id": users["official"].id,
            "key": world.battery_key, "number": world.version_number,
            "section_id": world.section_id, "question_id": world.question_id,
            "token": world.token, "org_number": world.org_number, "page": 1,
            "direction": "up", "what": "remind", "filename": "css/app.css",
            "invitation_id": world.invitation_id, "message_id": message_id,
            "account.reset:token": RESET_TOKEN, "respond.thanks:token": world.token}  # fmt: skip
    api = {"api": by_role["api"]}
    hits = crawl(app, api, tokens, real=real, methods=("GET",))
    hits += crawl(app, api, tokens)
    with_tokens = {"account.reset", "respond.thanks"}
    hits += crawl(app, by_role, tokens, real=real, methods=("GET",), endpoints=with_tokens)
    assert {(h.endpoint, h.role) for h in hits if h.endpoint in with_tokens} == {
        (endpoint, role) for endpoint in with_tokens for role in by_role
    }
    assert {"api.batteries", "api.openapi", "main.health"} <= {
        h.endpoint for h in hits if h.status == 200
    }
    assert len({h.endpoint for h in hits}) > 60
    cached = stored_by_caches(hits)
    assert not cached, "\n".join(cached)


def _get(url: str, **headers: str) -> None:
    try:
        urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30).close()
    except urllib.error.HTTPError as error:
        error.close()


def _visit_token_links(base: str) -> None:
    _get(f"{base}/s/{SURVEY_TOKEN}")
    _get(f"{base}/s/{SURVEY_TOKEN}/opt-out?lang=en")
    _get(f"{base}/account/reset/{RESET_TOKEN}")
    _get(f"{base}/healthz", Referer=f"{base}/s/{SURVEY_TOKEN}/1")


@pytest.fixture
def dev_server(app: Flask) -> Iterator[str]:
    """The app under Werkzeug's development server (`flask run`), in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_development_server_log_masks_token_links(dev_server: str, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        _visit_token_links(dev_server)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "werkzeug")
    assert "/s/[token]" in logged and "/account/reset/[token]" in logged
    assert SURVEY_TOKEN not in logged and RESET_TOKEN not in logged


@pytest.mark.postgres
@pytest.mark.slow
def test_the_gunicorn_access_log_masks_token_links(database_url: str, tmp_path: Path) -> None:
    """Gunicorn started as the deployment guide says, from the project's root directory."""
    from tests.faults.cluster import free_port

    port, access, errors = free_port(), tmp_path / "access.log", tmp_path / "error.log"
    env = {**os.environ, "DATABASE_URL": database_url, "SURVEY_ENV": "production",
           "SECRET_KEY": secrets.token_hex(32), "SURVEY_INSTANCE_DIR": str(tmp_path)}  # fmt: skip
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind",
               f"127.0.0.1:{port}", "--access-logfile", str(access), "--access-logformat",
               '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %(q)s', "--error-logfile", str(errors),
               "wsgi:app"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert server.poll() is None, errors.read_text()
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=5).close()
                break
            except OSError:
                time.sleep(0.2)
        _visit_token_links(base)
    finally:
        server.terminate()
        server.wait(timeout=30)
    logged = access.read_text() + errors.read_text()
    assert logged.count("/s/[token]") >= 4 and "/account/reset/[token]" in logged
    assert SURVEY_TOKEN not in logged and RESET_TOKEN not in logged
