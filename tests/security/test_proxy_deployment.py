"""Behind a reverse proxy: ProxyFix only when SURVEY_PROXY_COUNT says there is one."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import LoginAttempt
from tests.factories import csrf_token

WSGI = Path(__file__).resolve().parents[2] / "wsgi.py"
# Over HTTPS, Flask-WTF also checks that the Referer is this site (browsers send it: our
# Referrer-Policy is same-origin).
FORWARDED = {
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Proto": "https",
    "Referer": "https://localhost/login",
}


def _wsgi_app(monkeypatch, database_url: str, tmp_path, count: str):  # noqa: ANN202
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SURVEY_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.setenv("SURVEY_PROXY_COUNT", count)
    monkeypatch.setenv("SURVEY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret-for-tests")
    app = runpy.run_path(str(WSGI))["app"]
    app.config["TESTING"] = True
    return app


@pytest.mark.parametrize("count,ip,proxied", [("1", "203.0.113.7", True), ("0", "10.0.0.1", False)])
def test_forwarded_headers_are_trusted_only_behind_a_proxy(
    monkeypatch, database_url, tmp_path, count, ip, proxied
) -> None:
    app = _wsgi_app(monkeypatch, database_url, tmp_path, count)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.1"
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={"email": "x@example.se", "password": "wrong-password", "csrf_token": token},
        headers=FORWARDED,
    )
    with app.app_context():
        attempt = db.session.scalars(select(LoginAttempt)).one()
    with app.app_context():
        db.engine.dispose()  # after the session gave its connection back
    assert attempt.ip == ip
    assert (type(app.wsgi_app).__name__ == "ProxyFix") is proxied


def test_proxy_count_must_be_a_whole_number(monkeypatch) -> None:
    from survey.config import ConfigError, load_config

    with pytest.raises(ConfigError, match="SURVEY_PROXY_COUNT"):
        load_config({"SURVEY_PROXY_COUNT": "two", "SECRET_KEY": "x" * 20})
