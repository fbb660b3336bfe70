"""`survey users ...` and `survey setup admin` through the CLI runner, on both backends."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import User
from tests.factories import post_form

PASSWORD = "ett-långt-lösenord-2026"


def _user(app: Flask, email: str) -> User | None:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def _logs_in(app: Flask, email: str, password: str) -> bool:
    client = app.test_client()
    response = post_form(client, "/login", {"email": email, "password": password})
    return response.status_code == 302


def test_users_create_reads_the_password_from_stdin_and_the_account_logs_in(
    app: Flask, runner
) -> None:
    args = ["users", "create", "Ana.Lytiker@Kommun.Example.se", "--role", "analyst"]
    result = runner.invoke(args=args, input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "created analyst ana.lytiker@kommun.example.se" in result.output
    user = _user(app, "ana.lytiker@kommun.example.se")
    assert (user.role, user.name) == ("analyst", "Ana.Lytiker")
    assert _logs_in(app, "ANA.LYTIKER@kommun.example.se", PASSWORD)


def test_users_create_refuses_a_case_insensitive_duplicate_and_common_passwords(
    app: Flask, runner
) -> None:
    runner.invoke(args=["users", "create", "a@kommun.example.se"], input=PASSWORD + "\n")
    again = runner.invoke(args=["users", "create", "A@KOMMUN.example.se"], input=PASSWORD + "\n")
    assert again.exit_code == 1
    assert again.output.startswith("Error: A@KOMMUN.example.se: ")
    for common in ("Password1234", "QWERTYUIOP", "Lösenord123"):
        result = runner.invoke(args=["users", "create", "b@kommun.example.se"], input=common)
        assert result.exit_code == 1, common
        assert result.output.count("\n") == 1, result.output
    assert _user(app, "b@kommun.example.se") is None


def test_users_set_password_replaces_the_old_one(app: Flask, runner) -> None:
    runner.invoke(args=["users", "create", "c@kommun.example.se"], input=PASSWORD + "\n")
    result = runner.invoke(
        args=["users", "set-password", "C@kommun.example.se"], input="nytt-lösenord-för-c\n"
    )
    assert result.exit_code == 0, result.output
    assert _logs_in(app, "c@kommun.example.se", "nytt-lösenord-för-c")
    assert not _logs_in(app, "c@kommun.example.se", PASSWORD)


def test_setup_admin_prints_a_working_login_once(app: Flask, runner) -> None:
    first = runner.invoke(args=["setup", "admin"])
    assert first.exit_code == 0, first.output
    email = re.search(r"e-mail:\s+(\S+)", first.output).group(1)
    password = re.search(r"password:\s+(\S+)", first.output).group(1)
    assert (email, _user(app, email).role) == ("admin@example.se", "admin")
    assert _logs_in(app, email, password)
    second = runner.invoke(args=["setup", "admin"])
    assert second.exit_code == 0, second.output
    assert password not in second.output and "password:" not in second.output
