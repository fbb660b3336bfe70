"""`survey mail send --watch` and the demo's follow-up survey, through the real CLI."""

from __future__ import annotations

from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Invitation, OutboxMessage, Survey
from tests.mail.conftest import load_battery


def test_watch_keeps_delivering_until_ctrl_c(app, runner, monkeypatch) -> None:
    calls = []

    def sleep(seconds: float) -> None:
        calls.append(seconds)
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("survey.cli.mail.time.sleep", sleep)
    app.config["SMTP_HOST"] = ""
    result = runner.invoke(args=["mail", "send", "--watch", "--interval", "5"])
    assert result.exit_code == 0, result.output
    assert calls == [5, 5] and "Stopped." in result.output


def test_demo_creates_a_running_follow_up_survey_with_queued_mail(app, runner) -> None:
    load_battery(app)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        survey = db.session.scalar(select(Survey))
        assert survey.is_visit_followup
        invited = db.session.scalar(select(func.count(Invitation.id)))
        queued = db.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "queued")
        )
    assert invited == queued > 0
    app.config["SMTP_HOST"] = ""
    result = runner.invoke(args=["mail", "send"])
    assert f"sent {queued}" in result.output
