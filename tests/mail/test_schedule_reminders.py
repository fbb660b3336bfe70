"""`survey mail send` queues due reminders once per step and visit follow-ups once per visit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from survey.extensions import db
from survey.models import Company, Invitation, OutboxMessage, Survey
from survey.models.base import utcnow
from survey.services.surveys import reminders
from tests.factories import local_today
from tests.mail.conftest import text_part


def _age_invitations(app, days: int) -> None:
    with app.app_context():
        db.session.execute(
            update(Invitation).values(
                sent_at=utcnow() - timedelta(days=days), last_reminded_at=None
            )
        )
        db.session.commit()


def _reminders(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(
            db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder"))
        )


def test_reminders_go_once_per_step_only_to_those_who_have_not_answered(
    app, runner, smtp_server, make_survey, make_company, invite
):
    survey_id = make_survey(reminder_days="7, 14")
    tokens = [invite(survey_id, make_company(f"Företag {n}")) for n in range(4)]
    runner.invoke(args=["mail", "send"])
    with app.app_context():
        invitations = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
        invitations[1].submitted_at = utcnow()
        invitations[2].opted_out_at = utcnow()
        db.session.get(Company, invitations[3].company_id).opted_out = True
        db.session.commit()

    _age_invitations(app, 3)
    runner.invoke(args=["mail", "send"])
    assert _reminders(app) == []

    _age_invitations(app, 8)
    runner.invoke(args=["mail", "send"])
    runner.invoke(args=["mail", "send"])
    (first,) = _reminders(app)
    assert first.to_addr == invitations[0].email and first.status == "sent"
    assert "Påminnelse" in first.subject
    assert tokens[0] not in first.text_body  # stored withheld: only the delivered mail has it
    (delivered,) = [m for m in smtp_server.inbox.messages if m["Message-ID"] == first.message_id]
    assert f"/s/{tokens[0]}" in text_part(delivered)  # the same link as in the invitation

    _age_invitations(app, 15)
    runner.invoke(args=["mail", "send"])
    runner.invoke(args=["mail", "send"])
    assert len(_reminders(app)) == 2
    _age_invitations(app, 40)
    runner.invoke(args=["mail", "send"])
    assert len(_reminders(app)) == 2
    reminder_ids = {r.message_id for r in _reminders(app)}
    assert reminder_ids <= set(smtp_server.inbox.message_ids())


def test_visit_follow_up_invites_each_visit_once_the_day_after(
    app, make_survey, make_company, make_visit
):
    survey_id = make_survey(is_visit_followup=True, opens_on=local_today() - timedelta(days=5))
    visited = make_company("Besökt AB")
    make_visit(visited, local_today())
    make_visit(make_company("Utan e-post AB", email=None), local_today())
    make_visit(make_company("Gammalt besök AB"), local_today() - timedelta(days=30))
    with app.app_context():
        assert reminders.queue_followups(local_today()) == 0  # recorded today: not yet
        assert reminders.queue_followups(local_today() + timedelta(days=1)) == 1
        assert reminders.queue_followups(local_today() + timedelta(days=1)) == 0
        invitation = db.session.scalar(select(Invitation))
        assert invitation.company_id == visited and invitation.visit_id is not None
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
        survey = db.session.get(Survey, survey_id)
        assert survey.is_visit_followup


def test_visit_follow_up_honours_the_service_area(app, make_survey, make_company, make_visit):
    from survey.models import ServiceArea

    with app.app_context():
        first, second = db.session.scalars(select(ServiceArea.id).limit(2)).all()
    make_survey(is_visit_followup=True, service_area_id=first)
    make_visit(make_company(), local_today(), service_area_id=first)
    make_visit(make_company(), local_today(), service_area_id=second)
    with app.app_context():
        assert reminders.queue_followups(local_today() + timedelta(days=1)) == 1
