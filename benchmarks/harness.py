"""What every benchmark shares: a database of its own, timing, the machine, the result record."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_SERVER = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("nki-myndighetsutovning.yaml", "uppfoljning-foretagsbesok.yaml")
os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-not-for-production")


@dataclass
class Result:
    """One benchmark's figure beside its reference, measured in the same run on the same data."""

    name: str
    size: int | None = None
    figure: float | None = None
    reference: float | None = None
    unit: str = "s"
    ratio: float | None = None  # figure / reference (or reference / figure for rates)
    target: str = ""
    met: bool | None = None
    skipped: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        if self.skipped:
            return f"{self.name}: skipped: {self.skipped}"
        size = f" n={self.size:,}" if self.size else ""
        extra = "".join(f", {k}={_show(v)}" for k, v in self.extra.items())
        verdict = (
            "" if self.met is None else ("  [target met]" if self.met else "  [TARGET MISSED]")
        )
        return (
            f"{self.name}{size}: {_show(self.figure)} {self.unit}, reference "
            f"{_show(self.reference)} {self.unit}, ratio {_show(self.ratio)}{extra}"
            f"  ({self.target}){verdict}"
        )


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def sizes(default: str) -> list[int]:
    """Read the benchmark sizes from BENCH_SIZES (comma-separated, e.g. "10000,100000")."""
    raw = os.environ.get("BENCH_SIZES", default)
    return [int(part.replace("_", "")) for part in raw.split(",") if part.strip()]


def timed(function: Callable[[], Any], *, repeat: int = 3) -> tuple[float, Any]:
    """Return the median wall time of `repeat` calls and the last call's value."""
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def server_url(database: str) -> str:
    """Return the PostgreSQL URL of another database on the benchmark server."""
    return make_url(PG_SERVER).set(database=database).render_as_string(hide_password=False)


@contextmanager
def postgres_database(label: str) -> Iterator[str]:
    """Create a migrated PostgreSQL database of this run (shipped batteries loaded); drop after."""
    name = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server_url(name)
    try:
        prepare(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def sqlite_database(label: str) -> Iterator[str]:
    """Create a migrated SQLite file for this run (shipped batteries loaded); remove after."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{label}-") as folder:
        url = f"sqlite:///{folder}/survey.db"
        prepare(url)
        yield url


def app_for(url: str) -> Flask:
    """Return an app bound to the benchmark database."""
    from survey import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})


def prepare(url: str) -> None:
    """Migrate the database and load the shipped batteries."""
    from flask_migrate import upgrade

    from survey.extensions import db
    from survey.questionnaires import load_file
    from survey.services.batteries import batteries

    app = app_for(url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        definitions = [load_file(ROOT / "questionnaires" / name) for name in SHIPPED]
        batteries.load_definitions(definitions, actor_id=None)
        db.engine.dispose()


def generate(
    url: str, count: int, *, seed: int = 1, batteries: tuple[str, ...] | None = None
) -> float:
    """Fill the database with `count` generated responses; return the seconds it took."""
    from survey.demo.responses import generate_responses
    from survey.extensions import db

    app = app_for(url)
    with app.app_context():
        result = generate_responses(count, seed=seed, batteries=batteries)
        analyze(db)
        db.engine.dispose()
    return result.seconds


def analyze(db: Any) -> None:
    """Refresh the planner statistics after a bulk load (PostgreSQL)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def run_child(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run a command in a fresh wrapper process; return its seconds and peak memory (MB)."""
    import json
    import sys

    if args and args[0] == "survey":
        args = [str(Path(sys.executable).parent / "survey"), *args[1:]]
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", *args],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {completed.stderr.strip()[-500:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def free_port() -> int:
    """Return a TCP port on loopback that is free right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def machine() -> dict[str, Any]:
    """Describe the machine: cores, memory, CPU model, PostgreSQL version, Python."""
    cpu = "unknown"
    info = Path("/proc/cpuinfo")
    if info.exists():
        for line in info.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory = int(meminfo.read_text().split()[1]) // 1024
    try:
        engine = create_engine(PG_SERVER)
        with engine.connect() as connection:
            postgres = connection.execute(text("SHOW server_version")).scalar()
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - report, do not fail
        postgres = f"unavailable ({type(error).__name__})"
    return {
        "nproc": os.cpu_count(),
        "memory_mb": memory,
        "cpu": cpu,
        "postgresql": postgres,
        "python": platform.python_version(),
        "commit": _commit(),
    }


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown"
