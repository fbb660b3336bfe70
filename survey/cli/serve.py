"""`survey run`: Flask's development server, delivering the outbox while it serves.

So `make run` behaves like a whole installation: an invitation or a reset link leaves as
soon as it is queued (as an .eml file under the instance folder when SMTP_HOST is empty).
Production runs gunicorn and the separate worker `survey mail send --watch` instead.
"""

from __future__ import annotations

import logging
import threading

import click
from flask import Flask
from flask.cli import ScriptInfo, get_debug_flag, run_command
from werkzeug.serving import is_running_from_reloader

from survey.cli.mail import run_once
from survey.services.outbox import outbox

log = logging.getLogger(__name__)


def deliver_while_serving(app: Flask, *, interval: float, stop: threading.Event) -> None:
    """Queue due follow-ups and reminders and deliver due mail every `interval` seconds
    until `stop` is set (waiting longer while the mail server is unreachable)."""
    outages = 0
    while not stop.is_set():
        try:
            with app.app_context():
                report = run_once(200, quiet=True)
            outages = outages + 1 if report.unreachable else 0
        except Exception:  # keep serving; the next round tries again
            log.exception("mail delivery failed")
        stop.wait(outbox.watch_delay(max(1, round(interval)), outages) if outages else interval)


def _serves_here(reload: bool | None) -> bool:
    """Tell whether this process serves (with the reloader, only its child process does)."""
    reloading = get_debug_flag() if reload is None else reload
    return not reloading or is_running_from_reloader()


def _run(deliver_mail: bool, mail_interval: float, **options: object) -> None:
    context = click.get_current_context()
    if deliver_mail and _serves_here(options.get("reload")):  # type: ignore[arg-type]
        app = context.ensure_object(ScriptInfo).load_app()
        target = app.config["SMTP_HOST"] or f"{app.config['SURVEY_INSTANCE_DIR']}/mail/"
        click.echo(f"Delivering the outbox every {mail_interval:g} s to {target}")
        worker = threading.Thread(
            target=deliver_while_serving,
            args=(app,),
            kwargs={"interval": mail_interval, "stop": threading.Event()},
            name="mail-delivery",
            daemon=True,
        )
        worker.start()
    context.invoke(run_command.callback, **options)  # type: ignore[arg-type]


run = click.Command(
    "run",
    callback=_run,
    params=[
        *run_command.params,
        click.Option(
            ["--deliver-mail/--no-deliver-mail"],
            default=True,
            show_default=True,
            help="Deliver the outbox while serving (as `survey mail send --watch`).",
        ),
        click.Option(
            ["--mail-interval"],
            type=click.FloatRange(min=0.1),
            default=5.0,
            show_default=True,
            help="Seconds between deliveries.",
        ),
    ],
    help="Run the development server and deliver the outbox while it serves.",
    short_help="Run the development server (delivering mail).",
)
