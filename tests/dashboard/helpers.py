"""Helpers for dashboard tests: read the CLI's JSON, a CSV download, a page's figures."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from flask.testing import FlaskClient, FlaskCliRunner

FIGURE = re.compile(r'<script type="application/json" id="figure-([\w-]+)">(.*?)</script>', re.S)


def cli_report(runner: FlaskCliRunner, battery: str, *args: str) -> dict[str, Any]:
    """Run ``survey stats --json`` and return its object."""
    result = runner.invoke(args=["stats", "--battery", battery, "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def csv_rows(client: FlaskClient, url: str) -> list[dict[str, str]]:
    """Download a CSV and return its rows as dicts (the BOM removed)."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def figures(html: str) -> dict[str, dict[str, Any]]:
    """Return the plotly figures embedded in a page, by panel key."""
    return {key: json.loads(body) for key, body in FIGURE.findall(html)}
