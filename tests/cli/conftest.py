"""CLI fixtures: the statistics fixtures (NKI battery, CSV imports, `survey stats --json`)."""

from __future__ import annotations

from tests.statistics.conftest import import_csv, nki_battery, stats_json  # noqa: F401
