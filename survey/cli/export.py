"""`survey responses export`: responses as CSV, with a codebook and datapackage.json beside it.

The command is attached to the `responses` group of survey.cli.responses (the import's group),
so both live under `survey responses`.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from survey.cli.progress import progress_bar
from survey.cli.responses import responses
from survey.services.errors import DomainError
from survey.services.exports import export as service


@click.command("export")
@with_appcontext
@click.option("--battery", required=True, help="Battery key (all its published versions).")
@click.option("--survey", "survey_id", type=int, default=None, help="Only this survey's responses.")
@click.option("--format", "layout", type=click.Choice(service.LAYOUTS), default="wide")
@click.option("--excel", is_flag=True, help="UTF-8 with BOM, ';' and decimal comma.")
@click.option("--identities", is_flag=True, help="Org numbers and names instead of pseudonyms.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="CSV file to write; the codebook and datapackage.json go beside it. Default: stdout.",
)
def export(
    battery: str,
    survey_id: int | None,
    layout: str,
    excel: bool,
    identities: bool,
    output: Path | None,
) -> None:
    """Export submitted responses as CSV (wide: one row per response; long: one per answer)."""
    request = service.ExportRequest(
        battery=battery, survey_id=survey_id, layout=layout, excel=excel, identities=identities
    )
    try:
        result = service.export_responses(request, user_id=None, role=None, via="cli")
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if output is None:
        for chunk in result.chunks:
            click.echo(chunk, nl=False)
        return
    target = output.with_name(output.name + ".part")
    with (
        target.open("w", encoding="utf-8", newline="") as handle,
        progress_bar(result.rows, _("Exporting")) as progress,
    ):
        for chunk in result.chunks:
            handle.write(chunk)
            if progress is not None:
                progress(chunk.count("\n"))  # about one line a row; the bar stops at its end
    target.replace(output)
    codebook = output.with_name(output.stem + "-codebook.csv")
    codebook.write_text(result.codebook(), encoding="utf-8", newline="")
    package = result.datapackage()
    package["resources"][0]["path"] = output.name
    package["resources"][1]["path"] = codebook.name
    (output.parent / "datapackage.json").write_bytes(service.dump_json(package))
    click.echo(
        f"{output}: {result.rows} responses; codebook {codebook.name}, datapackage.json",
        err=True,
    )


# Attach to the import's `survey responses` group instead of adding a group of its own.
responses.add_command(export)
commands: list[click.Command] = []
