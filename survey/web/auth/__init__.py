"""Login and logout for officials."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from survey.extensions import db
from survey.models import User


def init_login(app: Flask, manager: LoginManager) -> None:
    """Configure Flask-Login: identities carry a nonce so logout ends every session."""
    manager.init_app(app)
    manager.login_view = "auth.login"
    manager.login_message = _l("Log in to continue.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"

    @manager.user_loader
    def load(identity: str) -> User | None:
        from survey.services.accounts.accounts import load_user

        return load_user(identity)

    @app.teardown_appcontext
    def remove_session(_exc: BaseException | None) -> None:
        db.session.remove()
