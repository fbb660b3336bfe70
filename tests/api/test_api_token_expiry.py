"""API tokens expire; a password reset, change or deactivation revokes all of a user's tokens."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from survey.extensions import db
from survey.models import ApiToken, AuditEvent
from survey.models.base import utcnow
from tests.factories import LOCAL_ZONE, PASSWORD, csrf_token, login, post_form
from tests.security.test_password_reset_flow import NEW_PASSWORD, _mailed_token, _request


def _refused(client, secret: str) -> bool:
    """Tell whether the API answers the token with a JSON 401."""
    response = client.get("/api/v1/batteries", headers={"Authorization": f"Bearer {secret}"})
    if response.status_code == 200:
        return False
    assert response.status_code == 401 and response.is_json, response.status_code
    assert "error" in response.get_json()
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    return True


def _web_token(client, data: dict) -> tuple[int, str]:
    response = post_form(client, "/exports/tokens?lang=en", data)
    html = response.get_data(as_text=True)
    found = re.search(r'value="(fe_[^"]+)"', html)
    return response.status_code, found.group(1) if found else html


def test_a_token_works_90_days_by_default_and_the_list_shows_when(app, make_user) -> None:
    user = make_user("analyst")
    client = app.test_client()
    login(client, user)
    status, secret = _web_token(client, {"name": "R-skript"})
    assert status == 200 and not _refused(client, secret)
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
    assert token.expires_at - token.created_at == timedelta(days=90)
    listing = client.get("/exports/tokens?lang=en").get_data(as_text=True)
    expires = token.expires_at.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d")  # the local date
    assert "Expires" in listing and expires in listing


@pytest.mark.parametrize("days,expected", [("7", 7), ("365", 365), ("", 90)])
def test_the_lifetime_is_chosen_at_creation(app, login_as, days: str, expected: int) -> None:
    client = login_as("analyst")
    status, _secret = _web_token(client, {"name": "skript", "days": days})
    assert status == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
    assert token.expires_at - token.created_at == timedelta(days=expected)


@pytest.mark.parametrize("days", ["0", "366", "10000", "-1", "tre"])
def test_a_lifetime_outside_1_to_365_days_is_refused_beside_the_field(login_as, days) -> None:
    client = login_as("analyst")
    status, html = _web_token(client, {"name": "skript", "days": days})
    assert status == 400
    assert 'id="days-error"' in html and 'value="skript"' in html


def test_an_expired_token_gets_401_json(app, client, make_token) -> None:
    secret = make_token("analyst")
    assert not _refused(client, secret)
    with app.app_context():
        db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert _refused(client, secret)
    login_client = app.test_client()
    with app.app_context():
        user = db.session.scalar(select(ApiToken)).user
    login(login_client, user)
    listing = login_client.get("/exports/tokens?lang=en").get_data(as_text=True)
    assert "Expired" in listing


def _user_with_token(app: Flask, make_user, role: str = "official"):  # noqa: ANN202
    from survey.services.accounts import api_tokens

    user = make_user(role)
    with app.app_context():
        secrets = [api_tokens.create_token(user.id, name).secret for name in ("a", "b")]
    return user, secrets


def test_a_password_reset_revokes_every_token(app, client, make_user) -> None:
    user, secrets = _user_with_token(app, make_user)
    assert not _refused(client, secrets[0])
    _request(client, user.email)
    token = _mailed_token(app, user.email)
    done = post_form(
        client, f"/account/reset/{token}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert all(_refused(client, secret) for secret in secrets)
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "api_token.revoke_all")
        )
    assert event.details["reason"] == "password_reset" and event.details["count"] == 2


def test_a_password_change_revokes_every_token(app, client, make_user) -> None:
    user, secrets = _user_with_token(app, make_user)
    login(client, user)
    done = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert all(_refused(app.test_client(), secret) for secret in secrets)


def test_set_password_in_the_cli_revokes_every_token(app, runner, make_user) -> None:
    user, secrets = _user_with_token(app, make_user)
    result = runner.invoke(args=["users", "set-password", user.email], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert all(_refused(app.test_client(), secret) for secret in secrets)


def test_deactivation_revokes_every_token_for_good(app, make_user) -> None:
    user, secrets = _user_with_token(app, make_user)
    admin = app.test_client()
    login(admin, make_user("admin"))
    url = f"/users/{user.id}/active"
    token = csrf_token(admin, f"/users/{user.id}")
    assert admin.post(url, data={"active": "0", "csrf_token": token}).status_code == 302
    assert admin.post(url, data={"active": "1", "csrf_token": token}).status_code == 302
    # Reactivated, the account logs in again, but its old tokens stay revoked.
    assert all(_refused(app.test_client(), secret) for secret in secrets)
    with app.app_context():
        assert all(t.revoked_at is not None for t in db.session.scalars(select(ApiToken)))
