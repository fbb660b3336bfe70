"""Settings from the environment: defaults, the development secret, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.config import ConfigError, load_config


def test_development_defaults_keep_a_generated_secret_in_the_instance_folder(
    tmp_path: Path,
) -> None:
    env = {"SURVEY_INSTANCE_DIR": str(tmp_path / "instance")}
    first, second = load_config(env), load_config(env)
    key_file = tmp_path / "instance" / "secret_key"
    assert first["SECRET_KEY"] == second["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first["SECRET_KEY"]) >= 32 and key_file.stat().st_mode & 0o077 == 0
    assert first["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'instance' / 'survey.db'}"
    assert (first["SURVEY_TIMEZONE"], first["BABEL_DEFAULT_LOCALE"]) == ("Europe/Stockholm", "sv")


@pytest.mark.parametrize("environment", ["production", "testing"])
def test_secret_key_is_required_outside_development(tmp_path: Path, environment: str) -> None:
    env = {"SURVEY_ENV": environment, "SURVEY_INSTANCE_DIR": str(tmp_path)}
    with pytest.raises(ConfigError, match="^SECRET_KEY: required outside development"):
        load_config(env)
    assert not (tmp_path / "secret_key").exists()
    assert load_config({**env, "SECRET_KEY": "k" * 32})["SECRET_KEY"] == "k" * 32


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SECRET_KEY", "short", "SECRET_KEY: must be at least 16 characters"),
        ("SURVEY_TIMEZONE", "Mars/Olympus", "SURVEY_TIMEZONE: unknown time zone 'Mars/Olympus'"),
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL: unsupported database 'mysql'"),
        ("SURVEY_ENV", "staging", "SURVEY_ENV: 'staging' is not one of"),
        (
            "SURVEY_CONTACT_NAME",
            "Enheten\r\nBcc: x@example.com",
            "SURVEY_CONTACT_NAME: must be one",
        ),
        ("SURVEY_MAIL_FROM", "noreply@example.se\nBcc: x@example.com", "SURVEY_MAIL_FROM: must be"),
        ("SURVEY_CONTACT_EMAIL", "a@example.se\r", "SURVEY_CONTACT_EMAIL: must be one line"),
    ],
)
def test_bad_value_fails_with_one_line_naming_the_variable(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config({"SURVEY_INSTANCE_DIR": str(tmp_path), name: value})
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_postgres_urls_use_psycopg(tmp_path: Path) -> None:
    env = {"SURVEY_INSTANCE_DIR": str(tmp_path), "DATABASE_URL": "postgres://u@h/db"}
    assert load_config(env)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
