"""An imported row without `area` takes the service area its OMRADE answer names."""

from __future__ import annotations

from typing import Any

from flask import Flask

HEADER = ["submitted_at", "area", "OMRADE", "NKI_HELHET", "NKI_FORVANTAN", "NKI_IDEAL"]
AT = "2025-03-01T10:00:00+01:00"
ROWS = [
    [AT, "", "bygglov", 6, 6, 6],  # 100
    [AT, "", "bygglov", 4, 4, 4],  # 60
    [AT, "", "servering", 3, 3, 3],  # 40
    [AT, "livsmedel", "bygglov", 2, 2, 2],  # 20: the area column wins over the answer
]
# bygglov (100 + 60) / 2 = 80; servering 40; livsmedel 20.


def test_imported_answers_are_filed_under_the_answered_area(
    app: Flask, backend: str, nki_battery: str, import_csv: Any, stats_json: Any
) -> None:
    import_csv(HEADER, ROWS)
    app.config["SURVEY_MIN_GROUP_SIZE"] = 1

    groups = stats_json("--split", "area")["groups"]

    assert {g["split"]: (g["n"], g["mean"]) for g in groups} == {
        "bygglov": (2, 80.0),
        "servering": (1, 40.0),
        "livsmedel": (1, 20.0),
    }
