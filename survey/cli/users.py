"""`survey users ...`: manage officials' accounts."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from survey.models.user import ROLES
from survey.services.accounts import accounts
from survey.services.accounts import users as user_admin
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


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def set_role(email: str, role: str) -> None:
    """Give an account another role; the last active administrator keeps theirs."""
    try:
        user = user_admin.change_role(user_admin.get_by_email(email).id, role, actor_id=None)
    except DomainError as error:
        raise click.ClickException(f"{email}: {error.message}") from None
    click.echo(f"{user.email} is now {user.role}")


@users.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Deactivate an account: its sessions and API tokens end; not the last administrator."""
    _set_active(email, False)


@users.command("activate")
@click.argument("email")
def activate(email: str) -> None:
    """Reactivate a deactivated account."""
    _set_active(email, True)


def _set_active(email: str, active: bool) -> None:
    try:
        user = user_admin.set_active(user_admin.get_by_email(email).id, active, actor_id=None)
    except DomainError as error:
        raise click.ClickException(f"{email}: {error.message}") from None
    click.echo(f"{user.email} is {'active' if user.active else 'deactivated'}")


commands = [users]
