"""Password reset by an e-mailed single-use link that expires, and changing one's password."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from survey.extensions import db
from survey.models import AuditEvent, OutboxMessage, PasswordResetToken
from survey.models.base import utcnow
from survey.services.accounts.password_reset import hash_token
from tests.factories import PASSWORD, delivered_mail, login, plain_text, post_form

NEW_PASSWORD = "ny-cykel-ställning-77"
LINK = re.compile(r"/account/reset/([A-Za-z0-9_-]{20,})")


def _request(client, email: str):
    # buffered: the client closes the response, which runs the request's deferred work
    return post_form(client, "/account/reset", {"email": email}, buffered=True)


def _mailed_token(app, to_addr: str) -> str:
    """Return the token of the one reset link delivered to an address (not in the outbox)."""
    with app.app_context():
        row = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_addr == to_addr)
        ).one()
    assert row.kind == "password_reset"
    assert not LINK.findall(row.text_body) and not LINK.findall(row.html_body)
    (mail,) = [m for m in delivered_mail(app) if m["To"] == to_addr]
    tokens = set(LINK.findall(plain_text(mail)))
    assert len(tokens) == 1
    return tokens.pop()


def test_reset_link_is_mailed_and_works_once(app, client, make_user) -> None:
    user = make_user("official")
    response = _request(client, user.email.upper())
    assert response.status_code == 302
    token = _mailed_token(app, user.email)
    assert len(token) >= 22  # at least 128 bits in URL-safe base64
    with app.app_context():
        stored = db.session.scalars(select(PasswordResetToken)).one()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    assert stored.expires_at - stored.created_at == timedelta(hours=1)

    form = f"/account/reset/{token}"
    assert client.get(form).headers["Cache-Control"] == "no-store"
    done = post_form(client, form, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert (
        post_form(client, "/login", {"email": user.email, "password": NEW_PASSWORD}).status_code
        == 302
    )

    again = app.test_client().get(form)
    assert again.status_code == 404
    assert "not valid" in again.get_data(as_text=True) or "inte giltig" in again.get_data(
        as_text=True
    )


def test_reset_ends_existing_sessions(app, make_user) -> None:
    user = make_user("official")
    logged_in = app.test_client()
    login(logged_in, user)
    assert logged_in.get("/").status_code == 200
    other = app.test_client()
    _request(other, user.email)
    token = _mailed_token(app, user.email)
    post_form(other, f"/account/reset/{token}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert logged_in.get("/").status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client, make_user) -> None:
    user = make_user("official")
    known = _request(client, user.email)
    unknown = _request(app.test_client(), "nobody@kommun.example.se")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    page_known = client.get(known.headers["Location"]).get_data(as_text=True)
    page_unknown = app.test_client().get(unknown.headers["Location"]).get_data(as_text=True)
    assert page_known == page_unknown
    with app.app_context():
        assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 1
        assert db.session.scalar(select(db.func.count(PasswordResetToken.id))) == 1


def test_expired_link_gets_the_neutral_page(app, client, make_user) -> None:
    user = make_user("official")
    _request(client, user.email)
    token = _mailed_token(app, user.email)
    with app.app_context():
        db.session.execute(
            update(PasswordResetToken).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    assert client.get(f"/account/reset/{token}").status_code == 404
    response = client.post(f"/account/reset/{token}", data={"password": NEW_PASSWORD})
    assert response.status_code in (400, 404)
    assert (
        post_form(client, "/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    )


@pytest.mark.parametrize(
    "token,status",
    [("x", 404), ("A" * 43, 404), ("A" * 500, 404), ("..%2F..%2Fetc", 404), ("%00", 400)],
)
def test_unknown_links_get_the_neutral_page(client, token: str, status: int) -> None:
    response = client.get(f"/account/reset/{token}")
    assert response.status_code == status
    assert "<form" not in response.get_data(as_text=True).split("<main", 1)[1]


@pytest.mark.parametrize(
    "password,confirm,message",
    [
        ("kort", "kort", "10"),
        ("password123", "password123", "common"),
        ("Sommar2024", "Sommar2024", "common"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "match"),
    ],
)
def test_reset_applies_the_password_policy(
    app, client, make_user, password, confirm, message
) -> None:
    user = make_user("official")
    _request(client, user.email)
    token = _mailed_token(app, user.email)
    response = post_form(
        client, f"/account/reset/{token}?lang=en", {"password": password, "confirm": confirm}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    with app.app_context():
        assert db.session.scalars(select(PasswordResetToken)).one().used_at is None


def test_reset_requests_per_account_are_capped(app, make_user) -> None:
    user = make_user("official")
    for n in range(5):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.1.0.{n}"
        assert _request(client, user.email).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 3


def test_reset_requests_are_throttled_per_address(app, client) -> None:
    statuses = [_request(client, f"x{n}@example.se").status_code for n in range(12)]
    assert statuses[:10] == [302] * 10
    assert statuses[-1] == 429


def test_reset_writes_audit_events_without_personal_data(app, client, make_user) -> None:
    user = make_user("official", name="Greta Garbo")
    _request(client, user.email)
    token = _mailed_token(app, user.email)
    post_form(
        client, f"/account/reset/{token}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("user.password_reset%"))
        ).all()
    assert [e.action for e in events] == [
        "user.password_reset_requested",
        "user.password_reset",
    ]
    for event in events:
        assert event.object_id == str(user.id)
        assert user.email not in repr(event.details) and "Garbo" not in repr(event.details)
        assert token not in repr(event.details)


def test_change_own_password_keeps_this_session_and_ends_others(app, make_user) -> None:
    user = make_user("analyst")
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user)
    login(elsewhere, user)
    response = post_form(
        here,
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302


def test_change_password_needs_the_current_one(app, make_user) -> None:
    user = make_user("official")
    client = app.test_client()
    login(client, user)
    response = post_form(
        client,
        "/account/password",
        {"current_password": "wrong-wrong-1", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="current_password-error"' in html
    assert NEW_PASSWORD not in html  # password fields are never filled back in
