"""`survey companies ...`: import the company register from CSV."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from survey.cli.progress import progress_bar
from survey.services.errors import DomainError
from survey.services.register import company_import, import_columns


@click.group("companies", cls=AppGroup)
def companies() -> None:
    """Manage the company register."""


@companies.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.option("--skip-bad", is_flag=True, help="Import the good rows even when some rows are bad.")
def import_command(file: Path, dry_run: bool, skip_bad: bool) -> None:
    """Import companies from a CSV FILE (UTF-8 or Excel's Windows-1252, ; or , separated).

    Columns are recognised by their titles as in the web import (case, accents and
    punctuation aside: Org.nr, Företagsnamn, SNI-kod, Antal anställda, Kontaktperson,
    E-postadress, Språk ...); the columns used and those left out are printed. Every bad row
    is printed on one line as FILE:LINE: field (column): reason. When any row is bad nothing
    is written and the exit status is 1, unless --skip-bad is given (then the good rows are
    imported). Companies already registered are updated by organisation number; empty cells
    keep the registered value. A new company without a language (sv or en) gets sv. With
    --dry-run nothing is written; the exit status is 1 when there are bad rows.
    """
    try:
        result = company_import.preview(file.read_bytes())
    except DomainError as error:
        raise click.ClickException(f"{file}: {error.message}") from None
    if result.mapping_error:
        raise click.ClickException(f"{file}: {result.mapping_error}")
    used = zip(result.header, result.mapping, strict=True)
    click.echo("columns: " + ", ".join(f"{title} = {name}" for title, name in used if name))
    if result.left_out:
        click.echo("not imported: " + ", ".join(result.left_out))
    for problem in result.problems:
        label = import_columns.field_label(problem.field)
        click.echo(f"{file}:{problem.line}: {label} ({problem.column}): {problem.reason}", err=True)
    click.echo(
        f"{len(result.rows)} good rows ({result.new} new, {result.updates} updates), "
        f"{result.bad_rows} bad rows"
    )
    if not dry_run and (skip_bad or not result.bad_rows):
        with progress_bar(len(result.rows), _("Importing")) as progress:
            done = company_import.import_rows(result, actor_id=None, progress=progress)
        click.echo(f"imported: {done.created} created, {done.updated} updated")
        return
    if dry_run:
        click.echo("dry run: nothing written")
    else:
        click.echo("nothing written: correct the bad rows or use --skip-bad", err=True)
    if result.bad_rows:
        raise SystemExit(1)


commands = [companies]
