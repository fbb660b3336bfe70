"""`survey privacy ...`: retention, erasure of a contact person, a company's data report."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from survey.services.errors import DomainError
from survey.services.privacy import personal_data, retention


@click.group("privacy", cls=AppGroup)
def privacy() -> None:
    """Personal data: retention, erasure on request, reports."""


@privacy.command("retention")
@click.option("--dry-run", is_flag=True, help="Count what would be cleared; change nothing.")
@click.option(
    "--months",
    type=click.IntRange(min=0),
    default=None,
    help="Override SURVEY_RETENTION_MONTHS for this run.",
)
def retention_command(dry_run: bool, months: int | None) -> None:
    """Clear contact data of surveys closed N months ago; purge old login attempts and uploads.

    Login attempts past the throttle window and company-import uploads older than an hour
    are removed whatever the retention period: run this from an hourly timer.
    """
    months = current_app.config["SURVEY_RETENTION_MONTHS"] if months is None else months
    verb = "would clear" if dry_run else "cleared"
    if months == 0:
        click.echo("retention is off (SURVEY_RETENTION_MONTHS=0): no contacts cleared")
    else:
        report = retention.apply_retention(months, dry_run=dry_run)
        click.echo(
            f"surveys closed before {report.cutoff.isoformat()}: {verb} {report.invitations} "
            f"invitation addresses, {report.companies} company contacts, "
            f"{report.mails} mail addresses, {report.followups} closed follow-ups"
        )
    purged = retention.purge(dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    click.echo(
        f"{verb} {purged.login_attempts} login attempts older than the throttle window, "
        f"{purged.uploads} company-import uploads older than an hour"
    )


@privacy.command("erase-contact")
@click.argument("org_number")
def erase_contact(org_number: str) -> None:
    """Erase the contact person of the company ORG_NUMBER and blank its free texts.

    Cleared: contact name and e-mail, invitation addresses and drafts, visit notes, the text
    of free-text answers (ratings are kept), follow-ups' texts and contact details, mail
    recipients and the .eml files sent to them.
    """
    try:
        erased = personal_data.erase_contact(org_number, actor_id=None)
    except DomainError as error:
        raise click.ClickException(f"{org_number}: {error.message}") from None
    click.echo(
        f"erased the contact person of {erased.org_number}: {erased.invitations} invitation "
        f"addresses, {erased.drafts} drafts, {erased.visit_notes} visit notes blanked, "
        f"{erased.answers} free-text answers blanked, {erased.followups} follow-ups blanked, "
        f"{erased.mails} mail recipients, "
        f"{erased.mail_files} mail files deleted"
    )


@privacy.command("company-report")
@click.argument("org_number")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="JSON file to write.",
)
def company_report(org_number: str, output: Path) -> None:
    """Write everything stored about the company ORG_NUMBER to a JSON file."""
    try:
        report = personal_data.company_report(org_number, actor_id=None)
    except DomainError as error:
        raise click.ClickException(f"{org_number}: {error.message}") from None
    output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"wrote {output}")


commands = [privacy]
