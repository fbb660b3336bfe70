"""Pseudonyms by default; identities only for admins and officials who ask; every export audited."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from tests.export.conftest import ExportData


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_pseudonyms_are_stable_and_hide_org_numbers(export_data: ExportData, export_csv) -> None:
    first = _rows(export_csv(export_data.battery))
    again = _rows(export_csv(export_data.battery, layout="wide"))
    pseudonyms = [row["company"] for row in first]
    assert pseudonyms == [row["company"] for row in again]
    assert pseudonyms[0] == pseudonyms[2] != pseudonyms[1]
    assert all(p.startswith("C-") and len(p) == 18 for p in pseudonyms)
    text = export_csv(export_data.battery)
    for number in export_data.org_numbers:
        assert number not in text and number.replace("-", "") not in text
    assert "org_number" not in first[0] and "company_name" not in first[0]


def test_pseudonym_depends_on_the_installation_secret(app) -> None:
    from survey.services.exports.pseudonyms import pseudonym, pseudonym_key

    with app.app_context():
        key = pseudonym_key()
    assert pseudonym("556036-0793", key) == pseudonym("5560360793", key)
    assert pseudonym("556036-0793", key) != pseudonym("556036-0793", b"another installation")


@pytest.mark.parametrize("role", ["admin", "official", None])
def test_identities_for_allowed_roles_who_ask(export_data: ExportData, export_csv, role) -> None:
    rows = _rows(export_csv(export_data.battery, identities=True, role=role))
    assert rows[0]["org_number"] == "556036-0793"
    assert rows[0]["company_name"] == "Åkerströms Bageri AB"
    assert "company" not in rows[0]


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_identities_come_without_the_free_text_answers(
    export_data: ExportData, export_csv, layout: str
) -> None:
    """Nobody sees which company wrote a comment: with identities, no free text goes out."""
    named = export_csv(export_data.battery, identities=True, role="official", layout=layout)
    pseudonymous = export_csv(export_data.battery, layout=layout)
    assert "Bra bemötande" in pseudonymous and "KOMMENTAR" in pseudonymous
    assert "Bra bemötande" not in named and "KOMMENTAR" not in named
    assert layout == "long" or "Åkerströms Bageri AB" in named  # long: answers only


def test_analyst_may_not_ask_for_identities(export_data: ExportData, export_csv) -> None:
    from survey.services.errors import DomainError

    with pytest.raises(DomainError) as caught:
        export_csv(export_data.battery, identities=True, role="analyst")
    assert caught.value.field == "identities"


def test_every_export_is_audited(app, export_data: ExportData, export_csv) -> None:
    from survey.extensions import db
    from survey.models import AuditEvent

    export_csv(export_data.battery, layout="long", identities=True, role="official")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.responses"))
    assert event is not None
    assert event.details["battery"] == export_data.battery
    assert event.details["format"] == "long"
    assert event.details["rows"] == 3
    assert event.details["identities"] is True


def test_unknown_battery_or_layout(export_data: ExportData, export_csv) -> None:
    from survey.services.errors import DomainError, NotFound

    with pytest.raises(NotFound):
        export_csv("no-such-battery")
    with pytest.raises(DomainError):
        export_csv(export_data.battery, layout="pivot")
    with pytest.raises(NotFound):
        export_csv(export_data.battery, survey_id=999)
