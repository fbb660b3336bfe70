"""The wide export over several battery versions, and a stream closed before its end.

Version 2 of the test battery turns BELOPP from a number into text, drops KONTAKT, adds an
option to BEHOV and a new scale NYTT: the columns are the union of keys (latest order, then
keys only older versions have), and each response's cells come from its own version.
"""

from __future__ import annotations

import csv
import io
import threading
from datetime import UTC, datetime

from flask import Flask

from survey.services.exports import export, wide
from tests.export.conftest import BATTERY_YAML, load_battery, store

VERSION_2 = (
    BATTERY_YAML.replace(
        """      - key: KONTAKT
        type: yes_no
        text: {sv: "Har ni haft kontakt?", en: "Have you been in contact?"}
""",
        "",
    )
    .replace(
        """      - key: BELOPP
        type: number""",
        """      - key: BELOPP
        type: short_text""",
    )
    .replace(
        """          - {key: tillstand, label: {sv: Tillstånd, en: Permits}}
""",
        """          - {key: tillstand, label: {sv: Tillstånd, en: Permits}}
          - {key: personal, label: {sv: Personal, en: Staff}}
      - key: NYTT
        type: scale
        text: {sv: "Nytt?", en: "New?"}
        scale: {min: 1, max: 5}
""",
    )
)


def _export(app: Flask, **options: object) -> list[dict[str, str]]:
    with app.app_context():
        result = export.export_responses(
            export.ExportRequest(battery="export-test", **options),  # type: ignore[arg-type]
            user_id=None,
            role=None,
            via="test",
        )
        text = "".join(result.chunks)
    return list(csv.DictReader(io.StringIO(text)))


def test_columns_and_cells_follow_each_responses_version(app: Flask) -> None:
    when = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    with app.app_context():
        load_battery()
        old = store("export-test", {"BELOPP": -2.5, "KONTAKT": "yes", "BEHOV": ["lokaler"]})
        load_battery(VERSION_2)
        new = store(
            "export-test",
            {"BELOPP": "=tio kronor", "NYTT": 4, "BEHOV": ["personal"], "REK": 0},
            when=when,
        )

    first, second = _export(app)

    assert list(first) == [
        "response_id", "submitted_at", "collection_mode", "language", "survey", "area",
        "industry", "size", "visit_date", "company", "NKI_HELHET", "NKI_HELHET__dont_know",
        "REK", "OMRADE", "BEHOV__lokaler", "BEHOV__kompetens", "BEHOV__tillstand",
        "BEHOV__personal", "NYTT", "BELOPP", "DATUM", "KOMMENTAR", "KONTAKT",
    ]  # fmt: skip
    assert (first["response_id"], second["response_id"]) == (str(old), str(new))
    assert (first["BELOPP"], first["KONTAKT"], first["NYTT"]) == ("-2.5", "yes", "")
    assert (first["BEHOV__lokaler"], first["BEHOV__personal"]) == ("1", "0")
    assert (second["BELOPP"], second["KONTAKT"], second["NYTT"]) == ("'=tio kronor", "", "4")
    assert (second["BEHOV__lokaler"], second["BEHOV__personal"], second["REK"]) == ("0", "1", "0")
    assert second["submitted_at"] == "2024-05-01T10:00:00+02:00"


def test_closing_the_stream_early_stops_its_reader(app: Flask, monkeypatch) -> None:
    monkeypatch.setattr(wide, "BATCH", 1)  # a batch per response: the reader waits
    with app.app_context():
        load_battery()
        for value in range(6):
            store("export-test", {"REK": value})
        result = export.export_responses(
            export.ExportRequest(battery="export-test"), user_id=None, role=None, via="test"
        )
        first = next(result.chunks)
        result.chunks.close()  # type: ignore[attr-defined]
    assert first.startswith("response_id,")
    assert not [t for t in threading.enumerate() if t.name == "export-reader"]
    assert len(_export(app)) == 6
