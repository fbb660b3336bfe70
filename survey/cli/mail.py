"""`survey mail ...`: queue follow-ups and reminders, then deliver the outbox."""

from __future__ import annotations

import time
from dataclasses import astuple

import click
from flask import current_app
from flask.cli import AppGroup

from survey.mail import sender_from_config
from survey.services.outbox import outbox
from survey.services.surveys import reminders as due_mail


def run_once(batch_size: int, quiet: bool) -> outbox.DeliveryReport:
    """Queue due follow-ups and reminders, deliver due mail and say what happened."""
    followups = due_mail.queue_followups()
    reminders = due_mail.queue_reminders()
    sender = sender_from_config(current_app.config)
    due = outbox.count_due()
    if due >= 50 and not quiet:
        with click.progressbar(length=due, label="Sending") as bar:
            report = outbox.send_due(sender, batch_size=batch_size, progress=bar.update)
    else:
        report = outbox.send_due(sender, batch_size=batch_size)
    if not quiet or followups or reminders or any(astuple(report)):
        click.echo(
            f"queued {followups} follow-up invitation(s) and {reminders} reminder(s); "
            f"sent {report.sent}, will retry {report.retrying}, failed {report.failed}"
            + (f", {report.stale} interrupted (marked failed)" if report.stale else "")
            + (f", {report.unknown} with unknown outcome (marked failed)" if report.unknown else "")
            + (
                f", {report.cancelled} no longer needed (answered, opted out or closed: not sent)"
                if report.cancelled
                else ""
            )
        )
    if report.unreachable:
        click.echo(
            f"mail server unreachable ({report.unreachable}): mail stays queued, "
            f"no attempt counted ({report.deferred} message(s) put back)",
            err=True,
        )
    return report


@click.group("mail", cls=AppGroup)
def mail() -> None:
    """The mail outbox."""


@mail.command("send")
@click.option("--watch", is_flag=True, help="Keep delivering until stopped with Ctrl-C.")
@click.option(
    "--interval", type=click.IntRange(min=1), default=60, show_default=True, help="Seconds."
)
@click.option("--batch-size", type=click.IntRange(min=1), default=200, show_default=True)
def send(watch: bool, interval: int, batch_size: int) -> None:
    """Queue due follow-ups and reminders, then deliver due mail (SMTP, or .eml files)."""
    if not current_app.config.get("SMTP_HOST"):
        click.echo(
            f"SMTP_HOST is empty: writing mail to {current_app.config['SURVEY_INSTANCE_DIR']}/mail/"
        )
    report = run_once(batch_size, quiet=False)
    if not watch:
        return
    click.echo(f"Watching the outbox every {interval} s (stop with Ctrl-C).")
    outages = 1 if report.unreachable else 0  # runs in a row that found the server down
    try:
        while True:
            time.sleep(outbox.watch_delay(interval, outages))
            report = run_once(batch_size, quiet=True)
            if report.unreachable:
                outages += 1
            elif report.sent or report.retrying or report.failed:  # the server answered
                outages = 0
    except KeyboardInterrupt:
        click.echo("Stopped.")


@mail.command("requeue")
@click.argument("message_id", type=int)
def requeue(message_id: int) -> None:
    """Queue a failed message again (after checking it did not arrive)."""
    from survey.services.errors import DomainError

    try:
        outbox.requeue(message_id)
    except DomainError as error:
        raise click.ClickException(f"message {message_id}: {error.message}") from None
    click.echo(f"message {message_id} queued again")


commands = [mail]
