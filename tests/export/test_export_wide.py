"""The wide export: one row per response, columns per question key, values formatted."""

from __future__ import annotations

import csv
import io

from tests.export.conftest import ExportData


def _rows(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))


def test_wide_header_follows_battery_order(export_data: ExportData, export_csv) -> None:
    text = export_csv(export_data.battery)
    header = text.splitlines()[0].split(",")
    assert header == [
        "response_id", "submitted_at", "collection_mode", "language", "survey", "area",
        "industry", "size", "visit_date", "company",
        "NKI_HELHET", "NKI_HELHET__dont_know", "REK", "OMRADE",
        "BEHOV__lokaler", "BEHOV__kompetens", "BEHOV__tillstand",
        "KONTAKT", "BELOPP", "DATUM", "KOMMENTAR",
    ]  # fmt: skip


def test_wide_values(export_data: ExportData, export_csv) -> None:
    first, second, third = _rows(export_csv(export_data.battery))
    assert first["submitted_at"] == "2025-01-01T00:30:00+01:00"
    assert first["NKI_HELHET"] == "5" and first["NKI_HELHET__dont_know"] == "0"
    assert first["REK"] == "9" and first["OMRADE"] == "bygglov"
    assert (first["BEHOV__lokaler"], first["BEHOV__kompetens"], first["BEHOV__tillstand"]) == (
        "1", "0", "1",
    )  # fmt: skip
    assert first["KONTAKT"] == "yes" and first["BELOPP"] == "-12.5"
    assert first["DATUM"] == "2024-03-01"
    assert first["KOMMENTAR"] == '\'=HYPERLINK("http://x","y")'
    assert first["industry"] == "C"
    assert second["NKI_HELHET"] == "" and second["NKI_HELHET__dont_know"] == "1"
    assert second["BELOPP"] == "1000" and second["size"] == "250+"
    assert second["KOMMENTAR"].endswith("åäö ÅÄÖ")
    assert second["submitted_at"] == "2024-06-01T10:00:00+02:00"
    assert third["NKI_HELHET"] == third["NKI_HELHET__dont_know"] == third["BEHOV__lokaler"] == ""
    assert third["REK"] == "10"
