"""`survey responses ...`: import past results from a CSV file; delete responses."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from survey.cli.progress import count_lines, progress_bar
from survey.models.response import COLLECTION_MODES
from survey.services.errors import DomainError
from survey.services.imports.responses import ImportFailed, import_responses
from survey.services.privacy.response_deletion import Selection, Tally, delete_selected, tally


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
            with progress_bar(count_lines(source), _("Importing")) as progress:
                result = import_responses(
                    source, battery=battery, version=number, progress=progress
                )
    except ImportFailed as failure:
        for problem in failure.problems:
            column = f" {problem.column}:" if problem.column else ""
            click.echo(f"{file}:{problem.line}:{column} {problem.message}", err=True)
        if failure.unlisted:
            click.echo(
                f"{file}: "
                + ngettext(
                    "%(num)s more problem is not listed.",
                    "%(num)s more problems are not listed.",
                    failure.unlisted,
                ),
                err=True,
            )
        raise click.ClickException(failure.message) from None
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(
        f"{file}: imported {result.responses} responses with {result.answers} answers "
        f"into {result.battery} version {result.version}"
    )


def _ids(_context: click.Context, _param: click.Parameter, value: str | None) -> tuple[int, ...]:
    """Parse ``--ids 3,5,8`` (anonymous responses have negative ids)."""
    if not value:
        return ()
    try:
        return tuple(int(part) for part in value.replace(" ", "").split(",") if part)
    except ValueError:
        raise click.BadParameter("give response ids separated by commas, e.g. 3,5,8") from None


def _lines(counted: Tally, verb: str) -> list[str]:
    lines = [f"{verb} {counted.total} responses"]
    for key, modes in counted.counts.items():
        parts = ", ".join(f"{mode} {n}" for mode, n in modes.items())
        lines.append(f"  {key}: {sum(modes.values())} ({parts})")
    return lines


@responses.command("delete")
@click.option("--battery", help="Battery key.")
@click.option("--survey", "survey_id", type=int, help="Survey id.")
@click.option("--mode", type=click.Choice(COLLECTION_MODES), help="How they were collected.")
@click.option("--ids", callback=_ids, help="Response ids, separated by commas.")
@click.option("--submitted-from", type=click.DateTime(["%Y-%m-%d"]), help="Local date, inclusive.")
@click.option("--submitted-to", type=click.DateTime(["%Y-%m-%d"]), help="Local date, inclusive.")
@click.option(
    "--created-from",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Stored on or after this local date (an import stores its rows when it runs).",
)
@click.option("--created-to", type=click.DateTime(["%Y-%m-%d"]), help="Stored on or before.")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; change nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_command(dry_run: bool, yes: bool, **criteria: object) -> None:
    """Delete the responses that meet every criterion given, with their answers.

    For a test batch or an erroneous import. The rollups are kept right, and the audit log
    records the criteria and the counts per battery (never the answers). Try --dry-run first.
    """
    dates = {k: v.date() for k, v in criteria.items() if hasattr(v, "date") and v is not None}
    selection = Selection(**{**criteria, **dates})  # type: ignore[arg-type]
    try:
        counted = tally(selection)
        if dry_run or counted.total == 0:
            click.echo("\n".join(_lines(counted, "would delete" if dry_run else "deleted")))
            return
        if not yes:
            click.confirm(f"Delete {counted.total} responses and their answers?", abort=True)
        counted = delete_selected(selection, actor_id=None)
    except DomainError as error:
        name = f"--{error.field}: " if error.field in ("battery", "survey", "mode") else ""
        raise click.ClickException(f"{name}{error.message}") from None
    click.echo("\n".join(_lines(counted, "deleted")))


commands = [responses]
