"""`survey followups remind`: mail the owners of overdue follow-ups, once per follow-up."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from survey.services.followups import mail


@click.group("followups", cls=AppGroup)
def followups() -> None:
    """Follow-ups (uppföljningar) of companies."""


@followups.command("remind")
def remind() -> None:
    """Queue a mail to the owner of each follow-up that became overdue (each mailed once).

    Run it from a daily timer before `survey mail send`; running it again mails nobody twice.
    """
    count = mail.send_overdue()
    click.echo(f"queued {count} overdue follow-up mail(s)")


commands = [followups]
