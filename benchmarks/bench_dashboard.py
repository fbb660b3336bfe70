"""Dashboard: the overview's statistics at growing sizes beside one hand-written SQL query.

Figure: NKI per quarter (with changes), the six factors' latest quarter and change, NKI per
service area, the priority matrix and the answer count, through the dashboard/statistics
services, from one load of the view's data (the index rollups when they serve the view).
Reference: one SQL query computing the counts, sums and sums of squares per quarter × area ×
index of the same answers (the least work any design that reads raw answers must do).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from benchmarks.harness import Result, app_for, generate, postgres_database, sizes, timed

BATTERY = "nki-myndighetsutovning"
REFERENCE_SQL = """
SELECT date_trunc('quarter', r.submitted_at) AS quarter, r.service_area_id, q.index_role,
       count(*), sum(a.value_number), sum(a.value_number * a.value_number)
FROM answers a
JOIN responses r ON r.id = a.response_id
JOIN questions q ON q.id = a.question_id
JOIN battery_versions v ON v.id = r.battery_version_id
JOIN batteries b ON b.id = v.battery_id
WHERE b.key = :battery AND q.index_role IS NOT NULL AND q.type = 'scale' AND NOT a.dont_know
GROUP BY 1, 2, 3
"""


DEFAULT_VIEW = {"battery": BATTERY, "by": "quarter", "compare": "area"}
_TODAY = date.today()  # the generator's ten years end today
#: Two dimensions (an industry filter, the area comparison) and a range inside the data that
#: cuts two months (on 2026-12-02: 2019-03-14 to 2026-06-17): whole months come from the
#: full month cuboid, the cut days from the full day cuboid.
FILTERED_VIEW = {
    **DEFAULT_VIEW,
    "industry": "C",
    "date_from": date(_TODAY.year - 7, 3, 14).isoformat(),
    "date_to": (_TODAY - timedelta(days=168)).replace(day=17).isoformat(),
}


def overview_statistics(params: dict[str, str] = DEFAULT_VIEW) -> dict[str, Any]:
    """Compute what the overview shows, from one load of its data (inside an app context)."""
    from survey.services.dashboards import dashboard

    view = dashboard.parse_view(params)
    data = dashboard.load(view)
    return {
        "source": type(data).__name__,
        "nki": dashboard.nki(view, data),
        "factors": dashboard.factors(view, data),
        "comparison": dashboard.comparison(view, data),
        "priority": dashboard.priority(view, data),
        "answers": dashboard.answer_count(view.filters, data),
    }


def rollup_rows() -> int:
    """Count the rows of the index rollups (all batteries)."""
    from survey.extensions import db

    return db.session.execute(text("SELECT count(*) FROM index_rollups")).scalar_one()


def measure(url: str, size: int, repeat: int) -> Result:
    """Time the overview statistics and the reference query on one database."""
    from survey.extensions import db

    app = app_for(url)
    with app.test_request_context("/"):
        overview_statistics()  # warm up: a serving process has its statements compiled
        figure, stats = timed(overview_statistics, repeat=repeat)
        overview_statistics(FILTERED_VIEW)
        filtered, filtered_stats = timed(lambda: overview_statistics(FILTERED_VIEW), repeat=repeat)
        reference, rows = timed(
            lambda: db.session.execute(text(REFERENCE_SQL), {"battery": BATTERY}).all(),
            repeat=repeat,
        )
        stored = rollup_rows()
        db.session.rollback()
        db.engine.dispose()
    return Result(
        "dashboard",
        size=size,
        figure=figure,
        reference=reference,
        ratio=figure / reference,
        target="at 1M: < 0.5 s and <= 1.5x the 10k time",
        extra={
            "groups": len(rows),
            "nki_groups": len(stats["nki"]["groups"]),
            "source": stats["source"],
            "rollup_rows": stored,
            "filtered_s": round(filtered, 4),
            "filtered_source": filtered_stats["source"],
            "filtered_nki_groups": len(filtered_stats["nki"]["groups"]),
        },
    )


def run() -> list[Result]:
    """Generate each size in a database of its own, measure, drop it."""
    results = []
    for size in sizes("10000,100000"):
        with postgres_database(f"dash{size}") as url:
            seconds = generate(url, size, seed=size)
            print(f"  generated {size:,} responses in {seconds:.1f} s", flush=True)
            result = measure(url, size, repeat=5 if size <= 100_000 else 3)
            result.extra["generate_s"] = round(seconds, 1)
            if size >= 1_000_000:
                result.met = result.figure < 0.5
            results.append(result)
            print("  " + result.line(), flush=True)
    if len(results) > 1:
        first, last = results[0], results[-1]
        growth = last.figure / first.figure
        results.append(
            Result(
                "dashboard:growth",
                size=last.size,
                figure=growth,
                reference=last.reference / first.reference,
                unit="x",
                ratio=growth,
                target=f"time at {last.size:,} / time at {first.size:,} <= 1.5",
                met=growth <= 1.5,
            )
        )
    return results
