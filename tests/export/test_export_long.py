"""The long (tidy) export: one row per answer, multiple choice as one row per chosen option."""

from __future__ import annotations

import csv
import io

from tests.export.conftest import ExportData


def test_long_rows(export_data: ExportData, export_csv) -> None:
    text = export_csv(export_data.battery, layout="long")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["response_id", "question_key", "value"]
    first = str(export_data.response_ids[0])
    second = str(export_data.response_ids[1])
    assert [first, "BEHOV", "lokaler"] in rows and [first, "BEHOV", "tillstand"] in rows
    assert [first, "BELOPP", "-12.5"] in rows
    assert [first, "KOMMENTAR", '\'=HYPERLINK("http://x","y")'] in rows
    assert [second, "NKI_HELHET", "dont_know"] in rows
    assert [str(export_data.response_ids[2]), "REK", "10"] in rows
    assert all(len(row) == 3 for row in rows)


def test_excel_dialect(export_data: ExportData, export_csv) -> None:
    text = export_csv(export_data.battery, excel=True)
    assert text.startswith("\ufeffresponse_id;submitted_at;")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0]["BELOPP"] == "-12,5"
    assert rows[0]["KOMMENTAR"].startswith("'=HYPERLINK")
    assert "\r\n" in text
