"""Mail whose invitation no longer needs it is not sent: a company that answered or opted
out while the server was down (or while its batch was being delivered) gets no reminder,
and a closed survey's invitation stays unsent. Through a real SMTP server on loopback."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from sqlalchemy import select, update

from survey.extensions import db
from survey.models import Company, Invitation, MailAttempt, OutboxMessage
from survey.services.outbox import unsent
from survey.services.register import companies
from survey.services.surveys import invitations, surveys
from tests.factories import post_form
from tests.mail.conftest import survey_input
from tests.mail.test_outbox_delivery import _make_due, _rows
from tests.mail.test_outbox_faults import StallingInbox
from tests.respond.test_one_page import ANSWERS


def _send(runner) -> str:
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def _remind_all(app, survey_id: int) -> None:
    with app.app_context():
        for invitation_id in db.session.scalars(
            select(Invitation.id).where(Invitation.survey_id == survey_id)
        ).all():
            invitations.remind_now(invitation_id, survey_id, actor_id=None)


def _by_company(app) -> dict[str, OutboxMessage]:
    """Return the outbox row of each company's latest mail, by company name."""
    with app.app_context():
        rows = db.session.execute(
            select(OutboxMessage, Invitation)
            .join(Invitation, Invitation.id == OutboxMessage.invitation_id)
            .order_by(OutboxMessage.id)
        ).all()
        return {invitation.company.name: message for message, invitation in rows}


def _close(app, survey_id: int, battery_version_id: int) -> None:
    """Let an official close a survey by moving its close date to yesterday."""
    yesterday = date.today() - timedelta(days=1)
    data = survey_input(
        battery_version_id, opens_on=yesterday - timedelta(days=5), closes_on=yesterday
    )
    with app.app_context():
        surveys.update_survey(survey_id, data, actor_id=None)


def test_mail_no_longer_needed_when_the_server_is_back_is_not_sent(
    app, client, runner, smtp_server, battery_version_id, make_survey, make_company, invite
):
    survey_id = make_survey()
    names = ["Svarat AB", "Avböjt AB", "Registret avböjt AB", "Väntar AB"]
    tokens = dict(zip(names, (invite(survey_id, make_company(n)) for n in names), strict=True))
    assert "sent 4" in _send(runner)
    _remind_all(app, survey_id)
    closing = make_survey(name="Stänger snart")
    invite(closing, make_company("Stängd AB"))
    smtp_server.stop()
    assert "mail server unreachable" in _send(runner)
    assert {r.status for r in _rows(app)} == {"sent", "queued"}

    # While the server is down: one company answers, one opts out by its link, an official
    # marks one as opted out in the register, and the other survey closes.
    answered = post_form(client, f"/s/{tokens['Svarat AB']}/all", {**ANSWERS, "action": "submit"})
    assert answered.status_code == 302
    assert client.post(f"/s/{tokens['Avböjt AB']}/opt-out").status_code == 200
    with app.app_context():
        company_id = db.session.scalar(
            select(Company.id).where(Company.name == "Registret avböjt AB")
        )
        companies.set_opted_out(company_id, True, actor_id=None)
    _close(app, closing, battery_version_id)

    smtp_server.start()
    _make_due(app)
    output = _send(runner)
    assert "sent 1," in output and "3 no longer needed" in output, output
    mail = _by_company(app)
    assert (mail["Väntar AB"].kind, mail["Väntar AB"].status) == ("reminder", "sent")
    expected = {
        "Svarat AB": unsent.ANSWERED,
        "Avböjt AB": unsent.OPTED_OUT,  # cancelled at once by the opt-out
        "Registret avböjt AB": unsent.OPTED_OUT,
        "Stängd AB": unsent.CLOSED,
    }
    assert {n: (mail[n].status, mail[n].last_error) for n in expected} == {
        n: ("cancelled", note) for n, note in expected.items()
    }
    assert mail["Stängd AB"].kind == "invitation"
    received = smtp_server.inbox.message_ids()
    assert len(received) == 5 and mail["Väntar AB"].message_id in received
    with app.app_context():
        cancelled = [m.id for m in mail.values() if m.status == "cancelled"]
        assert not db.session.scalars(
            select(MailAttempt).where(MailAttempt.message_id.in_(cancelled))
        ).all()
        notes = dict(
            db.session.execute(
                select(Invitation.id, Invitation.last_reminded_at).where(
                    Invitation.survey_id == survey_id
                )
            ).all()
        )
        closed = db.session.scalar(select(Invitation).where(Invitation.survey_id == closing))
        assert (closed.sent_at, closed.failed_at) == (None, None)
    reminded = {mail[n].invitation_id for n in names if notes[mail[n].invitation_id]}
    assert reminded == {mail["Väntar AB"].invitation_id}


def test_a_company_answering_while_its_batch_is_delivered_gets_no_reminder(
    app, runner, serve, make_survey, make_company, invite
):
    survey_id = make_survey()
    invite(survey_id, make_company("Först AB"))
    invite(survey_id, make_company("Svarar under tiden AB"))
    inbox = StallingInbox(at=3)  # two invitations, then holds back its reply to a reminder
    serve(inbox)
    assert "sent 2" in _send(runner)
    _remind_all(app, survey_id)
    stalled = []

    def answer_while_stalled() -> None:
        stalled.append(inbox.stalled.wait(timeout=30))
        with app.app_context():  # the second company answers after the batch was claimed
            db.session.execute(
                update(Invitation)
                .where(Invitation.company.has(name="Svarar under tiden AB"))
                .values(submitted_at=invitations.now_utc())
            )
            db.session.commit()
        inbox.release.set()

    helper = threading.Thread(target=answer_while_stalled)
    helper.start()
    try:
        output = _send(runner)
    finally:
        inbox.release.set()
        helper.join()
    assert stalled == [True]
    assert "sent 1," in output and "1 no longer needed" in output, output
    mail = _by_company(app)
    assert mail["Först AB"].status == "sent"
    late = mail["Svarar under tiden AB"]
    assert (late.status, late.last_error, late.attempts) == (
        "cancelled",
        unsent.ANSWERED,
        0,
    )
    assert len(inbox.messages) == 3 and inbox.message_ids()[2] == mail["Först AB"].message_id


def test_the_outbox_page_shows_why_mail_was_not_sent_in_swedish(
    app, runner, login_as, make_survey, make_company, invite
):
    app.config["SMTP_HOST"] = ""
    survey_id = make_survey()
    invite(survey_id, make_company("Svarat AB"))
    with app.app_context():
        db.session.execute(update(Invitation).values(submitted_at=invitations.now_utc()))
        db.session.commit()
    assert "1 no longer needed" in _send(runner)
    official = login_as("official")
    page = official.get("/outbox/?status=cancelled").get_data(as_text=True)
    assert "Behövs inte (1)" in page
    assert "inte skickat: har redan svarat" in page
    assert "Köa igen" not in page  # only failed mail can be queued again
