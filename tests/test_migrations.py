"""Migrations: one head, upgrade from empty on both backends, and no drift from the models."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import Migrate
from sqlalchemy import create_engine, select, text

from survey.extensions import db
from survey.models import Base


def test_migrations_have_one_head(app: Flask) -> None:
    migrate: Migrate = app.extensions["migrate"].migrate
    with app.app_context():
        config = migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_migrations_match_models(app: Flask) -> None:
    """The database built by the migrations equals what the models declare."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ; add a revision: {diff}"


def test_migrations_seed_service_areas(app: Flask) -> None:
    from sqlalchemy import select

    from survey.models import ServiceArea

    with app.app_context():
        keys = db.session.scalars(select(ServiceArea.key).order_by(ServiceArea.position)).all()
    assert keys[:2] == ["bygglov", "miljo_halsoskydd"]
    assert "ovrigt" in keys


def _fresh_database(backend: str, tmp_path) -> tuple[str, Callable[[], None]]:  # noqa: ANN001
    """Return the URL of an empty database on the backend and how to remove it."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}", lambda: None
    from tests.databases import PG_URL, require_postgres

    require_postgres()
    name = f"m_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()

    return f"{PG_URL}?options=-csearch_path%3D{name}", drop


@contextmanager
def _later_columns() -> Iterator[None]:
    """Let today's models write to an older schema: add the columns later revisions add
    (0009: ``questions.service_area``; 0011f: ``questions.contact_role``; 0013b: the matrix
    columns and ``question_options.exclusive``) meanwhile, and drop them again before upgrading."""
    false = "0" if db.engine.dialect.name == "sqlite" else "false"
    added = [
        ("questions", f"service_area BOOLEAN NOT NULL DEFAULT {false}"),
        ("questions", "matrix_key VARCHAR(64)"),
        ("questions", "matrix_text_sv TEXT"),
        ("questions", "matrix_text_en TEXT"),
        ("questions", "matrix_help_sv TEXT"),
        ("questions", "matrix_help_en TEXT"),
        ("question_options", f"exclusive BOOLEAN NOT NULL DEFAULT {false}"),
        ("questions", "contact_role VARCHAR(10)"),
    ]
    with db.engine.begin() as connection:
        for table, column in added:
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {column}"))
    yield
    db.session.remove()
    with db.engine.begin() as connection:
        for table, column in added:
            connection.execute(text(f"ALTER TABLE {table} DROP COLUMN {column.split()[0]}"))


def test_migration_0003_keeps_only_the_materialised_rollup_cuboids(backend: str, tmp_path) -> None:  # noqa: ANN001
    """Rows of cuboids no longer kept go; kept rows stay as they were; downgrade empties."""
    from flask_migrate import downgrade, upgrade

    from survey import create_app
    from survey.models.rollup import VALUE_COLUMNS, index_rollups
    from survey.services.statistics.cube import CUBOIDS, FULL

    url, drop = _fresh_database(backend, tmp_path)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    old = [("M", m) for m in range(FULL + 1) if m.bit_count() <= 2 or m == FULL] + [
        ("D", m) for m in range(FULL + 1) if m.bit_count() <= 1 or m == FULL
    ]  # the 24 cuboids materialised before 0003
    try:
        with app.app_context():
            upgrade(revision="0002")
            with db.engine.begin() as connection:
                connection.execute(
                    text("INSERT INTO batteries (id, key, created_at) VALUES (1, 'b', :t)"),
                    {"t": datetime(2026, 1, 1)},
                )
                connection.execute(
                    text("INSERT INTO rollup_layouts VALUES (1, '[]', :t)"),
                    {"t": datetime(2026, 1, 1)},
                )
                connection.execute(
                    index_rollups.insert(),
                    [
                        {
                            "battery_id": 1,
                            "grain": grain,
                            "cuboid": cuboid,
                            "period": date(2026, 1, 1),
                            "survey_id": 0,
                            "service_area_id": 0,
                            "sni_section": "",
                            "size_class": "",
                            "collection_mode": "",
                            **dict.fromkeys(VALUE_COLUMNS, 0),
                            "responses": 3 + cuboid,
                        }
                        for grain, cuboid in old
                    ],  # fmt: skip
                )
            upgrade(revision="0003")  # later revisions may empty the rollups (0010 does)
            with db.engine.connect() as connection:
                kept = connection.execute(
                    select(index_rollups.c.grain, index_rollups.c.cuboid, index_rollups.c.responses)
                ).all()
            assert sorted((g, c) for g, c, _ in kept) == sorted(
                (grain, c) for grain, cuboids in CUBOIDS.items() for c in cuboids
            )
            assert len(old) == 24 and len(kept) == 8
            assert all(responses == 3 + cuboid for _, cuboid, responses in kept)
            downgrade(revision="0002")
            with db.engine.connect() as connection:
                left = connection.execute(text("SELECT count(*) FROM index_rollups")).scalar()
                layouts = connection.execute(text("SELECT count(*) FROM rollup_layouts")).scalar()
            assert (left, layouts) == (0, 0)
            db.engine.dispose()
    finally:
        drop()


def test_migration_0007_keeps_the_latest_interview_of_a_visit_and_version(
    backend: str, tmp_path
) -> None:  # noqa: ANN001
    """Repeated interview responses of a visit are reduced to the latest; others stay."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy.exc import IntegrityError

    from survey import create_app
    from survey.models import Company, Response, RollupLayout, ServiceArea, Visit
    from survey.services.batteries import batteries
    from survey.services.respondents.answers import store_response
    from tests.factories import shipped_battery

    url, drop = _fresh_database(backend, tmp_path)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    answers = {"OMRADE": "bygglov", "NKI_HELHET": 3, "NKI_FORVANTAN": 3, "NKI_IDEAL": 3}

    def interview(visit: Visit, mode: str = "interview") -> int:
        version = batteries.get_version("nki-myndighetsutovning")
        stored = store_response(version, answers, collection_mode=mode, language="sv", visit=visit)
        db.session.commit()
        return stored.id

    try:
        with app.app_context():
            upgrade(revision="0003")
            with _later_columns():
                batteries.load_definition(shipped_battery("nki-myndighetsutovning"), actor_id=None)
                area = db.session.scalar(select(ServiceArea.id))
                company = Company(org_number="556677-8899", name="Dubbel AB")
                twice, once = (
                    Visit(company=company, visit_date=date(2026, 1, 1), service_area_id=area)
                    for _ in range(2)
                )
                db.session.add_all([twice, once])
                db.session.commit()
                once_id = once.id
                repeated = [interview(twice) for _ in range(3)]
                kept = [repeated[-1], interview(once), interview(twice, "web")]
                assert len(db.session.scalars(select(RollupLayout)).all()) == 1
            upgrade()
            assert sorted(db.session.scalars(select(Response.id))) == sorted(kept)
            assert db.session.scalars(select(RollupLayout)).all() == []  # raw until rebuilt
            with pytest.raises(IntegrityError):
                interview(db.session.get(Visit, once_id))
            db.session.rollback()
            db.session.remove()
            downgrade(revision="0003")
            db.engine.dispose()
    finally:
        drop()


def test_migration_0009_files_web_answers_under_their_answered_area(backend: str, tmp_path) -> None:  # noqa: ANN001
    """Responses without an area take the one their OMRADE answer names; rollups go raw."""
    from flask_migrate import downgrade, upgrade

    from survey import create_app
    from survey.models import Company, Question, Response, RollupLayout, ServiceArea, Visit
    from survey.services.batteries import batteries
    from survey.services.respondents.answers import store_response
    from tests.factories import shipped_battery

    url, drop = _fresh_database(backend, tmp_path)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    nki = {"NKI_HELHET": 3, "NKI_FORVANTAN": 3, "NKI_IDEAL": 3}

    def store(area: str, **context: object) -> int:
        version = batteries.get_version("nki-myndighetsutovning")
        answers = {"OMRADE": area, **nki}
        stored = store_response(version, answers, language="sv", **context)
        db.session.commit()
        return stored.id

    try:
        with app.app_context():
            upgrade(revision="0008")
            with _later_columns():
                batteries.load_definition(shipped_battery("nki-myndighetsutovning"), actor_id=None)
                areas = dict(db.session.execute(select(ServiceArea.key, ServiceArea.id)).all())
                company = Company(org_number="556677-8899", name="Besökt AB")
                visit = Visit(company=company, visit_date=date(2026, 1, 1),
                              service_area_id=areas["bygglov"])  # fmt: skip
                db.session.add(visit)
                db.session.commit()
                web = store("livsmedel", collection_mode="web")
                visited = store("servering", collection_mode="interview", visit=visit)
                # As stored before 0009: no flag, and a web answer without an area.
                db.session.execute(text("UPDATE questions SET service_area = false"))
                db.session.execute(
                    text("UPDATE responses SET service_area_id = NULL WHERE id = :id"), {"id": web}
                )
                db.session.commit()
                assert len(db.session.scalars(select(RollupLayout)).all()) == 1
            upgrade()
            filed = dict(db.session.execute(select(Response.id, Response.service_area_id)).all())
            assert filed == {web: areas["livsmedel"], visited: areas["bygglov"]}
            flagged = db.session.scalars(select(Question.key).where(Question.service_area))
            assert list(flagged) == ["OMRADE"]
            assert db.session.scalars(select(RollupLayout)).all() == []  # raw until rebuilt
            db.session.remove()
            downgrade(revision="0008")
            db.engine.dispose()
    finally:
        drop()


def test_migration_0010_drops_rollups_built_with_the_old_item_rule(backend: str, tmp_path) -> None:  # noqa: ANN001
    """Rollups summed with "one item is enough" go; statistics read raw answers until rebuilt."""
    from flask_migrate import upgrade

    from survey import create_app
    from survey.models.rollup import VALUE_COLUMNS, index_rollups

    url, drop = _fresh_database(backend, tmp_path)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    try:
        with app.app_context():
            scripts = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
            upgrade(revision=scripts.get_revision("0010").down_revision)
            with db.engine.begin() as connection:
                t = datetime(2026, 1, 1)
                connection.execute(
                    text("INSERT INTO batteries (id, key, created_at) VALUES (1, 'b', :t)"),
                    {"t": t},
                )
                connection.execute(
                    text("INSERT INTO rollup_layouts VALUES (1, '[]', :t)"), {"t": t}
                )
                connection.execute(
                    index_rollups.insert(),
                    [{"battery_id": 1, "grain": "M", "cuboid": 0, "period": date(2026, 1, 1),
                      "survey_id": 0, "service_area_id": 0, "sni_section": "", "size_class": "",
                      "collection_mode": "", **dict.fromkeys(VALUE_COLUMNS, 1)}],
                )  # fmt: skip
            upgrade(revision="0010")
            with db.engine.connect() as connection:
                left = connection.execute(text("SELECT count(*) FROM index_rollups")).scalar()
                layouts = connection.execute(text("SELECT count(*) FROM rollup_layouts")).scalar()
            assert (left, layouts) == (0, 0)
            db.engine.dispose()
    finally:
        drop()
