"""Företagsenkät: surveys and satisfaction statistics for municipal business units."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: read settings, bind extensions, register blueprints and CLI."""
    from survey.config import load_config

    app = Flask(__name__, instance_relative_config=False)
    app.config.update(load_config())
    if config:
        app.config.update(config)
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the unbound extension objects to this app."""
    from survey import (
        i18n,
        ratelimit,  # noqa: F401 - registers the limiter's survey+db:// storage
    )
    from survey.extensions import babel, csrf, db, limiter, login_manager, migrate
    from survey.web import auth

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    limiter.init_app(app)
    auth.init_login(app, login_manager)


def register_blueprints(app: Flask) -> None:
    """Register every feature's blueprint, after the `id` URL converter their routes use."""
    from survey.web import blueprints
    from survey.web.ids import IdConverter

    app.url_map.converters["id"] = IdConverter
    for blueprint in blueprints():
        app.register_blueprint(blueprint)


def register_hooks(app: Flask) -> None:
    """Register error handlers, security headers, request limits, log masks, template
    helpers and versioned static URLs."""
    from survey import i18n, log_masking
    from survey.web import errors, request_limits, security, static_assets, templating

    log_masking.register()
    request_limits.register(app)
    errors.register(app)
    security.register(app)
    templating.register(app)
    static_assets.register(app)
    app.before_request(i18n.remember_language_choice)


def register_cli(app: Flask) -> None:
    """Attach the `survey` command groups."""
    from survey.cli import register_commands

    register_commands(app)


def _migrations_dir() -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"
