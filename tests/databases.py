"""Test databases: migrated once per process, emptied or restored between tests.

SQLite: each test gets a copy of a migrated template file, and a saved state is another file.
PostgreSQL: each process (xdist worker) gets one migrated schema; a saved state is a copy of
every table in a schema beside it, and restoring (emptying included) is one round trip that
deletes every row children first, copies the saved rows back parents first and sets every
sequence past the highest id. TRUNCATE ... RESTART IDENTITY took ~600 ms a test on a busy
machine (new files for every table and index); this takes a few milliseconds.
"""

from __future__ import annotations

import graphlib
import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
MIGRATED = "migrated"  # the state right after the migrations: seeded service areas only


def migrate(url: str) -> None:
    """Build the schema at `url` through the real Alembic migrations."""
    from flask_migrate import upgrade

    from survey import create_app
    from survey.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def pg_available() -> str | None:
    """Return why PostgreSQL cannot be used, or None when it answers."""
    engine = create_engine(PG_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any connection failure means "not here"
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"
    finally:
        engine.dispose()
    return None


def require_postgres() -> None:
    """Skip (or fail in CI) when PostgreSQL does not answer."""
    reason = pg_available()
    if reason is None:
        return
    message = (
        f"PostgreSQL not reachable at {PG_URL} ({reason}); start it or set TEST_DATABASE_URL "
        "to run the PostgreSQL tests"
    )
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def data_rows(engine: Engine) -> int:
    """Count the rows of every table but the seeded service areas (0: nothing written yet)."""
    from survey.models import Base

    tables = [t.name for t in Base.metadata.sorted_tables if t.name != "service_areas"]
    query = " + ".join(f"(SELECT count(*) FROM {name})" for name in tables)
    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT {query}")).scalar_one())


class PgSchema:
    """A migrated schema of its own on the test PostgreSQL server, with saved states."""

    def __init__(self) -> None:
        self.name = f"t_{uuid.uuid4().hex[:12]}"
        self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.name}"'))
        # Commits need not wait for the disk (durability on a crash is not what these
        # tests test; the fault tests restart a throwaway cluster of their own).
        self.url = f"{PG_URL}?options=-csearch_path%3D{self.name}%20-csynchronous_commit%3Doff"
        migrate(self.url)
        self.engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with self.engine.connect() as connection:
            self.tables = self._parents_first(connection)
            self.sequences = connection.execute(
                text(
                    "SELECT s.relname, t.relname, a.attname FROM pg_class s"
                    " JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')"
                    " JOIN pg_class t ON t.oid = d.refobjid"
                    " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
                    " WHERE s.relkind = 'S' AND s.relnamespace = CAST(:s AS regnamespace)"
                ),
                {"s": self.name},
            ).all()
        self.saved: set[str] = set()
        self.save(MIGRATED)

    def _parents_first(self, connection: Connection) -> list[str]:
        tables = connection.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": self.name}
        ).all()
        references = connection.execute(
            text(
                "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text"
                " FROM pg_constraint c WHERE c.contype = 'f'"
                " AND c.connamespace = CAST(:s AS regnamespace) AND c.conrelid <> c.confrelid"
            ),
            {"s": self.name},
        ).all()
        parents: dict[str, set[str]] = {t: set() for t in tables if t != "alembic_version"}
        for child, parent in references:
            parents[child.strip('"')].add(parent.strip('"'))
        return list(graphlib.TopologicalSorter(parents).static_order())

    def _run(self, statements: list[str]) -> None:
        """Run the statements as one batch: one round trip, one transaction."""
        connection = self.engine.raw_connection()
        try:
            with connection.cursor() as cursor:
                cursor.execute("; ".join(statements))  # no parameters: simple query protocol
        finally:
            connection.close()

    def save(self, state: str) -> None:
        """Keep a copy of every table's rows under the name `state`."""
        target = f"{self.name}_{state}"
        self._run(
            [f'CREATE SCHEMA "{target}"']
            + [f'CREATE TABLE "{target}"."{t}" AS TABLE "{t}"' for t in self.tables]
        )
        self.saved.add(state)

    def restore(self, state: str = MIGRATED) -> None:
        """Make every table hold exactly the rows saved as `state` (MIGRATED: empty it)."""
        source = f"{self.name}_{state}"
        self._run(
            [f'DELETE FROM "{t}"' for t in reversed(self.tables)]
            + [
                f'INSERT INTO "{t}" OVERRIDING SYSTEM VALUE SELECT * FROM "{source}"."{t}"'
                for t in self.tables
            ]
            + [
                f'SELECT setval(\'"{sequence}"\', coalesce(max("{column}"), 0) + 1, false)'
                f' FROM "{table}"'
                for sequence, table, column in self.sequences
            ]
        )

    def drop(self) -> None:
        """Drop the schema and every saved state."""
        self.engine.dispose()
        with self.admin.connect() as connection:
            for state in self.saved:
                connection.execute(text(f'DROP SCHEMA "{self.name}_{state}" CASCADE'))
            connection.execute(text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self.admin.dispose()


class SqliteFiles:
    """The migrated template file and saved states of one test process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / f"template-{uuid.uuid4().hex}.db"
        migrate(f"sqlite:///{self.template}")

    def fresh(self, path: Path) -> str:
        """Copy the migrated template to `path`; return its URL."""
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def save(self, path: Path, state: str) -> None:
        shutil.copyfile(path, self.folder / f"state-{state}.db")

    def restore(self, path: Path, state: str) -> None:
        shutil.copyfile(self.folder / f"state-{state}.db", path)
