"""`survey responses delete`: select, count (dry run), delete with rollups kept right, audit."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AuditEvent, Response
from survey.services.statistics import statistics
from tests.statistics.close import assert_close
from tests.statistics.conftest import nki_rows

BATTERY = "nki-myndighetsutovning"
# 2024: a good import; item index (x - 1)·20, so (6,6,6) is 100, (4,4,4) 60, (5,5,5) 80.
GOOD = [(6, 6, 6), (4, 4, 4), (5, 5, 5)]  # NKI (100 + 60 + 80) / 3 = 80.00
# 2025: an erroneous import of four all-ones rows (NKI 0 each), to be deleted.
WRONG = [(1, 1, 1)] * 4


def _delete(runner: Any, *args: str, input: str | None = None) -> Any:
    return runner.invoke(args=["responses", "delete", *args], input=input)


def _groups(stats_json: Any) -> dict[str, tuple[int, float]]:
    groups = stats_json("--by", "year")["groups"]
    return {g["period"]: (g["n"], g["mean"]) for g in groups}


def _count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Response.id)))


def _raw_equals_rollups(app: Flask) -> None:
    with app.app_context():
        filters = statistics.Filters.from_args({"battery": BATTERY})
        raw, rolled = (statistics.load(filters, source=s) for s in ("raw", "rollup"))
        want = statistics.index_groups(filters, index="nki", by="year", min_n=2, data=raw)
        got = statistics.index_groups(filters, index="nki", by="year", min_n=2, data=rolled)
        assert_close(
            [(g.period, g.estimate) for g in got[0]], [(g.period, g.estimate) for g in want[0]]
        )


def test_delete_an_erroneous_import_with_a_dry_run_first(
    app: Flask, backend: str, runner: Any, nki_battery: str, import_csv: Any, stats_json: Any
) -> None:
    import_csv(*nki_rows(GOOD, "2024-03-01T10:00:00+01:00"))
    import_csv(*nki_rows(WRONG, "2025-03-01T10:00:00+01:00"))
    app.config["SURVEY_MIN_GROUP_SIZE"] = 3
    assert _groups(stats_json) == {"2024": (3, 80.0), "2025": (4, 0.0)}
    wrong = ["--mode", "import", "--submitted-from", "2025-01-01"]

    dry = _delete(runner, *wrong, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output == f"would delete 4 responses\n  {BATTERY}: 4 (import 4)\n"
    assert _count(app) == 7
    zone = ZoneInfo(app.config["SURVEY_TIMEZONE"])
    today = datetime.now(zone).date().isoformat()  # both imports were stored today
    both = _delete(runner, "--created-from", today, "--created-to", today, "--dry-run")
    assert both.output.startswith("would delete 7 responses\n")
    refused = _delete(runner, *wrong, input="n\n")
    assert refused.exit_code != 0 and _count(app) == 7

    done = _delete(runner, *wrong, "--battery", BATTERY, "--yes")
    assert done.exit_code == 0, done.output
    assert done.output == f"deleted 4 responses\n  {BATTERY}: 4 (import 4)\n"
    assert _count(app) == 3
    assert _groups(stats_json) == {"2024": (3, 80.0)}
    _raw_equals_rollups(app)
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "responses.delete")
        ).one()
        assert event.details == {
            "count": 4,
            "batteries": {BATTERY: 4},
            "selection": {"battery": BATTERY, "mode": "import", "submitted_from": "2025-01-01"},
        }


def test_delete_by_ids_and_bad_selections(
    app: Flask, backend: str, runner: Any, nki_battery: str, import_csv: Any
) -> None:
    import_csv(*nki_rows(GOOD, "2024-03-01T10:00:00+01:00"))
    with app.app_context():
        first = db.session.scalars(select(Response.id).order_by(Response.id)).first()

    assert _delete(runner, "--ids", f"{first}", "--yes").output.startswith("deleted 1 responses")
    assert _count(app) == 2
    nothing = _delete(runner, "--yes")
    assert (
        nothing.exit_code != 0
        and "give at least one criterion" in nothing.output.lower()
        or ("ange minst ett villkor" in nothing.output)
    )
    missing = _delete(runner, "--survey", "999", "--dry-run")
    assert missing.exit_code != 0 and "--survey:" in missing.output
    bad = _delete(runner, "--ids", "3,x", "--dry-run")
    assert bad.exit_code != 0 and "--ids" in bad.output
    assert _count(app) == 2
