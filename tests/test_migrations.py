"""Migrations: one head, upgrade from empty on both backends, and no drift from the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import Migrate

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
