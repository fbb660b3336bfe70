"""Mail: 10,000 queued invitations through `survey mail send` to a local aiosmtpd sink.

The invitations are real: N companies (bulk insert) invited to one survey through the
service, so every outbox row has its token link, opt-out header, Reply-To and invitation,
and delivering it also notes the invitation as sent, as in production. Queueing is not
measured; delivery is: the figure is the wall time of the `survey mail send` process
(start-up included; the start-up alone, measured on the emptied queue, is in `extra`).

Reference: a plain smtplib loop sending the same messages (subject, text and HTML bodies)
over one connection to the same sink, built with `email.message.EmailMessage`.
"""

from __future__ import annotations

import os
import smtplib
import time
from datetime import date, timedelta
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, func, insert, select

from benchmarks.harness import Result, app_for, free_port, postgres_database, run_child

BODY = (
    "Hej {company}!\n\nTack för att ni tog emot oss vid besöket. Vi vill gärna veta vad ni "
    "tyckte. Det tar ungefär tre minuter att svara:\n\n{link}\n\n"
    "Enkäten är öppen till och med {close_date}.\n\nVänliga hälsningar\nNäringslivsenheten\n"
)


class Sink:
    """Count delivered messages."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        self.count += 1
        return "250 OK"


def _queue(url: str, count: int) -> None:
    """Add `count` companies and invite them all to one survey (their mail is queued)."""
    from survey.extensions import db
    from survey.models import Company
    from survey.services.batteries import batteries
    from survey.services.surveys import recipients, surveys

    app = app_for(url)
    with app.app_context():
        companies = [
            {
                "org_number": f"{550000 + n // 10000:06d}-{n % 10000:04d}",
                "name": f"Företag {n} AB",
                "contact_email": f"kontakt{n}@foretag{n}.example.com",
            }
            for n in range(count)
        ]
        db.session.execute(insert(Company), companies)
        db.session.commit()
        today = date.today()
        survey = surveys.create_survey(
            surveys.SurveyInput(
                name="Uppföljning",
                battery_version_id=batteries.get_version("uppfoljning-foretagsbesok").id,
                opens_on=today - timedelta(days=1),
                closes_on=today + timedelta(days=30),
                sender_name="Näringslivsenheten i Ekby",
                reply_to="naringsliv@ekby.example.se",
                invitation_subject_sv="Vad tyckte {company} om vårt besök?",
                invitation_body_sv=BODY,
            ),
            actor_id=None,
        )
        recipients.invite_recipients(survey.id, recipients.RecipientFilter(), actor_id=None)
        db.engine.dispose()


def _reference(url: str, port: int) -> float:
    from survey.models import OutboxMessage

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                OutboxMessage.to_addr,
                OutboxMessage.from_name,
                OutboxMessage.subject,
                OutboxMessage.text_body,
                OutboxMessage.html_body,
                OutboxMessage.message_id,
            ).order_by(OutboxMessage.id)
        ).all()
    engine.dispose()
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to_addr, from_name, subject, text_body, html_body, message_id in rows:
            message = EmailMessage()
            message["From"] = f"{from_name} <noreply@example.se>"
            message["To"] = to_addr
            message["Subject"] = subject
            message["Message-ID"] = message_id
            message.set_content(text_body)
            message.add_alternative(html_body, subtype="html")
            smtp.send_message(message)
    return time.perf_counter() - started


def _recorded(url: str) -> int:
    """Return how many outbox rows are 'sent' with their invitation noted as sent."""
    from survey.models import Invitation, OutboxMessage

    engine = create_engine(url)
    with engine.connect() as connection:
        recorded = connection.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .join(Invitation, Invitation.id == OutboxMessage.invitation_id)
            .where(OutboxMessage.status == "sent", Invitation.sent_at.is_not(None))
        )
    engine.dispose()
    return recorded or 0


def run() -> list[Result]:
    """Queue the invitations, deliver them with the CLI, then with the plain loop."""
    count = int(os.environ.get("BENCH_MAIL_COUNT", "10000"))
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with postgres_database("mail") as url:
            started = time.perf_counter()
            _queue(url, count)
            queueing = time.perf_counter() - started
            env = {"DATABASE_URL": url, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port)}
            env["SMTP_SECURITY"] = "none"
            child = run_child(["survey", "mail", "send"], env)
            delivered, recorded = sink.count, _recorded(url)
            startup = run_child(["survey", "mail", "send"], env)  # nothing left: start-up only
            reference = _reference(url, port)
    finally:
        controller.stop()
    figure_rate, reference_rate = delivered / child["seconds"], count / reference
    return [
        Result(
            "mail",
            size=count,
            figure=figure_rate,
            reference=reference_rate,
            unit="messages/s",
            ratio=figure_rate / reference_rate,
            target=">= 80 % of the plain smtplib loop",
            met=delivered == recorded == count and figure_rate >= 0.8 * reference_rate,
            extra={
                "delivered": delivered,
                "recorded_sent": recorded,
                "seconds": round(child["seconds"], 2),
                "startup_seconds": round(startup["seconds"], 2),
                "peak_mb": round(child["peak_mb"], 1),
                "queueing_seconds": round(queueing, 1),
            },
        )
    ]
