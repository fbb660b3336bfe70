"""`survey questionnaires ...`: load battery files into the database and dump them back."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from survey.questionnaires import BatteryFileError, dump_battery, load_file
from survey.services.batteries import batteries
from survey.services.errors import DomainError

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "questionnaires"


def _files(paths: tuple[Path, ...]) -> list[Path]:
    found: list[Path] = []
    for path in paths or (DEFAULT_DIR,):
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found


@click.group("questionnaires", cls=AppGroup)
def questionnaires() -> None:
    """Battery definition files (YAML)."""


@questionnaires.command("load")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def load(paths: tuple[Path, ...]) -> None:
    """Validate battery files and create or update their batteries (default: questionnaires/).

    Every file is checked before anything is written; one bad file writes nothing.
    """
    definitions, problems = [], []
    for path in _files(paths):
        try:
            definitions.append(load_file(path))
        except BatteryFileError as error:
            problems.append(str(error))
    if problems:
        raise click.ClickException("\n".join(problems) + "\nnothing was loaded")
    for result in batteries.load_definitions(definitions, actor_id=None):
        click.echo(
            f"{result.key}: {result.outcome.replace('_', ' ')} (version {result.version_number})"
        )


@questionnaires.command("dump")
@click.argument("key")
@click.option(
    "--version",
    "number",
    type=int,
    default=None,
    help="Version number (default: latest published).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def dump(key: str, number: int | None, output: Path | None) -> None:
    """Write a battery version in the file format (to standard output or a file)."""
    try:
        version = batteries.get_version(key, number)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    text = dump_battery(batteries.definition_of(version))
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


commands = [questionnaires]
