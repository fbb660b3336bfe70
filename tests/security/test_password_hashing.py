"""Password hashes: argon2's standard parameters everywhere but in tests, which opt out."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from survey.services.accounts import accounts
from tests.factories import PASSWORD


def _app(tmp_path: Path, **config: object) -> Flask:
    from survey import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.db'}", **config})


def test_the_default_is_rfc_9106s_low_memory_argon2id(tmp_path: Path) -> None:
    with _app(tmp_path).app_context():
        digest = accounts.hasher().hash(PASSWORD)
    assert digest.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_the_cheapest_parameters_are_refused_outside_testing(tmp_path: Path) -> None:
    with _app(tmp_path, PASSWORD_HASH_PROFILE="cheapest").app_context():
        with pytest.raises(RuntimeError, match="PASSWORD_HASH_PROFILE 'cheapest' is for tests"):
            accounts.hasher()
    with _app(tmp_path, PASSWORD_HASH_PROFILE="cheapest", TESTING=True).app_context():
        assert accounts.hasher().hash("x").startswith("$argon2id$v=19$m=8,t=1,p=1$")


def test_a_cheap_hash_is_upgraded_at_the_next_login_with_the_standard_parameters(
    app: Flask, make_user, tmp_path: Path
) -> None:
    user = make_user("official")  # hashed with the tests' cheapest parameters
    standard = _app(tmp_path, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    with standard.app_context():
        logged_in = accounts.authenticate(user.email, PASSWORD, ip="127.0.0.1")
        assert logged_in.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        from survey.extensions import db

        db.engine.dispose()
