"""The numbers of a dashboard panel as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any

from survey.web.dashboard.panels import Table

#: A cell starting with one of these would be read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Any) -> Any:
    """Return a text cell that cannot run as a spreadsheet formula (prefixed with ')."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def table_csv(table: Table) -> str:
    """Write a panel's table as CSV: headings first, empty cells for None."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if c is None else neutralise(c) for c in row])
    return out.getvalue()


def excel_cell(cell: Any) -> Any:
    """Return a cell as a spreadsheet set to Swedish reads it: decimal comma in numbers."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return repr(cell).replace(".", ",")
    return neutralise(cell)


def table_excel_csv(table: Table) -> str:
    """Write a panel's table as the CSV Excel opens directly in a Swedish locale.

    Semicolons between cells and decimal commas in numbers (Excel's list separator where
    the comma is the decimal sign); the download adds a BOM so that Excel reads UTF-8.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([excel_cell(c) for c in row])
    return out.getvalue()
