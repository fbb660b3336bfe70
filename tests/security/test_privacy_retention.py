"""Retention: contact names and e-mails go once their surveys are old; answers stay."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from survey.extensions import db
from survey.models import Answer, AuditEvent, Company, Invitation, OutboxMessage, Response
from survey.services.privacy.retention import months_before


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 15), 1, date(2025, 12, 15)),
        (date(2026, 1, 15), 24, date(2024, 1, 15)),
        (date(2026, 5, 1), 13, date(2025, 4, 1)),
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


def _age(app, world, *, closed_days_ago: int, visit_days_ago: int, edited_days_ago: int) -> None:
    from survey.models import Survey, Visit
    from survey.models.base import utcnow

    today = date.today()
    with app.app_context():
        db.session.execute(
            update(Survey)
            .where(Survey.id == world.survey_id)
            .values(
                opens_on=today - timedelta(days=closed_days_ago + 30),
                closes_on=today - timedelta(days=closed_days_ago),
            )
        )
        db.session.execute(
            update(Visit)
            .where(Visit.id == world.visit_id)
            .values(visit_date=today - timedelta(days=visit_days_ago))
        )
        db.session.execute(
            update(Company)
            .where(Company.id == world.company_id)
            .values(updated_at=utcnow() - timedelta(days=edited_days_ago))
        )
        db.session.execute(update(OutboxMessage).values(status="sent"))
        db.session.commit()


def _state(app, world) -> dict:
    with app.app_context():
        company = db.session.get(Company, world.company_id)
        invitation = db.session.get(Invitation, world.invitation_id)
        return {
            "contact": (company.contact_name, company.contact_email),
            "invitation_email": invitation.email,
            "mail_to": db.session.scalars(select(OutboxMessage.to_addr)).all(),
            "answers": db.session.scalar(select(func.count(Answer.response_id))),
            "response_company": db.session.get(Response, world.response_id).company_id,
        }


def test_retention_clears_contacts_of_old_closed_surveys_and_keeps_answers(
    app, runner, make_world
) -> None:
    world = make_world()
    _age(app, world, closed_days_ago=400, visit_days_ago=420, edited_days_ago=410)
    before = _state(app, world)
    assert before["contact"][0] and before["invitation_email"]

    dry = runner.invoke(args=["privacy", "retention", "--months", "12", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would clear 1 invitation addresses, 1 company contacts, 1 mail addresses" in dry.output
    assert _state(app, world) == before

    result = runner.invoke(args=["privacy", "retention", "--months", "12"])
    assert result.exit_code == 0, result.output
    after = _state(app, world)
    assert after["contact"] == (None, None)
    assert after["invitation_email"] is None
    assert after["mail_to"] == [""]
    assert after["answers"] == before["answers"] == 3
    assert after["response_company"] == world.company_id
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "privacy.retention")
        ).one()
    assert event.details["companies"] == 1 and "kontakt" not in repr(event.details)


@pytest.mark.parametrize(
    "closed,visit,edited,cleared_company,cleared_invitation",
    [
        (100, 420, 410, False, False),  # survey closed within the period
        (400, 30, 410, False, True),  # a recent visit is a live tie
        (400, 420, 30, False, True),  # the register entry was edited recently
    ],
)
def test_retention_keeps_contacts_with_live_ties(
    app, runner, make_world, closed, visit, edited, cleared_company, cleared_invitation
) -> None:
    world = make_world()
    _age(app, world, closed_days_ago=closed, visit_days_ago=visit, edited_days_ago=edited)
    result = runner.invoke(args=["privacy", "retention", "--months", "12"])
    assert result.exit_code == 0, result.output
    state = _state(app, world)
    assert (state["contact"] == (None, None)) is cleared_company
    assert (state["invitation_email"] is None) is cleared_invitation


def test_retention_keeps_a_company_with_a_second_open_survey(app, runner, make_world) -> None:
    from survey.models import Survey
    from survey.services.surveys.invitations import create_invitation

    world = make_world()
    _age(app, world, closed_days_ago=400, visit_days_ago=420, edited_days_ago=410)
    with app.app_context():
        old = db.session.get(Survey, world.survey_id)
        fresh = Survey(
            name="Nytt",
            battery_version_id=old.battery_version_id,
            opens_on=date.today(),
            closes_on=date.today() + timedelta(days=5),
            sender_name="N",
            invitation_subject_sv="S",
            invitation_body_sv="{link}",
        )
        db.session.add(fresh)
        create_invitation(fresh, db.session.get(Company, world.company_id))
        db.session.commit()
    runner.invoke(args=["privacy", "retention", "--months", "12"])
    assert _state(app, world)["contact"][1] is not None


def test_retention_is_off_by_default(app, runner, make_world) -> None:
    world = make_world()
    _age(app, world, closed_days_ago=4000, visit_days_ago=4000, edited_days_ago=4000)
    before = _state(app, world)
    result = runner.invoke(args=["privacy", "retention"])
    assert result.exit_code == 0
    assert "off" in result.output
    assert _state(app, world) == before
