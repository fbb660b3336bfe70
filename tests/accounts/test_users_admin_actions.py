"""An admin renames an account, mails a password link (after confirming) and is asked before
deactivating; the link is withheld at rest as the user's own reset link is."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AuditEvent, OutboxMessage, PasswordResetToken, User
from tests.factories import PASSWORD, delivered_mail, login, plain_text, post_form

LINK = re.compile(r"/account/reset/([A-Za-z0-9_-]{20,})")
NEW_PASSWORD = "ny-cykel-ställning-77"


@pytest.fixture
def admin(app: Flask, make_user):  # noqa: ANN001, ANN201
    user = make_user("admin", name="Alva Admin")
    client = app.test_client()
    login(client, user)
    return user, client


def _count(app: Flask, model) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_admin_renames_an_account_and_a_blank_name_stays_beside_the_field(
    app: Flask,
    admin,
    make_user,  # noqa: ANN001
) -> None:
    _admin, client = admin
    user = make_user("official", name="Karin Berg")
    url = f"/users/{user.id}/name"
    response = post_form(
        client, url, {"name": "  Karin   Bergström "}, form_url=f"/users/{user.id}"
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).name == "Karin Bergström"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.rename"))
        assert event.details == {"fields": ["name"]}  # ids and field names, no names
    html = post_form(client, url, {"name": "   "}, form_url=f"/users/{user.id}").get_data(
        as_text=True
    )
    assert 'id="name-error"' in html and 'aria-invalid="true"' in html
    assert 'class="error-summary"' in html and 'href="#name"' in html
    too_long = post_form(client, url, {"name": "K" * 201}, form_url=f"/users/{user.id}")
    assert 'id="name-error"' in too_long.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).name == "Karin Bergström"


def test_admin_sends_a_password_link_after_confirming_and_it_works_once(
    app: Flask,
    admin,
    make_user,  # noqa: ANN001
) -> None:
    admin_user, client = admin
    user = make_user("official", name="Nils Ny", email="nils@upplands-bro.example.se")
    url = f"/users/{user.id}/password-link"
    page = client.get(url).get_data(as_text=True)
    assert "Skicka en lösenordslänk till Nils Ny?" in page and "nils@upplands-bro" in page
    assert _count(app, OutboxMessage) == 0  # asking sends nothing
    response = post_form(client, url, {})
    assert response.status_code == 302 and response.headers["Location"] == f"/users/{user.id}"
    assert "på väg till nils@upplands-bro.example.se" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    with app.app_context():
        row = db.session.scalars(select(OutboxMessage)).one()
        token_row = db.session.scalars(select(PasswordResetToken)).one()
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "user.password_link_sent")
        )
    assert row.kind == "password_reset" and row.to_addr == user.email
    assert not LINK.findall(row.text_body) and not LINK.findall(row.html_body)  # withheld
    assert token_row.expires_at - token_row.created_at == timedelta(hours=24)
    assert event.user_id == admin_user.id and event.object_id == str(user.id)

    (mail,) = delivered_mail(app)
    text = plain_text(mail)
    assert "Alva Admin har skickat en länk" in text and "24 timmar" in text
    (token,) = set(LINK.findall(text))
    assert str(mail["Subject"]) == "Välj ett lösenord"
    # Until the link is used the present password works; then the new one.
    assert (
        post_form(
            app.test_client(), "/login", {"email": user.email, "password": PASSWORD}
        ).status_code
        == 302
    )  # noqa: E501
    person = app.test_client()
    done = post_form(
        person, f"/account/reset/{token}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert done.status_code == 302
    login_new = post_form(person, "/login", {"email": user.email, "password": NEW_PASSWORD})
    assert login_new.status_code == 302
    assert app.test_client().get(f"/account/reset/{token}").status_code == 404


def test_no_link_for_a_deactivated_account_nor_ones_own(app: Flask, admin, make_user) -> None:  # noqa: ANN001
    admin_user, client = admin
    user = make_user("official")
    post_form(client, f"/users/{user.id}/active", {"active": "0"}, form_url=f"/users/{user.id}")
    html = post_form(client, f"/users/{user.id}/password-link", {}).get_data(as_text=True)
    assert "Kontot är inaktiverat" in html
    own = post_form(client, f"/users/{admin_user.id}/password-link", {}).get_data(as_text=True)
    assert "Byt ditt eget lösenord" in own
    assert _count(app, OutboxMessage) == 0 and _count(app, PasswordResetToken) == 0


def test_at_most_three_open_links(app: Flask, admin, make_user) -> None:  # noqa: ANN001
    _admin, client = admin
    user = make_user("official")
    for _ in range(3):
        assert post_form(client, f"/users/{user.id}/password-link", {}).status_code == 302
    html = post_form(client, f"/users/{user.id}/password-link", {}).get_data(as_text=True)
    assert "redan 3 oanvända länkar" in html
    assert _count(app, OutboxMessage) == 3


def test_deactivation_asks_first(app: Flask, admin, make_user) -> None:  # noqa: ANN001
    _admin, client = admin
    user = make_user("official", name="Per Persson")
    show = client.get(f"/users/{user.id}").get_data(as_text=True)
    assert f'href="/users/{user.id}/active"' in show  # a link to the question, not a POST
    question = client.get(f"/users/{user.id}/active").get_data(as_text=True)
    assert "Inaktivera kontot för Per Persson?" in question and 'value="0"' in question
    with app.app_context():
        assert db.session.get(User, user.id).active is True
    post_form(client, f"/users/{user.id}/active", {"active": "0"})
    with app.app_context():
        assert db.session.get(User, user.id).active is False
