"""Erasure of one contact person on request; everything stored about one company."""

from __future__ import annotations

import json

from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, Company, Invitation, OutboxMessage


def test_erase_contact_clears_company_and_invitations_and_cancels_mail(
    app, runner, make_world
) -> None:
    world = make_world()
    result = runner.invoke(args=["privacy", "erase-contact", world.org_number.replace("-", "")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        company = db.session.get(Company, world.company_id)
        assert (company.contact_name, company.contact_email) == (None, None)
        assert company.name.startswith("Företag")
        assert db.session.get(Invitation, world.invitation_id).email is None
        mail = db.session.scalars(select(OutboxMessage)).one()
        assert mail.status == "cancelled" and mail.to_addr == ""
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "company.erase_contact")
        ).one()
    assert event.object_id == str(world.company_id)
    assert "contact_email" in repr(event.details["fields"])
    assert "Kontakt" not in repr(event.details) and "@" not in repr(event.details)


def test_erase_contact_of_unknown_company_is_one_line(runner) -> None:
    result = runner.invoke(args=["privacy", "erase-contact", "556000-0000"])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error: 556000-0000:")
    assert len(result.output.strip().splitlines()) == 1


def test_company_report_holds_everything_but_token_material(
    app, runner, make_world, tmp_path
) -> None:
    world = make_world()
    make_world("Beta")  # another company that must not appear
    output = tmp_path / "report.json"
    result = runner.invoke(args=["privacy", "company-report", world.org_number, "-o", str(output)])
    assert result.exit_code == 0, result.output
    report = json.loads(output.read_text("utf-8"))
    assert report["company"]["org_number"] == world.org_number
    assert report["company"]["contact_name"] == "Kontakt Alfa"
    assert [v["id"] for v in report["visits"]] == [world.visit_id]
    assert report["visits"][0]["notes"] == "Anteckning Alfa"
    assert [i["id"] for i in report["invitations"]] == [world.invitation_id]
    assert [r["id"] for r in report["responses"]] == [world.response_id]
    answers = {a["question"]: a for a in report["responses"][0]["answers"]}
    assert answers["Q_TEXT"]["text"] == "Svar Alfa"
    text = output.read_text("utf-8")
    assert "Beta" not in text
    assert world.token not in text and "token" not in text
    with app.app_context():
        invitation = db.session.get(Invitation, world.invitation_id)
        assert invitation.token_hash not in text and invitation.token_nonce not in text
        assert db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "company.report")
        ).one().object_id == str(world.company_id)


def test_company_report_route_is_for_admins_only(app, login_as, make_world) -> None:
    world = make_world()
    url = f"/privacy/companies/{world.org_number}/report.json"
    assert login_as("official").get(url).status_code == 403
    assert login_as("analyst").get(url).status_code == 403
    assert app.test_client().get(url).status_code == 302
    admin = login_as("admin")
    response = admin.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_json()["company"]["id"] == world.company_id
    assert admin.get("/privacy/companies/556000-0000/report.json").status_code == 404
    assert admin.get("/privacy/companies/not-a-number/report.json").status_code == 404
