"""The API refuses missing, wrong and revoked tokens; a valid token reads as its user."""

from __future__ import annotations

import pytest
from sqlalchemy import select


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer fe_wrong", "Bearer nonsense"],
)
def test_missing_or_wrong_token_is_401(client, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/batteries", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.is_json and "error" in response.get_json()
    assert "Set-Cookie" not in response.headers


def test_revoked_token_is_401(app, client, make_token) -> None:
    from survey.extensions import db
    from survey.models import ApiToken
    from survey.services.accounts import api_tokens

    secret = make_token("analyst")
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/batteries", headers=auth).status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        api_tokens.revoke_token(token.user_id, token.id)
    response = client.get("/api/v1/batteries", headers=auth)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_of_deactivated_user_is_401(app, client, make_token) -> None:
    from survey.extensions import db
    from survey.models import ApiToken

    secret = make_token("analyst")
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        token.user.active = False
        db.session.commit()
    assert (
        client.get("/api/v1/batteries", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_token_stored_only_as_hash(app, make_token) -> None:
    import hashlib

    from survey.extensions import db
    from survey.models import ApiToken

    secret = make_token("analyst")
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.token_hash


def test_no_session_cookie_and_no_csrf(client, make_token) -> None:
    secret = make_token("analyst")
    response = client.get(
        "/api/v1/batteries?lang=en", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    # A POST is not allowed (read-only), and refused as such rather than as a CSRF failure.
    response = client.post("/api/v1/batteries", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 405 and response.is_json
