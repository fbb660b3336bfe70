"""Shared fixtures: app and client on SQLite and PostgreSQL, real commits, CSRF on.

Every database test runs once per backend. SQLite gets a fresh copy of a migrated template
file per test; PostgreSQL gets one migrated schema per test session (per xdist worker),
emptied after each test. Both paths build the schema through the real Alembic migrations.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

_TMP = Path(tempfile.mkdtemp(prefix="survey-tests-"))
os.environ["SURVEY_INSTANCE_DIR"] = str(_TMP / "instance")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.pop("DATABASE_URL", None)

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["sqlite", "postgresql"]

pytest_plugins = ["tests.factories"]


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
    """A migrated schema of its own on the test PostgreSQL server."""

    def __init__(self) -> None:
        self.name = f"t_{uuid.uuid4().hex[:12]}"
        self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.name}"'))
        self.url = f"{PG_URL}?options=-csearch_path%3D{self.name}"
        _migrate(self.url)
        self.engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with self.engine.connect() as connection:
            self.tables = [
                row[0]
                for row in connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = :s"),
                    {"s": self.name},
                )
                if row[0] != "alembic_version"
            ]
            self.areas = [
                dict(row._mapping)
                for row in connection.execute(text("SELECT * FROM service_areas ORDER BY id"))
            ]

    def reset(self) -> None:
        """Empty every table and restore the seeded rows."""
        names = ", ".join(f'"{t}"' for t in self.tables)
        with self.engine.connect() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            if self.areas:
                columns = list(self.areas[0])
                connection.execute(
                    text(
                        f"INSERT INTO service_areas ({', '.join(columns)}) "
                        f"VALUES ({', '.join(':' + c for c in columns)})"
                    ),
                    self.areas,
                )
                connection.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence('service_areas', 'id'), "
                        "(SELECT max(id) FROM service_areas))"
                    )
                )

    def drop(self) -> None:
        self.engine.dispose()
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self.admin.dispose()


_pg_schema: PgSchema | None = None


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[PgSchema]:
    require_postgres()
    global _pg_schema
    _pg_schema = PgSchema()
    yield _pg_schema
    _pg_schema.drop()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database on each backend; real commits."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        schema: PgSchema = request.getfixturevalue("pg_schema")
        yield schema.url
        schema.reset()


@pytest.fixture
def backend(database_url: str) -> str:
    """The name of the database backend under test."""
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


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
        }
    )
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
