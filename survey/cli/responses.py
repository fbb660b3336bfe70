"""`survey responses ...`: import past results from a CSV file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from survey.services.errors import DomainError
from survey.services.response_import import ImportFailed, import_responses


@click.group("responses", cls=AppGroup)
def responses() -> None:
    """Submitted responses."""


@responses.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--battery", required=True, help="Battery key.")
@click.option(
    "--version",
    "number",
    type=int,
    default=None,
    help="Version number (default: latest published).",
)
def import_command(file: Path, battery: str, number: int | None) -> None:
    """Import responses from a CSV file (one row per response); all rows or none.

    Columns: submitted_at (required), optional area, industry, size, org_number, survey,
    language, visit_date, collection_mode, response_id, then one column per question key.
    """
    try:
        with file.open("rb") as source:
            result = import_responses(source, battery=battery, version=number)
    except ImportFailed as failure:
        for problem in failure.problems:
            column = f" {problem.column}:" if problem.column else ""
            click.echo(f"{file}:{problem.line}:{column} {problem.message}", err=True)
        if failure.unlisted:
            click.echo(
                f"{file}: " + _("%(n)s more problems are not listed.", n=failure.unlisted), err=True
            )
        raise click.ClickException(failure.message) from None
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(
        f"{file}: imported {result.responses} responses with {result.answers} answers "
        f"into {result.battery} version {result.version}"
    )


commands = [responses]
