"""Import fixtures: the statistics tests' batteries, CSV writer and CLI runners."""

from __future__ import annotations

from tests.statistics.conftest import (  # noqa: F401  (fixtures)
    import_csv,
    mixed_battery,
    nki_battery,
    nki_rows,
    stats_json,
)
