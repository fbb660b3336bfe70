"""`survey stats`: an index per period with confidence intervals and changes; rollup upkeep."""

from __future__ import annotations

import json
from typing import Any

import click
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _

from survey.cli.progress import progress_bar
from survey.services.dashboards import measures as statistics_measures
from survey.services.errors import DomainError
from survey.services.statistics import rollups, statistics
from survey.services.statistics import skr as statistics_skr
from survey.services.statistics.periods import PERIODS
from survey.services.statistics.sql import SPLITS
from survey.stats.grades import round_half_up

GROUP_COLUMNS = ("period", "split", "n", "mean", "sd", "ci_low", "ci_high", "grade")
MEASURE_COLUMNS = ("measure", "n", "value", "ci_low", "ci_high")
SKR_COLUMNS = ("area", "n", "nki", "published", "invited", "responded", "response_rate")
CHANGE_COLUMNS = (
    "from", "to", "split", "diff", "ci_low", "ci_high", "p_value", "p_holm", "significant",
)  # fmt: skip
P_COLUMNS = ("p_value", "p_holm")


def _where(values: tuple[str, ...]) -> dict[str, str]:
    """Parse ``FIELD=VALUE`` pairs."""
    pairs: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"--where {item!r}: write it as FIELD=VALUE")
        pairs[name.strip()] = value.strip()
    return pairs


def _cell(value: Any, column: str = "") -> str:
    """Format one table cell for reading: p-values with three decimals, indices as integers.

    The method's precision is the integer index (as SKR's Insikt reports it), rounded half
    up as the grade is (survey.stats.grades.round_half_up); ``--json`` keeps full precision.
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and column in P_COLUMNS:
        return "<0.001" if value < 0.001 else f"{value:.3f}"
    if isinstance(value, float):
        return str(round_half_up(value))
    return str(value)


def _decimals(value: float | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """Format rows as a plain table with aligned columns (numbers to the right)."""
    cells = [[_cell(row[c], c) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [
        all(isinstance(row[c], int | float) or row[c] is None for row in rows) for c in columns
    ]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if is_number else v.ljust(w)
            for v, w, is_number in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(list(columns)), *(line(r) for r in cells)])


@click.group("stats", cls=AppGroup, invoke_without_command=True)
@click.option("--battery", help="Battery key (required without a subcommand).")
@click.option("--index", "index", default="nki", show_default=True, help="nki or a factor key.")
@click.option("--by", type=click.Choice(PERIODS), default="year", show_default=True)
@click.option("--split", type=click.Choice(SPLITS), default=None)
@click.option("--where", "where", multiple=True, metavar="FIELD=VALUE", help="Filter; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
@click.pass_context
def stats(
    context: click.Context,
    battery: str | None,
    index: str,
    by: str,
    split: str | None,
    where: tuple[str, ...],
    as_json: bool,
) -> None:
    """Print an index (NKI or a factor) per period with 95 % intervals and changes.

    The table shows whole index points (the method's precision) and p-values; ``--json``
    keeps every number at full precision. ``significant`` is Holm's adjusted p (``p_holm``,
    over the listed changes) under 0.05.

    Filters: survey_id, area, industry, size, official_id, mode, date_from, date_to (dates
    widen to whole months). Groups under the minimum size, or that a neighbouring query would
    tell a few respondents apart from, keep n but show no values.
    """
    if context.invoked_subcommand is not None:
        return
    if battery is None:
        raise click.UsageError("Missing option '--battery'.")
    try:
        filters = statistics.Filters.from_args({**_where(where), "battery": battery})
        report = statistics.index_report(filters, index=index, by=by, split=split)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(f"{report['battery']}: {report['index']} by {report['by']}")
    click.echo(_table(report["groups"], GROUP_COLUMNS) if report["groups"] else "(no responses)")
    if report["changes"]:
        click.echo("")
        click.echo(_table(report["changes"], CHANGE_COLUMNS))


@stats.command("measures")
@click.option("--battery", required=True, help="Battery key.")
@click.option("--by", type=click.Choice(PERIODS), default="year", show_default=True)
@click.option("--where", "where", multiple=True, metavar="FIELD=VALUE", help="Filter; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (full precision).")
def measures(battery: str, by: str, where: tuple[str, ...], as_json: bool) -> None:
    """Print NPS, CSAT, Cronbach's alpha per index, response rate and NKI's trend per year."""
    try:
        filters = statistics.Filters.from_args({**_where(where), "battery": battery})
        result = statistics_measures.measures_json(statistics_measures.measures(filters, by=by))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    rows = [
        {
            "measure": f"{name} {key}",
            "n": s["n"],
            "value": s["value"],
            "ci_low": None,
            "ci_high": None,
        }
        for name in ("nps", "csat")
        for key, s in result[name].items()
    ]
    rows += [
        {
            "measure": f"alpha {role}",
            "n": a["n"],
            "value": a["alpha"],
            "ci_low": None,
            "ci_high": None,
        }
        for role, a in result["alpha"].items()
    ]
    rate, slope = result["response_rate"], result["trend"]
    rows.append({"measure": "response_rate", "n": rate["invited"], "value": rate["rate"],
                 "ci_low": rate["ci_low"], "ci_high": rate["ci_high"]})  # fmt: skip
    if slope is not None:  # None: the battery has no NKI
        rows.append({"measure": "nki_trend_per_year", "n": slope["n"],
                     "value": slope["slope_per_year"], "ci_low": slope["ci_low"],
                     "ci_high": slope["ci_high"]})  # fmt: skip
    for row in rows:  # NPS and CSAT in whole points; alpha, a rate and a slope need decimals
        if not row["measure"].startswith(("nps", "csat")):
            row.update({c: _decimals(row[c]) for c in ("value", "ci_low", "ci_high")})
    click.echo(f"{battery}: measures")
    click.echo(_table(rows, MEASURE_COLUMNS))


@stats.command("skr")
@click.option("--battery", required=True, help="Battery key.")
@click.option(
    "--year",
    type=click.IntRange(1900, 9999),
    default=None,
    help="Year (the latest year with NKI by default).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (full precision).")
def skr(battery: str, year: int | None, as_json: bool) -> None:
    """Print NKI totalt by SKR's definition: the four mandatory areas, 10 answers per area."""
    try:
        filters = statistics.Filters.from_args({"battery": battery})
        found = statistics_skr.skr_nki(filters, year=None if year is None else str(year))
        result = statistics_skr.skr_json(found)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(f"{battery}: NKI enligt SKR:s definition, {result['year'] or '-'}")
    rows = [{"area": a["area"], **a} for a in result["areas"]]
    rows.append({**result["total"], "area": "totalt"})
    for row in rows:
        row["nki"] = None if row["nki"] is None else round_half_up(row["nki"])
        rate = row["response_rate"]
        row["response_rate"] = None if rate is None else round_half_up(rate)
    click.echo(_table(rows, SKR_COLUMNS))
    unmet = ", ".join(result["unmet"]) or "-"
    click.echo(f"rankable: {'yes' if result['rankable'] else 'no'} (rules not met: {unmet})")


@stats.command("rebuild-rollups")
@click.option("--battery", help="Only this battery (key); all batteries by default.")
def rebuild_rollups(battery: str | None) -> None:
    """Recompute the index rollups of the dashboards from the raw answers."""
    try:
        with progress_bar(rollups.responses_to_rebuild(battery), _("Rebuilding")) as progress:
            result = rollups.rebuild_rollups(battery, progress)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    for key, count in result.items():
        if count is None:
            click.echo(f"{key}: not rolled up (statistics read raw answers)")
        else:
            click.echo(f"{key}: {count} responses rolled up")


commands = [stats]
