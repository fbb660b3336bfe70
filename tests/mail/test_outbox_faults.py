"""Delivery under faults, through a real SMTP server on loopback: killed worker, broken
connections, concurrent runs, unbuildable messages. Nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from survey.extensions import db
from survey.mail import sender_from_config
from survey.models import MailAttempt, OutboxMessage
from survey.models.base import utcnow
from survey.services.outbox import ledger, outbox
from tests.mail.conftest import Inbox
from tests.mail.test_outbox_delivery import _invite_all, _make_due, _rows


class StallingInbox(Inbox):
    """Takes message number `at` in, then holds back its reply until released."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at, self.stalled, self.release = at, threading.Event(), threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == self.at:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
        return reply


class BreakingInbox(Inbox):
    """Breaks the connection once: at message number `at`, before or after taking it in."""

    def __init__(self, at: int, *, after_data: bool) -> None:
        super().__init__()
        self.at, self.after_data, self.recipients = at, after_data, 0

    async def handle_RCPT(self, server, session, envelope, address, options) -> str:  # noqa: ANN001, N802
        self.recipients += 1
        if self.recipients == self.at and not self.after_data:
            server.transport.close()
            return "421 4.3.0 going away"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == self.at and self.after_data:
            server.transport.close()  # accepted, but the client never hears so
        return reply


def _survey_mail_send(app, database_url: str, port: int) -> subprocess.Popen[bytes]:
    """Start `survey mail send` as a process of its own (so the test can kill it)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SURVEY_INSTANCE_DIR": app.config["SURVEY_INSTANCE_DIR"],
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_SECURITY": "none",
    }
    command = [str(Path(sys.executable).parent / "survey"), "mail", "send"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _shift_leases(app) -> None:
    """Let the leases of claims and hand-overs run out, as if LEASE had passed."""
    past = utcnow() - outbox.LEASE - timedelta(minutes=1)
    with app.app_context():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "queued")
            .values(next_attempt_at=past)
        )
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.status == "sending").values(claimed_at=past)
        )
        db.session.commit()


def test_a_killed_run_leaves_one_unknown_outcome_and_loses_nothing(
    app, runner, database_url, serve, make_survey, make_company
):
    for _ in range(6):
        make_company()
    _invite_all(app, make_survey())
    inbox = StallingInbox(at=3)
    server = serve(inbox)
    process = _survey_mail_send(app, database_url, server.port)
    try:
        stalled = inbox.stalled.wait(timeout=60)
    finally:
        process.kill()  # while the server holds back its reply to the third message
        _, errors = process.communicate()
        inbox.release.set()
    assert stalled, errors.decode()[-2000:]

    rows = _rows(app)
    by_status = {s: [r for r in rows if r.status == s] for s in ("sent", "sending", "queued")}
    assert [len(by_status[s]) for s in ("sent", "sending", "queued")] == [2, 1, 3]
    (in_flight,) = by_status["sending"]
    assert in_flight.message_id == str(inbox.messages[2]["Message-ID"])
    assert all(r.attempts == 0 and r.next_attempt_at > utcnow() for r in by_status["queued"])
    with app.app_context():
        assert len(db.session.scalars(select(MailAttempt)).all()) == 2

    result = runner.invoke(args=["mail", "send"])  # the claims and the hand-over still hold
    assert "sent 0" in result.output and len(inbox.messages) == 3

    _shift_leases(app)
    result = runner.invoke(args=["mail", "send"])
    assert "sent 3" in result.output and "1 interrupted" in result.output, result.output
    ids = inbox.message_ids()
    assert len(ids) == 6 and sorted(set(ids)) == sorted(r.message_id for r in rows)
    in_flight = next(r for r in _rows(app) if r.id == in_flight.id)
    assert in_flight.status == "failed" and in_flight.last_error == outbox.UNKNOWN_OUTCOME


def test_a_connection_broken_before_the_data_is_retried_and_the_run_goes_on(
    app, runner, serve, make_survey, make_company
):
    for _ in range(4):
        make_company()
    _invite_all(app, make_survey())
    inbox = BreakingInbox(at=2, after_data=False)
    serve(inbox)
    result = runner.invoke(args=["mail", "send"])
    assert "sent 3, will retry 1" in result.output, result.output
    (retried,) = [r for r in _rows(app) if r.status == "queued"]
    assert retried.attempts == 1 and retried.last_error

    _make_due(app)
    runner.invoke(args=["mail", "send"])
    ids = inbox.message_ids()
    assert len(ids) == 4 and sorted(ids) == sorted(r.message_id for r in _rows(app))
    assert {r.status for r in _rows(app)} == {"sent"}


def test_a_connection_broken_after_the_data_is_not_resent(
    app, runner, serve, make_survey, make_company
):
    for _ in range(3):
        make_company()
    _invite_all(app, make_survey())
    inbox = BreakingInbox(at=2, after_data=True)
    serve(inbox)
    result = runner.invoke(args=["mail", "send"])
    assert "sent 2" in result.output and "1 with unknown outcome" in result.output, result.output
    (unknown,) = [r for r in _rows(app) if r.status == "failed"]
    assert unknown.last_error == outbox.UNKNOWN_OUTCOME
    assert unknown.message_id == str(inbox.messages[1]["Message-ID"])

    _make_due(app)
    runner.invoke(args=["mail", "send"])
    ids = inbox.message_ids()
    assert len(ids) == 3 and len(set(ids)) == 3


def test_two_runs_at_once_send_every_message_once(app, smtp_server, make_survey, make_company):
    for _ in range(24):
        make_company()
    _invite_all(app, make_survey())

    def run(_: int) -> outbox.DeliveryReport:
        with app.app_context():
            return outbox.send_due(sender_from_config(app.config), batch_size=3)

    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(run, range(2)))
    ids = smtp_server.inbox.message_ids()
    assert len(ids) == 24 and len(set(ids)) == 24
    assert sum(r.sent for r in reports) == 24
    assert {(r.status, r.attempts) for r in _rows(app)} == {("sent", 1)}


def test_a_message_that_cannot_be_built_fails_and_the_others_go(
    app, runner, smtp_server, make_survey, make_company
):
    make_company()
    _invite_all(app, make_survey())
    with app.app_context():
        outbox.enqueue(
            kind="password_reset",
            to_addr="someone@example.se",
            subject="Hello\r\nBcc: victim@example.se",
            text_body="text",
            html_body="<p>html</p>",
        )
        db.session.commit()
    result = runner.invoke(args=["mail", "send"])
    assert "sent 1" in result.output and "failed 1" in result.output, result.output
    (bad,) = [r for r in _rows(app) if r.kind == "password_reset"]
    assert bad.status == "failed" and "line break" in bad.last_error
    assert len(smtp_server.inbox.messages) == 1


def test_a_claim_cancelled_before_hand_over_is_not_sent(app, make_survey, make_company):
    make_company()
    _invite_all(app, make_survey())
    with app.app_context():
        connection = db.session.connection()
        (claimed,) = ledger.claim(connection, 5, now=utcnow())
        db.session.execute(  # as when the company answers or the invitation is renewed
            update(OutboxMessage).where(OutboxMessage.status == "queued").values(status="failed")
        )
        assert ledger.hand_over(connection, claimed, now=utcnow()) is False
        db.session.commit()
