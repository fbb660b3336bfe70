"""User administration: create, change role, deactivate, and the admin's own account."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, User
from tests.factories import login, post_form


def _admin(app: Flask, make_user):  # noqa: ANN202
    admin = make_user("admin")
    client = app.test_client()
    login(client, admin)
    return admin, client


def test_admin_creates_an_account_and_policy_errors_stay_beside_the_field(
    app: Flask, make_user
) -> None:
    _admin_user, client = _admin(app, make_user)
    data = {"email": "Ny@Kommun.example.se", "name": "Ny Person", "role": "analyst"}
    html = post_form(client, "/users/new", data | {"password": "kort"}).get_data(as_text=True)
    assert 'id="password-error"' in html and 'value="Ny Person"' in html
    response = post_form(client, "/users/new", data | {"password": "långt-och-unikt-lösen-42"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ny@kommun.example.se"))
        assert user.role == "analyst"


def test_role_change_and_deactivation_end_sessions(app: Flask, make_user) -> None:
    admin, client = _admin(app, make_user)
    official = make_user("official")
    their_client = app.test_client()
    login(their_client, official)
    assert their_client.get("/companies/").status_code == 200
    post_form(client, f"/users/{official.id}", {"role": "analyst"})
    post_form(
        client, f"/users/{official.id}/active", {"active": "0"}, form_url=f"/users/{official.id}"
    )
    assert their_client.get("/companies/").status_code == 302
    with app.app_context():
        user = db.session.get(User, official.id)
        assert (user.role, user.active) == ("analyst", False)
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"user.role", "user.deactivate"} <= actions
    post_form(
        client, f"/users/{official.id}/active", {"active": "1"}, form_url=f"/users/{official.id}"
    )
    with app.app_context():
        assert db.session.get(User, official.id).active is True


def test_admin_cannot_demote_or_deactivate_themself(app: Flask, make_user) -> None:
    admin, client = _admin(app, make_user)
    html = post_form(client, f"/users/{admin.id}", {"role": "analyst"}).get_data(as_text=True)
    assert "Du kan inte ändra din egen roll." in html
    post_form(client, f"/users/{admin.id}/active", {"active": "0"}, form_url=f"/users/{admin.id}")
    with app.app_context():
        user = db.session.get(User, admin.id)
        assert (user.role, user.active) == ("admin", True)
    assert client.get("/users/").status_code == 200
