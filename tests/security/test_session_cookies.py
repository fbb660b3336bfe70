"""Session cookies: HttpOnly, SameSite=Lax, Secure outside development; rotated at login."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.factories import PASSWORD, csrf_token, login, post_form


def _app(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path, env: str) -> Flask:
    from survey import create_app

    monkeypatch.setenv("SURVEY_ENV", env)
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret-for-tests")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SURVEY_INSTANCE_DIR": str(tmp_path / "instance"),
        }
    )


@pytest.fixture
def env_app(monkeypatch, database_url, tmp_path) -> Iterator:
    made: list[Flask] = []

    def make(env: str) -> Flask:
        made.append(_app(monkeypatch, database_url, tmp_path, env))
        return made[-1]

    yield make
    from survey.extensions import db

    for app in made:
        with app.app_context():
            db.engine.dispose()


def _login_cookie(app: Flask) -> str:
    from survey.services.accounts import accounts

    with app.app_context():
        user = accounts.create_user(
            "cookie@kommun.example.se", "Kaka", "official", PASSWORD, actor_id=None
        )
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert len(cookies) == 1
    return cookies[0]


@pytest.mark.parametrize("env", ["production", "testing"])
def test_session_cookie_is_secure_outside_development(env_app, env: str) -> None:
    app = env_app(env)
    cookie = _login_cookie(app)
    assert "; Secure" in cookie
    assert "; HttpOnly" in cookie
    assert "; SameSite=Lax" in cookie
    page = app.test_client().get("/login", base_url="https://localhost")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_in_development_is_httponly_and_lax(env_app) -> None:
    cookie = _login_cookie(env_app("development"))
    assert "; HttpOnly" in cookie and "; SameSite=Lax" in cookie
    assert "; Secure" not in cookie


def test_production_refuses_to_start_without_secret_key(monkeypatch, database_url) -> None:
    from survey import create_app
    from survey.config import ConfigError

    monkeypatch.setenv("SURVEY_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def test_session_is_rotated_at_login(app, make_user) -> None:
    user = make_user("analyst")
    client = app.test_client()
    token_before = csrf_token(client, "/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker before login"
    cookie_before = client.get_cookie("session").value
    login(client, user)
    cookie_after = client.get_cookie("session").value
    assert cookie_after != cookie_before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != token_before
    # The pre-login cookie, replayed, is still just an anonymous visitor.
    old = app.test_client()
    old.set_cookie("session", cookie_before)
    assert old.get("/").status_code == 302


def test_logout_kills_a_copied_cookie_for_posts_too(app, make_user) -> None:
    user = make_user("admin")
    first = app.test_client()
    login(first, user)
    thief = app.test_client()
    thief.set_cookie("session", first.get_cookie("session").value)
    token = csrf_token(thief, "/account/password")
    post_form(first, "/logout", {}, form_url="/")
    response = thief.post("/users/new", data={"csrf_token": token, "email": "x@example.se"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_password_change_kills_copied_cookies(app, make_user) -> None:
    user = make_user("official")
    first = app.test_client()
    login(first, user)
    thief = app.test_client()
    thief.set_cookie("session", first.get_cookie("session").value)
    new = "ett-helt-nytt-lösenord-9"
    post_form(
        first,
        "/account/password",
        {"current_password": PASSWORD, "password": new, "confirm": new},
    )
    assert first.get("/").status_code == 200
    assert thief.get("/").status_code == 302
