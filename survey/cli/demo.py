"""`survey demo`: fill the database with a fictional municipality to try the platform."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from survey.cli.progress import progress_bar
from survey.demo import municipality as demo_service


@click.command("demo")
@with_appcontext
@click.option("--seed", default=1, show_default=True, help="Random seed; same seed, same data.")
@click.option("--if-empty", is_flag=True, help="Do nothing when companies are already registered.")
@click.option(
    "--responses",
    type=click.IntRange(min=0),
    default=None,
    help="Generate this many responses over ten years (default: about 800 over three).",
)
def demo(seed: int, if_empty: bool, responses: int | None) -> None:
    """Create demo companies, officials (who cannot log in) and visits."""
    if if_empty and demo_service.has_companies():
        click.echo("demo: companies already registered; nothing done")
        return
    with progress_bar(responses or 0, _("Generating")) as progress:
        ctx = demo_service.run_demo(seed, responses=responses, progress=progress)
    click.echo(
        f"demo {demo_service.MUNICIPALITY}: {len(ctx.company_ids)} companies, "
        f"{len(ctx.officials)} colleagues, {ctx.visits} visits, {ctx.generated} responses"
    )


commands = [demo]
