"""Shared fixtures: app and client on SQLite and PostgreSQL, real commits, CSRF on.

Every test that uses `backend` (through `database_url`, `app`, `client` ...) runs once per
backend; one marked `postgres` runs on PostgreSQL alone, and the PostgreSQL variants carry the
`postgres` mark, browser tests the `browser` mark, so `-m "not postgres and not browser"`
selects the quick inner loop. Both backends build their schema through the real Alembic
migrations once per process (tests/databases.py) and start each test empty. Passwords are
hashed with argon2's cheapest parameters here (the app refuses them outside TESTING).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings

from tests.databases import IN_CI, MIGRATED, PgSchema, SqliteFiles, data_rows, require_postgres

_TMP = Path(tempfile.mkdtemp(prefix="survey-tests-"))
os.environ["SURVEY_INSTANCE_DIR"] = str(_TMP / "instance")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.pop("DATABASE_URL", None)
BACKENDS = ["sqlite", "postgresql"]

pytest_plugins = ["tests.factories", "tests.browsing"]
BROWSER_FIXTURES = {"page", "phone", "browser"}

# Property tests: "ci" (the default) runs few examples, and every bug they once found is pinned
# with @example so it is tried on every run; "thorough" searches far wider, for a long run:
# HYPOTHESIS_PROFILE=thorough pytest tests/questionnaires tests/stats tests/security
settings.register_profile("ci", max_examples=30, deadline=None, database=None, print_blob=True)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test that uses `backend` on both databases; `@pytest.mark.postgres` alone: PG."""
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("postgres") is not None:
        metafunc.parametrize("backend", ["postgresql"], indirect=True)
    elif metafunc.definition.get_closest_marker("any_database") is not None:
        # What is tested does not touch the database's dialect (a terminal's progress bar).
        metafunc.parametrize("backend", ["sqlite"], indirect=True)
    elif ".journeys." in metafunc.module.__name__:
        # Journeys, the acceptance tests, run once: in CI on PostgreSQL (the production
        # database), elsewhere on SQLite; every database path is also tested on both below
        # the browser. Twice each, they took half the suite's time.
        metafunc.parametrize("backend", ["postgresql" if IN_CI else "sqlite"], indirect=True)
    elif BROWSER_FIXTURES & set(metafunc.fixturenames):
        # Browser tests run on SQLite: the database paths are covered on both elsewhere.
        metafunc.parametrize("backend", ["sqlite"], indirect=True)
    else:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what each test needs, so that `-m "not postgres"` or `-m "not browser"` selects."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("backend") == "postgresql":
            item.add_marker(pytest.mark.postgres)
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def sqlite_files() -> SqliteFiles:
    return SqliteFiles(_TMP)


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[PgSchema]:
    require_postgres()
    schema = PgSchema()
    yield schema
    schema.drop()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend under test ("sqlite" or "postgresql")."""
    return request.param


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, migrated database on the backend under test; real commits."""
    if backend == "sqlite":
        files: SqliteFiles = request.getfixturevalue("sqlite_files")
        yield files.fresh(_TMP / "test.db")  # one path per process: the app is reused
    else:
        schema: PgSchema = request.getfixturevalue("pg_schema")
        yield schema.url
        schema.restore(MIGRATED)


_saved_values: dict[tuple[str, str], Any] = {}


@pytest.fixture
def saved_state(
    app: Flask, backend: str, request: pytest.FixtureRequest
) -> Callable[[str, Callable[[], Any]], Any]:
    """Return `take(state, build)`: data that `build` writes, built once per process and backend.

    The first test to take a state runs `build()` in an app context and saves the database;
    later tests get the saved rows in place of their empty database (and `build`'s value).
    A state replaces the whole database, so it must be taken before anything else is written.
    """
    from survey.extensions import db

    def take(state: str, build: Callable[[], Any]) -> Any:
        with app.app_context():
            engine = db.engine
            assert data_rows(engine) == 0, f"take {state!r} before anything else is written"
            engine.dispose()
            if (backend, state) not in _saved_values:
                with app.app_context():
                    _saved_values[backend, state] = build()
                engine.dispose()
                saving = True
            else:
                saving = False
        if backend == "sqlite":
            files: SqliteFiles = request.getfixturevalue("sqlite_files")
            path = Path(engine.url.database or "")
            (files.save if saving else files.restore)(path, state)
        else:
            schema: PgSchema = request.getfixturevalue("pg_schema")
            (schema.save if saving else schema.restore)(state)
        return _saved_values[backend, state]

    return take


_apps: dict[str, tuple[Flask, frozenset[str]]] = {}  # URL -> app, its extensions when made


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on the test's database, made once per process and database as a server
    process serves request after request; each test gets the settings it was made with, an
    instance folder of its own and none of the caches an earlier test filled."""
    from survey import create_app
    from survey.extensions import db, limiter

    if database_url not in _apps:
        made = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "SERVER_NAME": None,
                "PASSWORD_HASH_PROFILE": "cheapest",
            }
        )
        _apps[database_url] = made, frozenset(made.extensions)
    app, extensions = _apps[database_url]
    # Flask-Limiter keeps `enabled` on its one extension object, set by the last init_app:
    # a test that made another app with the limiter off must not turn it off for this one.
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    settings, views = dict(app.config), dict(app.view_functions)
    app.config["SURVEY_INSTANCE_DIR"] = str(tmp_path / "instance")
    # No app context is held during the test: each request (and each factory or
    # assertion that needs the database) pushes its own, as in production, so `g` and
    # the session never leak from one request into the next.
    yield app
    with app.app_context():
        db.engine.dispose()
    app.config.clear()
    app.config.update(settings)
    assert app.view_functions == views, "a test replaced a view: use monkeypatch.setitem"
    for name in set(app.extensions) - extensions:
        del app.extensions[name]  # caches of published forms and rollup layouts


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # noqa: ANN201 - FlaskCliRunner
    return app.test_cli_runner()
