"""The outbox delivers over a real SMTP server on loopback: exactly once, nothing lost."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from survey.extensions import db
from survey.models import Invitation, MailAttempt, OutboxMessage
from survey.models.base import utcnow
from survey.services.outbox import outbox
from survey.services.outbox.unsent import SERVER_UNREACHABLE
from survey.services.surveys.recipients import RecipientFilter, invite_recipients
from tests.mail.conftest import RefusingInbox


def _invite_all(app, survey_id: int) -> None:
    with app.app_context():
        invite_recipients(survey_id, RecipientFilter(mode="all"), actor_id=None)


def _rows(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _make_due(app) -> None:
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()


def test_each_message_is_delivered_once(app, runner, smtp_server, make_survey, make_company):
    for _ in range(3):
        make_company()
    _invite_all(app, make_survey())
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 3" in result.output
    runner.invoke(args=["mail", "send"])
    rows = _rows(app)
    assert sorted(smtp_server.inbox.message_ids()) == sorted(r.message_id for r in rows)
    assert {r.status for r in rows} == {"sent"}
    with app.app_context():
        assert db.session.scalar(select(Invitation.sent_at).limit(1)) is not None


def test_smtp_down_keeps_every_mail_queued(app, runner, smtp_server, make_survey, make_company):
    for _ in range(4):
        make_company()
    _invite_all(app, make_survey())
    smtp_server.stop()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "mail server unreachable" in result.output
    rows = _rows(app)
    assert [r.status for r in rows] == ["queued"] * 4
    assert all(r.attempts == 0 and r.last_error == SERVER_UNREACHABLE for r in rows)
    assert all(r.next_attempt_at > utcnow() for r in rows)
    with app.app_context():  # an outage is no attempt at any message
        assert db.session.scalars(select(MailAttempt)).all() == []

    smtp_server.start()
    _make_due(app)
    runner.invoke(args=["mail", "send"])
    runner.invoke(args=["mail", "send"])
    ids = smtp_server.inbox.message_ids()
    assert len(ids) == 4 and len(set(ids)) == 4
    assert sorted(ids) == sorted(r.message_id for r in _rows(app))


def test_a_message_refused_for_now_fails_for_good_after_max_attempts(
    app, serve, make_survey, make_company
):
    make_company()
    _invite_all(app, make_survey())
    serve(RefusingInbox(rcpt="450 4.2.1 mailbox busy"))
    with app.app_context():
        from survey.mail import sender_from_config

        for _ in range(3):
            db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
            db.session.commit()
            outbox.send_due(sender_from_config(app.config), max_attempts=3)
    (row,) = _rows(app)
    assert row.status == "failed" and row.attempts == 3 and "450" in row.last_error
    with app.app_context():
        assert db.session.scalar(select(Invitation.failed_at)) is not None


def test_rows_claimed_by_a_dead_worker_come_back_after_the_lease(
    app, runner, smtp_server, make_survey, make_company
):
    make_company()
    make_company()
    _invite_all(app, make_survey())
    with app.app_context():
        claimed = outbox.claim_due(1)  # a worker claims one row, then dies before sending
    assert len(claimed) == 1
    runner.invoke(args=["mail", "send"])
    assert len(smtp_server.inbox.messages) == 1  # only the unclaimed one: the claim holds
    leased = next(r for r in _rows(app) if r.id == claimed[0])
    assert leased.status == "queued" and leased.attempts == 0
    assert leased.next_attempt_at > utcnow() + outbox.LEASE - timedelta(minutes=1)

    with app.app_context():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == claimed[0])
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    result = runner.invoke(args=["mail", "send"])
    assert "sent 1" in result.output and "interrupted" not in result.output
    ids = smtp_server.inbox.message_ids()
    assert len(ids) == 2 and sorted(ids) == sorted(r.message_id for r in _rows(app))


def test_a_stale_sending_row_fails_as_unknown_and_is_sent_after_requeue(
    app, runner, smtp_server, make_survey, make_company
):
    make_company()
    _invite_all(app, make_survey())
    (row,) = _rows(app)
    with app.app_context():  # as a worker leaves it when it dies during the SMTP exchange
        db.session.execute(
            update(OutboxMessage).values(
                status="sending", claimed_at=utcnow() - outbox.LEASE - timedelta(minutes=1)
            )
        )
        db.session.commit()
    result = runner.invoke(args=["mail", "send"])
    assert "1 interrupted" in result.output
    (row,) = _rows(app)
    assert row.status == "failed" and row.last_error == outbox.UNKNOWN_OUTCOME
    assert smtp_server.inbox.messages == []

    result = runner.invoke(args=["mail", "requeue", str(row.id)])
    assert result.exit_code == 0, result.output
    runner.invoke(args=["mail", "send"])
    assert smtp_server.inbox.message_ids() == [row.message_id]


def test_two_workers_never_claim_the_same_row(app, make_survey, make_company):
    for _ in range(5):
        make_company()
    _invite_all(app, make_survey())
    with app.app_context():
        first = outbox.claim_due(3)
    with app.app_context():
        second = outbox.claim_due(10)
    assert len(first) == 3 and len(second) == 2 and not set(first) & set(second)


def test_requeue_refuses_messages_that_did_not_fail(app, runner, make_survey, make_company):
    make_company()
    _invite_all(app, make_survey())
    (row,) = _rows(app)
    result = runner.invoke(args=["mail", "requeue", str(row.id)])
    assert result.exit_code != 0
    assert f"message {row.id}:" in result.output


def test_delivery_notes_the_invitation_sent_and_the_reminder_given(
    app, runner, smtp_server, make_survey, make_company, invite
):
    from survey.services.surveys.invitations import queue_mail

    invite(make_survey(), make_company())
    runner.invoke(args=["mail", "send"])
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        first_sent, reminded = invitation.sent_at, invitation.last_reminded_at
        queue_mail(invitation, kind="reminder")
        db.session.commit()
    assert first_sent is not None and reminded is None
    result = runner.invoke(args=["mail", "send"])
    assert "sent 1" in result.output, result.output
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.sent_at == first_sent and invitation.failed_at is None
        assert invitation.last_reminded_at is not None
    assert len(smtp_server.inbox.messages) == 2
