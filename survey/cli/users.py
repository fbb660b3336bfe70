"""`survey users ...`: manage officials' accounts."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from survey.models.user import ROLES
from survey.services import accounts
from survey.services.errors import DomainError


@click.group("users", cls=AppGroup)
def users() -> None:
    """Manage officials' accounts."""


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="official", show_default=True)
@click.option("--name", default=None, help="Full name (defaults to the part before @).")
def create(email: str, role: str, name: str | None) -> None:
    """Create an account; the password is read from a prompt or standard input."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = accounts.create_user(
            email, name or email.split("@")[0], role, password, actor_id=None
        )
    except DomainError as error:
        raise click.ClickException(f"{email}: {error.message}") from None
    click.echo(f"created {user.role} {user.email}")


@users.command("set-password")
@click.argument("email")
def set_password(email: str) -> None:
    """Set a new password; read from a prompt or standard input."""
    if sys.stdin.isatty():
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        accounts.set_password(email, password, actor_id=None)
    except DomainError as error:
        raise click.ClickException(f"{email}: {error.message}") from None
    click.echo(f"password changed for {accounts.normalize_email(email)}")


commands = [users]
