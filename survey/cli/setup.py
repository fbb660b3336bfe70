"""`survey setup ...`: first-run chores for `make run`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from survey.services.accounts import bootstrap


@click.group("setup", cls=AppGroup)
def setup() -> None:
    """First-run chores: the administrator account."""


@setup.command("admin")
@click.option("--email", default="admin@example.se", show_default=True)
def admin(email: str) -> None:
    """Create the first administrator if there is none, and print its login once."""
    created = bootstrap.ensure_admin(email)
    if created is not None:
        click.echo("Administrator created. Log in with:")
        click.echo(f"  e-mail:   {created.email}")
        click.echo(f"  password: {created.password}")
        click.echo("  (shown only this once; change it with `survey users set-password`)")
    else:
        click.echo(
            "An administrator exists; its password was printed at the first run "
            "(reset it with `survey users set-password EMAIL`)."
        )


commands = [setup]
