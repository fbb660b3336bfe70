"""The `survey` command: Flask's CLI with our command groups; every command calls services.

Kept as a package (one module per command group) rather than one `cli.py`, so that each
group stays small.
"""

from __future__ import annotations

import importlib

import click
from flask import Flask
from flask.cli import FlaskGroup

# Modules that each define `commands`: a list of click commands or groups.
COMMAND_MODULES = (
    "survey.cli.users",
    "survey.cli.setup",
    "survey.cli.questionnaires",
    "survey.cli.companies",
    "survey.cli.demo",
    "survey.cli.mail",
    "survey.cli.privacy",
    "survey.cli.followups",
    "survey.cli.stats",
    "survey.cli.responses",
    "survey.cli.export",
)


def register_commands(app: Flask) -> None:
    """Attach every command module's commands to the app's CLI."""
    for name in COMMAND_MODULES:
        for command in importlib.import_module(name).commands:
            app.cli.add_command(command)


def _create_app() -> Flask:
    from survey import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def cli() -> None:
    """Företagsenkät: surveys and statistics for municipal business units."""


def _add_run(group: click.Group) -> None:
    """Replace Flask's `run` with ours: the same server, delivering the outbox meanwhile."""
    from survey.cli.serve import run

    group.add_command(run)


_add_run(cli)


def main() -> None:
    """Run the `survey` console script."""
    cli(prog_name="survey")
