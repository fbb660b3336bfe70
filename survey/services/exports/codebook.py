"""The codebook of an export: a CSV and a Frictionless data package (datapackage.json).

The data package describes the exported CSV with a Table Schema (every column's name, type,
question text in Swedish and English, the allowed option keys as an enum and the scale and option
labels in the custom property `labels`), its dialect and encoding, so that
`frictionless validate datapackage.json` checks the data file as analysts receive it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from survey.services.exports.columns import Column
from survey.services.exports.rows import Dialect, csv_chunks, neutralise

CODEBOOK_HEADER = ["column", "type", "question", "text_sv", "text_en", "values_sv", "values_en"]
LONG_COLUMNS = (
    Column("response_id", "integer", "Svarets id", "Response id"),
    Column("question_key", "string", "Frågans nyckel", "Question key"),
    Column(
        "value",
        "string",
        "Svaret: tal, alternativets nyckel, datum, text eller dont_know",
        "The answer: number, option key, date, text or dont_know",
    ),
)


def _labels(column: Column, lang: int) -> str:
    return "; ".join(f"{label[0]} = {label[lang]}" for label in column.labels)


def codebook_chunks(columns: tuple[Column, ...], dialect: Dialect) -> Iterator[str]:
    """Yield the codebook CSV: one row per data column, with texts and value labels."""
    rows = (
        [
            column.name,
            column.type,
            column.question or "",
            column.description_sv,
            column.description_en,
            _labels(column, 1),
            _labels(column, 2),
        ]
        for column in columns
    )
    return csv_chunks(
        CODEBOOK_HEADER, ([neutralise(cell) for cell in row] for row in rows), dialect
    )


def _field(column: Column, dialect: Dialect) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "title": column.description_sv or column.name,
        "description": " / ".join(
            text for text in (column.description_sv, column.description_en) if text
        ),
    }
    if column.question:
        field["x-question"] = column.question
    if column.enum is not None:
        enum: list[Any] = list(column.enum)
        if column.type == "integer":
            enum = [int(value) for value in enum]
        field["constraints"] = {"enum": enum}
    if column.labels:
        field["x-labels"] = [
            {"value": value, "sv": sv, "en": en} for value, sv, en in column.labels
        ]
    if column.type == "number" and dialect.excel:
        field["decimalChar"] = ","
    return field


#: What the package says about precision (DESIGN.md, Statistics conventions): machine outputs
#: keep every number as computed; only what people read is rounded.
PRECISION_NOTE = (
    "Talen i exporten är lagrade med full precision (svaren som de gavs, index och statistik "
    "utan avrundning). Sidor, rapporter och CLI:ns tabell visar index i hela indexpoäng "
    "(metodens precision, som SKR:s Insikt redovisar NKI), avrundade med 0,5 uppåt; "
    "--json, API:t och CSV-filerna avrundar inte. / Numbers in this export are stored at full "
    "precision (answers as given, indices and statistics unrounded). Pages, reports and the "
    "CLI's table show indices in whole index points (the method's precision, as SKR's Insikt "
    "reports NKI), halves rounded up; --json, the API and the CSV files do not round."
)


def package_name(battery: str, layout: str) -> str:
    """Return a data package name (lower case letters, digits, `-`, `_`, `.`)."""
    return re.sub(r"[^a-z0-9._-]+", "-", f"{battery}-{layout}".lower()).strip("-")


def datapackage(
    *,
    battery: str,
    title: str,
    layout: str,
    columns: tuple[Column, ...],
    data_path: str,
    codebook_path: str,
    dialect: Dialect,
) -> dict[str, Any]:
    """Return the datapackage.json object describing one export file."""
    schema: dict[str, Any] = {"fields": [_field(column, dialect) for column in columns]}
    if layout == "wide":
        schema["primaryKey"] = ["response_id"]
    return {
        "name": package_name(battery, layout),
        "title": title,
        "description": PRECISION_NOTE,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "resources": [
            {
                "name": package_name(battery, "responses"),
                "path": data_path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": dialect.encoding,
                "dialect": {"delimiter": dialect.delimiter},
                "schema": schema,
            },
            {
                "name": package_name(battery, "codebook"),
                "path": codebook_path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": dialect.encoding,
                "dialect": {"delimiter": dialect.delimiter},
                "schema": {
                    "fields": [{"name": name, "type": "string"} for name in CODEBOOK_HEADER]
                },
            },
        ],
    }
