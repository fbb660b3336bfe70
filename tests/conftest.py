"""Shared fixtures: app and client on SQLite and PostgreSQL, real commits, CSRF on.

Every test that uses `backend` (through `database_url`, `app`, `client` ...) runs once per
backend; one marked `postgres` runs on PostgreSQL alone. SQLite gets a fresh copy of a
migrated template file per test; PostgreSQL gets one migrated schema per test session (per
xdist worker), emptied after each test. Both paths build the schema through the real Alembic
migrations. Passwords are hashed with argon2's cheapest parameters here (the app refuses them
outside TESTING); `tests/security` checks the standard ones.
"""

from __future__ import annotations

import graphlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from jinja2 import FileSystemBytecodeCache
from sqlalchemy import Connection, create_engine, text

_TMP = Path(tempfile.mkdtemp(prefix="survey-tests-"))
os.environ["SURVEY_INSTANCE_DIR"] = str(_TMP / "instance")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.pop("DATABASE_URL", None)

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
# Each test's app has its own Jinja environment; the compiled templates are shared through
# Jinja's bytecode cache (keyed by the template source's checksum) instead of compiled anew.
(_TMP / "jinja").mkdir()
TEMPLATE_CACHE = FileSystemBytecodeCache(str(_TMP / "jinja"))
BACKENDS = ["sqlite", "postgresql"]

pytest_plugins = ["tests.factories"]

# Property tests: "ci" (the default) runs few examples, and every bug they once found is pinned
# with @example so it is tried on every run; "thorough" searches far wider, for a long run:
# HYPOTHESIS_PROFILE=thorough pytest tests/questionnaires tests/stats tests/security
settings.register_profile("ci", max_examples=30, deadline=None, database=None, print_blob=True)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    from survey import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        from survey.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template() -> Path:
    path = _TMP / f"template-{uuid.uuid4().hex}.db"
    _migrate(f"sqlite:///{path}")
    return path


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


class PgSchema:
    """A migrated schema of its own on the test PostgreSQL server.

    Between tests it is emptied by `reset`: one round trip that deletes every row (children
    first), puts the seeded service areas back from a copy kept in a schema beside it, and
    restarts every sequence. TRUNCATE ... RESTART IDENTITY did the same in ~600 ms a test, as
    it makes new files for each table and index; the DELETEs take a few milliseconds.
    """

    def __init__(self) -> None:
        self.name = f"t_{uuid.uuid4().hex[:12]}"
        self.seed = f"{self.name}_seed"
        self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.name}"'))
            connection.execute(text(f'CREATE SCHEMA "{self.seed}"'))
        self.url = f"{PG_URL}?options=-csearch_path%3D{self.name}"
        _migrate(self.url)
        self.engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with self.engine.connect() as connection:
            connection.execute(
                text(f'CREATE TABLE "{self.seed}".service_areas AS TABLE service_areas')
            )
            self.reset_sql = self._reset_sql(connection)

    def _reset_sql(self, connection: Connection) -> str:
        tables = {
            row[0]
            for row in connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": self.name}
            )
        } - {"alembic_version"}
        references = connection.execute(
            text(
                "SELECT DISTINCT c.conrelid::regclass::text, c.confrelid::regclass::text"
                " FROM pg_constraint c WHERE c.contype = 'f'"
                " AND c.connamespace = CAST(:s AS regnamespace) AND c.conrelid <> c.confrelid"
            ),
            {"s": self.name},
        ).all()
        parents = {table: set() for table in tables}
        for child, parent in references:
            parents[child.strip('"')].add(parent.strip('"'))
        order = list(graphlib.TopologicalSorter(parents).static_order())  # parents first
        statements = [f'DELETE FROM "{table}"' for table in reversed(order)]
        statements += [
            f'INSERT INTO service_areas SELECT * FROM "{self.seed}".service_areas',
            "SELECT setval(c.oid, 1, false) FROM pg_class c"
            f" WHERE c.relkind = 'S' AND c.relnamespace = '\"{self.name}\"'::regnamespace",
            "SELECT setval(pg_get_serial_sequence('service_areas', 'id'), max(id))"
            " FROM service_areas HAVING count(*) > 0",
        ]
        return "; ".join(statements)

    def reset(self) -> None:
        """Empty every table and restore the seeded rows, in one transaction."""
        connection = self.engine.raw_connection()
        try:
            with connection.cursor() as cursor:
                cursor.execute(self.reset_sql)  # no parameters: one simple-protocol batch
        finally:
            connection.close()

    def drop(self) -> None:
        self.engine.dispose()
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{self.name}" CASCADE'))
            connection.execute(text(f'DROP SCHEMA "{self.seed}" CASCADE'))
        self.admin.dispose()


_pg_schema: PgSchema | None = None


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[PgSchema]:
    require_postgres()
    global _pg_schema
    _pg_schema = PgSchema()
    yield _pg_schema
    _pg_schema.drop()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test that uses `backend` on both databases; `@pytest.mark.postgres` alone: PG."""
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("postgres") is not None:
        metafunc.parametrize("backend", ["postgresql"], indirect=True)
    else:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what each test needs, so that `-m "not postgres"` or `-m "not browser"` selects."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("backend") == "postgresql":
            item.add_marker(pytest.mark.postgres)
        if {"page", "browser"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend under test ("sqlite" or "postgresql")."""
    return request.param


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database on the backend under test; real commits."""
    if backend == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        schema: PgSchema = request.getfixturevalue("pg_schema")
        yield schema.url
        schema.reset()


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    from survey import create_app
    from survey.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SURVEY_INSTANCE_DIR": str(tmp_path / "instance"),
            "SERVER_NAME": None,
            "PASSWORD_HASH_PROFILE": "cheapest",
        }
    )
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    # No app context is held during the test: each request (and each factory or
    # assertion that needs the database) pushes its own, as in production, so `g` and
    # the session never leak from one request into the next.
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # noqa: ANN201 - FlaskCliRunner
    return app.test_cli_runner()
