"""At least one active administrator always remains: in the CLI, the web and under a race."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import User
from tests.factories import csrf_token, login

LAST_ADMIN = "At least one active administrator must remain"


def _active_admins(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(User.id)).where(User.role == "admin", User.active.is_(True))
        )


def _cli(runner, *args: str):  # noqa: ANN202
    return runner.invoke(args=["users", *args], env={"LANG": "en"})


def test_the_cli_refuses_to_demote_or_deactivate_the_last_active_admin(
    app: Flask, runner, make_user
) -> None:
    first = make_user("admin")
    for args in (("set-role", first.email, "official"), ("deactivate", first.email)):
        result = _cli(runner, *args)
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: {first.email}: ")
        assert result.output.count("\n") == 1, result.output
    assert _active_admins(app) == 1

    second = make_user("admin")
    assert _cli(runner, "deactivate", second.email).exit_code == 0
    # A deactivated administrator does not count: the first is still the last active one.
    assert _cli(runner, "set-role", first.email, "analyst").exit_code == 1
    assert _cli(runner, "activate", second.email).exit_code == 0
    assert _cli(runner, "set-role", first.email, "analyst").exit_code == 0
    assert _cli(runner, "set-role", second.email.upper(), "official").exit_code == 1
    assert _cli(runner, "set-role", "nobody@kommun.example.se", "official").exit_code == 1
    assert _active_admins(app) == 1


def test_the_cli_messages_name_the_rule(app: Flask, runner, make_user) -> None:
    admin = make_user("admin")
    result = runner.invoke(args=["users", "deactivate", admin.email])
    assert "aktiv administratör" in result.output or LAST_ADMIN in result.output


def _admins(app: Flask, make_user):  # noqa: ANN202
    """Two administrators, each logged in on a client of their own."""
    admins = [make_user("admin"), make_user("admin")]
    clients = []
    for admin in admins:
        client = app.test_client()
        login(client, admin)
        clients.append(client)
    return admins, clients


@pytest.mark.parametrize("action", ["role", "active"])
def test_two_admins_removing_each_other_at_once_leave_one(
    app: Flask, make_user, monkeypatch, action: str
) -> None:
    from survey.services.accounts import users

    admins, clients = _admins(app, make_user)
    record = users.audit.record

    def slow_record(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        threading.Event().wait(0.3)  # both changes are under way before either commits
        return record(*args, **kwargs)

    monkeypatch.setattr(users.audit, "record", slow_record)
    barrier = threading.Barrier(2)
    pages = ["", ""]

    def remove_the_other(i: int) -> None:
        other = admins[1 - i]
        client = clients[i]
        token = csrf_token(client, f"/users/{other.id}?lang=en")
        url = f"/users/{other.id}" if action == "role" else f"/users/{other.id}/active"
        data = {"role": "official"} if action == "role" else {"active": "0"}
        barrier.wait()
        response = client.post(f"{url}?lang=en", data={**data, "csrf_token": token})
        pages[i] = "done" if response.status_code == 302 else response.get_data(as_text=True)

    threads = [threading.Thread(target=remove_the_other, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _active_admins(app) == 1
    assert sorted(page == "done" for page in pages) == [False, True]
    refused = next(page for page in pages if page != "done")
    beside = refused.split(f'id="{action}-error"', 1)[1].split("</p>", 1)[0]
    assert LAST_ADMIN in beside
