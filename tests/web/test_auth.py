"""Login, logout, CSRF and throttling through the HTTP client."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.factories import PASSWORD, csrf_token, login, post_form


def test_login_and_logout(client: FlaskClient, make_user) -> None:
    user = make_user("official")
    assert client.get("/").status_code == 302
    login(client, user)
    page = client.get("/")
    assert page.status_code == 200
    assert user.name in page.get_data(as_text=True)
    response = post_form(client, "/logout", {}, form_url="/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_logout_invalidates_a_copied_session_cookie(app, make_user) -> None:
    user = make_user("official")
    first = app.test_client()
    login(first, user)
    cookie = first.get_cookie("session")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/").status_code == 200
    post_form(first, "/logout", {}, form_url="/")
    assert thief.get("/").status_code == 302


def test_wrong_password_shows_error_beside_field_and_keeps_email(client, make_user) -> None:
    user = make_user("analyst")
    response = post_form(client, "/login", {"email": user.email, "password": "fel-lösenord"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="password-error"' in html
    assert f'value="{user.email}"' in html


def test_post_without_csrf_token_is_refused(client, make_user) -> None:
    user = make_user("official")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400


def test_failed_logins_are_throttled_per_account_and_address(client, make_user) -> None:
    user = make_user("official")
    for _ in range(5):
        post_form(client, "/login", {"email": user.email, "password": "wrong-password"})
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert "Försök igen om 1 min." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_redirect_never_leaves_the_site(client, make_user) -> None:
    user = make_user("official")
    token = csrf_token(client)
    response = client.post(
        "/login?next=//evil.example/x",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("lang,text", [("sv", "Logga in"), ("en", "Log in")])
def test_login_page_in_both_languages(client, lang: str, text: str) -> None:
    html = client.get(f"/login?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert text in html
