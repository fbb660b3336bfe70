"""Export and import of 200k responses as wide CSV, each beside PostgreSQL COPY.

Export: `survey responses export` in a subprocess (seconds, peak RSS) against
`COPY (<the same responses pivoted to one row each>) TO STDOUT`.
Import: `survey responses import` of that CSV into an empty database against
`COPY responses/answers FROM STDIN` of the same rows.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from benchmarks.harness import Result, generate, postgres_database, run_child

BATTERY = "nki-myndighetsutovning"


def _pivot_sql(connection) -> str:  # noqa: ANN001 - a SQLAlchemy connection
    """Return a query with one row per response and one column per question (as text)."""
    keys = connection.execute(
        text(
            "SELECT q.key FROM questions q JOIN battery_versions v ON v.id = q.version_id "
            "JOIN batteries b ON b.id = v.battery_id WHERE b.key = :b "
            "ORDER BY q.section_id, q.position"
        ),
        {"b": BATTERY},
    ).scalars()
    columns = ", ".join(
        f"max(CASE WHEN q.key = '{key}' THEN CASE WHEN a.dont_know THEN 'dont_know' "
        f'ELSE coalesce(a.value_number::text, a.value_text) END END) AS "{key}"'
        for key in keys
    )
    return (
        "SELECT r.id, r.submitted_at, r.collection_mode, r.language, r.survey_id, "
        f"r.service_area_id, r.sni_section, r.size_class, {columns} "
        "FROM responses r JOIN answers a ON a.response_id = r.id "
        "JOIN questions q ON q.id = a.question_id GROUP BY r.id ORDER BY r.id"
    )


def _copy_out(url: str, sql: str, target: Path) -> float:
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.connect() as connection, target.open("wb") as handle:
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for chunk in copy:
                handle.write(chunk)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def _copy_in(url: str, dumps: dict[str, Path]) -> float:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE answers, responses RESTART IDENTITY CASCADE"))
    started = time.perf_counter()
    with engine.begin() as connection:
        cursor = connection.connection.driver_connection.cursor()
        for table, path in dumps.items():
            with cursor.copy(f"COPY {table} FROM STDIN") as copy, path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def run() -> list[Result]:
    """Generate, export and COPY out; then import and COPY in; report both pairs."""
    size = int(os.environ.get("BENCH_EXPORT_SIZE", "200000"))
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        work = Path(folder)
        csv_file, dumps = (
            work / "export.csv",
            {t: work / f"{t}.copy" for t in ("responses", "answers")},
        )
        with postgres_database("export") as url:
            seconds = generate(url, size, seed=7, batteries=(BATTERY,))
            print(f"  generated {size:,} responses in {seconds:.1f} s", flush=True)
            child = run_child(
                ["survey", "responses", "export", "--battery", BATTERY, "-o", str(csv_file)],
                {"DATABASE_URL": url},
            )
            engine = create_engine(url)
            with engine.connect() as connection:
                sql = _pivot_sql(connection)
            engine.dispose()
            reference = _copy_out(url, sql, work / "reference.csv")
            for table, path in dumps.items():
                _dump(url, table, path)
        export = Result(
            "export",
            size=size,
            figure=child["seconds"],
            reference=reference,
            ratio=child["seconds"] / reference,
            target="<= 2x COPY TO, peak memory < 150 MB",
            met=child["seconds"] <= 2 * reference and child["peak_mb"] < 150,
            extra={"peak_mb": round(child["peak_mb"], 1), "csv_mb": _mb(csv_file)},
        )
        print("  " + export.line(), flush=True)
        with postgres_database("import") as url:
            child = run_child(
                ["survey", "responses", "import", str(csv_file), "--battery", BATTERY],
                {"DATABASE_URL": url},
            )
            reference = _copy_in(url, dumps)
        imported = Result(
            "import",
            size=size,
            figure=child["seconds"],
            reference=reference,
            ratio=child["seconds"] / reference,
            target="<= 5x COPY FROM",
            met=child["seconds"] <= 5 * reference,
            extra={"peak_mb": round(child["peak_mb"], 1)},
        )
    return [export, imported]


def _dump(url: str, table: str, target: Path) -> None:
    """Write a table in COPY text format (the reference's input for the import)."""
    engine = create_engine(url)
    with engine.connect() as connection, target.open("wb") as handle:
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table} TO STDOUT") as copy:
            for chunk in copy:
                handle.write(chunk)
    engine.dispose()


def _mb(path: Path) -> float:
    return round(path.stat().st_size / 1e6, 1)
