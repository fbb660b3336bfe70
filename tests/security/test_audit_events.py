"""Audit events for logins, user and role changes, exports, publishing, deletions and privacy
actions: ids and changed field names, never copies of personal data."""

from __future__ import annotations

import json

from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, Company, User
from tests.factories import PASSWORD, login, post_form

SECRET_NAME = "Hemliga Personen"
SECRET_EMAIL = "hemlig.person@kommun.example.se"
CONTACT = "Kontakt Persson"
CONTACT_EMAIL = "kontakt.persson@foretag.example.se"


def _events(app) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def _by_action(events: list[AuditEvent], action: str) -> list[AuditEvent]:
    return [event for event in events if event.action == action]


def _act_as_admin(app, runner, make_user, make_world, tmp_path) -> dict:
    admin_user = make_user("admin", name="Admin Adminsson")
    admin = app.test_client()
    login(admin, admin_user)
    world = make_world()
    post_form(
        admin,
        "/users/new",
        {"email": SECRET_EMAIL, "name": SECRET_NAME, "role": "official", "password": PASSWORD},
    )
    with app.app_context():
        new_user = db.session.scalars(select(User).where(User.email == SECRET_EMAIL)).one()
    post_form(admin, f"/users/{new_user.id}", {"role": "analyst"})
    post_form(
        admin, f"/users/{new_user.id}/active", {"active": "0"}, form_url=f"/users/{new_user.id}"
    )
    company = {
        "org_number": "556677-8899",
        "name": "Granskning AB",
        "contact_name": CONTACT,
        "contact_email": CONTACT_EMAIL,
        "size_class": "",
    }
    post_form(admin, "/companies/new", company)
    with app.app_context():
        company_id = db.session.scalars(
            select(Company.id).where(Company.org_number == "556677-8899")
        ).one()
    changed = {**company, "contact_name": CONTACT + " Jr", "contact_email": "ny." + CONTACT_EMAIL}
    post_form(admin, f"/companies/{company_id}/edit", changed)
    post_form(admin, f"/companies/{company_id}/delete", {}, form_url=f"/companies/{company_id}")
    exported = post_form(
        admin, "/exports/", {"battery": world.battery_key, "layout": "wide", "identities": "y"}
    )
    body = exported.get_data(as_text=True)  # a streamed response: read it to the end
    exported.close()
    assert exported.status_code == 200, body[:500]
    assert runner.invoke(args=["privacy", "erase-contact", world.org_number]).exit_code == 0
    out = tmp_path / "r.json"
    assert admin.get(f"/privacy/companies/{world.org_number}/report.json").status_code == 200
    assert (
        runner.invoke(
            args=["privacy", "company-report", world.org_number, "-o", str(out)]
        ).exit_code
        == 0
    )
    return {"admin": admin_user, "new_user": new_user, "company_id": company_id, "world": world}


def test_actions_write_audit_events_with_ids(app, runner, make_user, make_world, tmp_path) -> None:
    done = _act_as_admin(app, runner, make_user, make_world, tmp_path)
    events = _events(app)
    admin_id, new_id = done["admin"].id, done["new_user"].id
    expected = {
        "user.login": ("user", str(admin_id)),
        "user.create": ("user", str(new_id)),
        "user.role": ("user", str(new_id)),
        "user.deactivate": ("user", str(new_id)),
        "company.create": ("company", str(done["company_id"])),
        "company.update": ("company", str(done["company_id"])),
        "company.delete": ("company", str(done["company_id"])),
        "export.responses": ("battery", done["world"].battery_key),
        "battery.publish": ("battery_version", str(done["world"].version_id)),
        "company.erase_contact": ("company", str(done["world"].company_id)),
        "company.report": ("company", str(done["world"].company_id)),
    }
    for action, (object_type, object_id) in expected.items():
        found = _by_action(events, action)
        assert found, f"no audit event {action}; actions: {sorted({e.action for e in events})}"
        assert any(e.object_type == object_type and e.object_id == object_id for e in found), (
            action,
            [(e.object_type, e.object_id) for e in found],
        )
    web_actions = (
        "user.create",
        "user.role",
        "user.deactivate",
        "company.update",
        "export.responses",
    )
    for action in web_actions:
        mine = [e for e in _by_action(events, action) if e.object_id == expected[action][1]]
        assert mine and all(e.user_id == admin_id for e in mine), action
    update = _by_action(events, "company.update")[0]
    assert set(update.details["fields"]) == {"contact_name", "contact_email"}
    assert len(_by_action(events, "company.report")) == 2  # the route and the CLI


def test_audit_details_never_hold_personal_data(
    app, runner, make_user, make_world, tmp_path
) -> None:
    done = _act_as_admin(app, runner, make_user, make_world, tmp_path)
    with app.app_context():
        people = db.session.execute(select(User.email, User.name)).all()
    secrets = {SECRET_NAME, SECRET_EMAIL, CONTACT, CONTACT_EMAIL, "Kontakt Alfa"}
    secrets |= {value for row in people for value in row}
    secrets.add(done["world"].token)
    for event in _events(app):
        text = json.dumps(event.details, ensure_ascii=False)
        leaked = [value for value in secrets if value and value in text]
        assert not leaked, f"{event.action} details carry personal data: {leaked}"
        assert "@" not in text, f"{event.action} details carry an e-mail address: {text}"
