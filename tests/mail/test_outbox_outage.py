"""An unreachable mail server uses up no message's attempts, however long it is down; a
refusal of one message counts, and a permanent one (5xx) fails that message at once."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import Invitation, MailAttempt
from survey.services.outbox import outbox
from survey.services.outbox.unsent import SERVER_UNREACHABLE
from tests.mail.conftest import Inbox, RefusingInbox, SmtpServer, free_port
from tests.mail.test_outbox_delivery import _invite_all, _make_due, _rows


class BusyInbox(Inbox):
    """Answers EHLO and HELO with 421: the server is up but takes no mail now."""

    async def handle_EHLO(self, server, session, envelope, hostname, responses) -> list[str]:  # noqa: ANN001, N802
        return ["421 4.3.2 too busy, try again later"]

    async def handle_HELO(self, server, session, envelope, hostname) -> str:  # noqa: ANN001, N802
        return "421 4.3.2 too busy, try again later"


def _login_refused_for_now(*_: Any) -> AuthResult:
    return AuthResult(success=False, handled=False, message="454 4.7.0 try again later")


@pytest.fixture
def hung_port() -> Iterator[int]:
    """A port that takes connections but never greets (a hung server: the client times out)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def _send(runner) -> str:
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def _assert_all_waiting(app, count: int) -> None:
    rows = _rows(app)
    assert len(rows) == count
    assert {(r.status, r.attempts, r.last_error) for r in rows} == {
        ("queued", 0, SERVER_UNREACHABLE)
    }
    with app.app_context():
        assert db.session.scalars(select(MailAttempt)).all() == []


def test_a_long_outage_fails_nothing_and_each_mail_goes_out_once_after(
    app, runner, smtp_server, make_survey, make_company, caplog
):
    for _ in range(3):
        make_company()
    _invite_all(app, make_survey())
    smtp_server.stop()
    with caplog.at_level(logging.WARNING, logger="survey.services.outbox.outbox"):
        for _ in range(outbox.MAX_ATTEMPTS + 2):  # a --watch run every few minutes for hours
            _make_due(app)
            assert "mail server unreachable (ConnectionRefusedError" in _send(runner)
    _assert_all_waiting(app, 3)
    outage_lines = [r for r in caplog.records if "mail server unreachable" in r.getMessage()]
    assert len(outage_lines) == outbox.MAX_ATTEMPTS + 2
    assert "3 message(s) stay queued" in outage_lines[0].getMessage()

    smtp_server.start()
    _make_due(app)
    assert "sent 3," in _send(runner)
    _send(runner)
    ids = smtp_server.inbox.message_ids()
    assert len(ids) == 3 and sorted(ids) == sorted(r.message_id for r in _rows(app))
    assert {(r.status, r.attempts) for r in _rows(app)} == {("sent", 1)}


def _refused(app: Flask, serve: Callable[..., SmtpServer], hung_port: int) -> None:
    app.config.update(SMTP_PORT=free_port())


def _unknown_host(app: Flask, serve: Callable[..., SmtpServer], hung_port: int) -> None:
    app.config.update(SMTP_HOST="mail.invalid")


def _hung(app: Flask, serve: Callable[..., SmtpServer], hung_port: int) -> None:
    app.config.update(SMTP_PORT=hung_port, SMTP_TIMEOUT=0.5)


def _busy(app: Flask, serve: Callable[..., SmtpServer], hung_port: int) -> None:
    serve(BusyInbox())


def _login_for_now_refused(app: Flask, serve: Callable[..., SmtpServer], hung_port: int) -> None:
    serve(Inbox(), authenticator=_login_refused_for_now, auth_require_tls=False)
    app.config.update(SMTP_USER="utskick", SMTP_PASSWORD="hemligt")


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        (_refused, "ConnectionRefusedError"),
        (_unknown_host, "gaierror"),
        (_hung, "timed out"),
        (_busy, "SMTPHeloError: (421"),
        (_login_for_now_refused, "SMTPAuthenticationError: (454"),
    ],
    ids=["connection refused", "unknown host", "hung server", "421 to EHLO", "454 to AUTH"],
)
def test_an_unreachable_server_uses_no_attempt(
    app, runner, serve, hung_port, make_survey, make_company, setup, error
):
    for _ in range(2):
        make_company()
    _invite_all(app, make_survey())
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_SECURITY="none", SMTP_TIMEOUT=5)
    setup(app, serve, hung_port)
    output = _send(runner)
    assert "mail server unreachable" in output and error in output, output
    assert "2 message(s) put back" in output
    _assert_all_waiting(app, 2)


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        ({"rcpt": "550 5.1.1 no such mailbox"}, "failed"),
        ({"data": "554 5.7.1 message rejected"}, "failed"),
        ({"rcpt": "450 4.2.1 mailbox busy"}, "queued"),
        ({"data": "451 4.3.0 try again later"}, "queued"),
    ],
    ids=["5xx to RCPT", "5xx to the data", "4xx to RCPT", "4xx to the data"],
)
def test_a_refusal_of_one_message_counts_and_a_permanent_one_fails_it_at_once(
    app, runner, serve, make_survey, make_company, reply, status
):
    refused = "nej@foretag.example.se"
    make_company(email=refused)
    for _ in range(2):
        make_company()
    _invite_all(app, make_survey())
    inbox = RefusingInbox(**reply, only={refused})
    serve(inbox)
    output = _send(runner)
    expected = "sent 2, will retry 0, failed 1" if status == "failed" else "will retry 1"
    assert expected in output, output
    rows = {r.to_addr: r for r in _rows(app)}
    assert (rows[refused].status, rows[refused].attempts) == (status, 1)
    assert next(iter(reply.values()))[:3] in rows[refused].last_error
    assert {r.status for a, r in rows.items() if a != refused} == {"sent"}
    assert sorted(inbox.message_ids()) == sorted(
        r.message_id for a, r in rows.items() if a != refused
    )
    with app.app_context():
        failed_at = db.session.scalar(
            select(Invitation.failed_at).where(Invitation.email == refused)
        )
    assert (failed_at is not None) == (status == "failed")


def test_a_421_to_a_recipient_stops_the_run_without_counting_an_attempt(
    app, runner, serve, make_survey, make_company
):
    for _ in range(3):
        make_company()
    _invite_all(app, make_survey())
    serve(RefusingInbox(rcpt="421 4.3.2 shutting down"))
    output = _send(runner)
    assert "mail server unreachable" in output and "3 message(s) put back" in output, output
    _assert_all_waiting(app, 3)


@pytest.mark.parametrize(
    ("interval", "outages", "wait"),
    [(60, 0, 60), (60, 1, 120), (60, 3, 480), (60, 4, 600), (60, 40, 600), (900, 2, 900)],
)
def test_watch_waits_longer_while_the_server_stays_down(interval, outages, wait) -> None:
    assert outbox.watch_delay(interval, outages) == wait


def test_watch_backs_off_during_an_outage_and_resumes_after(
    app, runner, smtp_server, make_survey, make_company, monkeypatch
) -> None:
    make_company()
    _invite_all(app, make_survey())
    smtp_server.stop()
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            smtp_server.start()
        if len(waits) == 4:
            raise KeyboardInterrupt
        _make_due(app)  # as if the wait outlasted the messages' own retry delay

    monkeypatch.setattr("survey.cli.mail.time.sleep", sleep)
    result = runner.invoke(args=["mail", "send", "--watch", "--interval", "5"])
    assert result.exit_code == 0, result.output
    assert waits == [10, 20, 40, 5]
    assert len(smtp_server.inbox.messages) == 1
    assert {(r.status, r.attempts) for r in _rows(app)} == {("sent", 1)}
