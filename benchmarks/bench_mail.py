"""Mail: 10,000 queued invitations through `survey mail send` to a local aiosmtpd sink.

Reference: a plain smtplib loop sending the same messages (subject, text and HTML bodies)
over one connection to the same sink. The outbox rows are written in bulk (the queueing is
not what is measured; delivery is).
"""

from __future__ import annotations

import os
import smtplib
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, insert, select

from benchmarks.harness import Result, free_port, postgres_database, run_child

BODY = (
    "Hej {n}!\n\nTack för att ni tog emot oss vid besöket. Vi vill gärna veta vad ni tyckte. "
    "Det tar ungefär tre minuter att svara:\n\nhttp://127.0.0.1:5000/s/{token}\n\n"
    "Enkäten är öppen till och med 2026-12-31.\n\nVänliga hälsningar\nNäringslivsenheten\n"
)


class Sink:
    """Count delivered messages."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        self.count += 1
        return "250 OK"


def _queue(url: str, count: int) -> None:
    from survey.models import OutboxMessage

    rows = []
    for n in range(count):
        text_body = BODY.format(n=n, token=f"{n:032x}")
        rows.append(
            {
                "kind": "invitation",
                "to_addr": f"kontakt{n}@foretag{n}.example.com",
                "from_name": "Näringslivsenheten i Ekby",
                "subject": f"Vad tyckte Företag {n} AB om vårt besök?",
                "text_body": text_body,
                "html_body": "<p>" + text_body.replace("\n\n", "</p><p>") + "</p>",
                "message_id": f"<bench-{n}@example.com>",
                "status": "queued",
                "attempts": 0,
            }
        )
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(insert(OutboxMessage), rows)
    engine.dispose()


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


def run() -> list[Result]:
    """Queue the messages, deliver them with the CLI, then with the plain loop."""
    count = int(os.environ.get("BENCH_MAIL_COUNT", "10000"))
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with postgres_database("mail") as url:
            _queue(url, count)
            env = {"DATABASE_URL": url, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port)}
            child = run_child(["survey", "mail", "send"], {**env, "SMTP_SECURITY": "none"})
            delivered = sink.count
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
            met=delivered == count and figure_rate >= 0.8 * reference_rate,
            extra={"delivered": delivered, "seconds": round(child["seconds"], 2)},
        )
    ]
