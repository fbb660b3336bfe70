"""Run every benchmark (or those named in BENCH_ONLY) and write results/latest.json."""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.harness import Result, machine

MODULES = ("dashboard", "respondent", "submit", "export_import", "mail")
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def main() -> int:
    """Run the benchmarks one after another; print each figure; write the JSON record."""
    chosen = [m for m in os.environ.get("BENCH_ONLY", ",".join(MODULES)).split(",") if m]
    record = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "env": {k: v for k, v in os.environ.items() if k.startswith("BENCH_")},
        "results": [],
    }
    print(f"machine: {record['machine']}", flush=True)
    for name in chosen:
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.bench_{name}")
            results: list[Result] = module.run()
        except Exception as error:  # noqa: BLE001 - one failing benchmark must not stop the rest
            traceback.print_exc()
            results = [Result(name, skipped=f"failed: {type(error).__name__}: {error}")]
        for result in results:
            print(result.line(), flush=True)
            record["results"].append({**result.as_json(), "module": name})
        print(f"  ({name} took {time.perf_counter() - started:.0f} s)", flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if set(chosen) != set(MODULES) and previous.get("results"):
        kept = [r for r in previous["results"] if _module_of(r) not in chosen]
        record["results"] = kept + record["results"]
    RESULTS.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    print(f"written {RESULTS}")
    return 0


def _module_of(result: dict) -> str:
    """Return the benchmark module a stored result came from (older records lack "module")."""
    if "module" in result:
        return result["module"]
    prefix = result["name"].split(":")[0]
    return "export_import" if prefix in ("export", "import") else prefix


if __name__ == "__main__":
    sys.exit(main())
