"""Login throttle: per account and address together, with backoff, atomic under parallel tries.

The rules (survey.services.accounts.login_throttle): one address on one account gets 5 tries, then
waits of 1, 2, 4 … minutes; one account from every address 20, then the same waits; one
address over every account 20, then the same waits. Time passes here by moving the recorded
attempts back.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import LoginAttempt, User
from survey.services.accounts.login_throttle import ADDRESS, PAIR, Backoff
from tests.factories import PASSWORD, csrf_token, login, post_form

THROTTLED = "Too many failed attempts"
WRONG = "Wrong e-mail address or password"


def _client(app: Flask, ip: str):  # noqa: ANN202
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def _try(app: Flask, ip: str, email: str, password: str) -> str:
    """Log in from `ip`; return "in", "wrong" or the throttle's message."""
    client = _client(app, ip)
    token = csrf_token(client, "/login?lang=en")
    response = client.post(
        "/login?lang=en", data={"email": email, "password": password, "csrf_token": token}
    )
    if response.status_code == 302:
        return "in"
    html = response.get_data(as_text=True)
    if WRONG in html:
        return "wrong"
    assert THROTTLED in html, html[-3000:]
    return html.split(THROTTLED, 1)[1].split("<", 1)[0].strip()


def _pass_time(app: Flask, seconds: float) -> None:
    """Move every recorded attempt `seconds` into the past."""
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.at -= timedelta(seconds=seconds)
        db.session.commit()


def test_backoff_rule_by_hand() -> None:
    rule = Backoff(free=2, window=timedelta(minutes=1), doublings=2)
    start = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    minute = timedelta(minutes=1)
    assert rule.retry_at([]) is None
    assert rule.retry_at([start]) is None
    # Two failures at 12:00: the third waits until the older one leaves the 1-minute window.
    assert rule.retry_at([start, start]) == start + minute
    # A third at 12:01: the fourth waits until 12:00's leave the 2-minute window.
    assert rule.retry_at([start + minute, start, start]) == start + 2 * minute
    # A fourth at 12:02: the fifth waits for the 4-minute window, and from then on 4 per 4.
    failures = [start + 2 * minute, start + minute, start, start]
    assert rule.retry_at(failures) == start + 4 * minute
    assert rule.memory == 4 * minute


def test_five_failures_throttle_that_address_on_that_account_only(app, make_user) -> None:
    user, other = make_user("admin"), make_user("official")
    results = [_try(app, "10.6.0.1", user.email, "wrong-password") for _ in range(5)]
    assert results == ["wrong"] * 5
    # The sixth try from that address waits a minute, even with the right password ...
    assert _try(app, "10.6.0.1", user.email, PASSWORD) == ". Try again in 1 min."
    # ... while the account's owner logs in from elsewhere, and the address may try others.
    assert _try(app, "10.6.0.2", user.email, PASSWORD) == "in"
    assert _try(app, "10.6.0.1", other.email, PASSWORD) == "in"


def test_an_address_and_account_pair_backs_off_exponentially(app, make_user) -> None:
    user = make_user("official")
    ip = "10.7.0.1"
    for _ in range(5):
        _try(app, ip, user.email, "wrong-password")
    # After the fifth failure, one more try each 1, 2, 4, 8, 16 … minutes later.
    elapsed = 0
    for minutes in (1, 2, 4, 8, 16):
        _pass_time(app, minutes * 60 - 5 - elapsed)
        assert _try(app, ip, user.email, PASSWORD) == ". Try again in 1 min."
        _pass_time(app, 6)
        elapsed = minutes * 60 + 1
        assert _try(app, ip, user.email, "wrong-password") == "wrong"
    assert _try(app, ip, user.email, PASSWORD) == ". Try again in 16 min."
    _pass_time(app, 16 * 60 + 1)
    assert _try(app, ip, user.email, PASSWORD) == "in"


def test_a_success_clears_the_pair_but_not_the_account(app, make_user) -> None:
    user = make_user("official")
    for _ in range(4):
        _try(app, "10.8.0.1", user.email, "wrong-password")
    assert _try(app, "10.8.0.1", user.email, PASSWORD) == "in"
    assert [_try(app, "10.8.0.1", user.email, "wrong-password") for _ in range(5)] == ["wrong"] * 5
    assert _try(app, "10.8.0.1", user.email, PASSWORD).startswith(". Try again")


def test_many_addresses_slow_an_account_down_without_locking_it(app, make_user) -> None:
    user = make_user("admin")
    for n in range(20):
        assert _try(app, f"10.9.1.{n}", user.email, "wrong-password") == "wrong"
    # From every address, the account now waits a minute: slowed, not locked.
    assert _try(app, "10.9.2.1", user.email, PASSWORD) == ". Try again in 1 min."
    _pass_time(app, 61)
    assert _try(app, "10.9.2.1", user.email, PASSWORD) == "in"


def test_the_owners_usual_address_gets_in_while_others_guess(app, make_user) -> None:
    user = make_user("admin")
    assert _try(app, "10.9.3.1", user.email, PASSWORD) == "in"  # the office, this morning
    for n in range(20):  # guessing from many addresses
        assert _try(app, f"10.9.4.{n}", user.email, "wrong-password") == "wrong"
    assert _try(app, "10.9.4.99", user.email, "wrong-password") == ". Try again in 1 min."
    assert _try(app, "10.9.5.1", user.email, PASSWORD) == ". Try again in 1 min."  # new address
    assert _try(app, "10.9.3.1", user.email, PASSWORD) == "in"  # the usual one: not slowed


def test_colleagues_who_mistype_once_behind_one_address_all_get_in(app, make_user) -> None:
    # One office behind one NAT address: more colleagues than the address's free failures.
    for n in range(ADDRESS.free + 2):
        user = make_user("official")
        assert _try(app, "10.12.0.1", user.email, "wrong-password") == "wrong"
        assert _try(app, "10.12.0.1", user.email, PASSWORD) == "in", n


def test_an_address_failing_many_accounts_is_throttled(app, make_user) -> None:
    user = make_user("official")
    for n in range(20):
        assert _try(app, "10.10.0.1", f"guess{n}@kommun.example.se", "wrong-password") == "wrong"
    assert _try(app, "10.10.0.1", user.email, PASSWORD) == ". Try again in 1 min."
    assert _try(app, "10.10.0.2", user.email, PASSWORD) == "in"


def test_changing_the_password_is_throttled_per_account(app, make_user) -> None:
    user = make_user("official")
    client = _client(app, "10.11.0.1")
    login(client, user)
    new = "ett-helt-nytt-lösenord-7"

    def change(current: str) -> str:
        response = post_form(
            client,
            "/account/password?lang=en",
            {"current_password": current, "password": new, "confirm": new},
        )
        return response.get_data(as_text=True) if response.status_code == 200 else "changed"

    for _ in range(5):
        assert "The current password is wrong." in change("wrong-wrong-1")
    html = change(PASSWORD)
    error = html.split('id="current_password-error"', 1)[1].split("</", 1)[0]
    assert "Too many failed attempts. Try again in 1 min." in error
    # The guesses count for the account: a login from the same address waits too.
    assert _try(app, "10.11.0.1", user.email, PASSWORD).startswith(". Try again")
    _pass_time(app, 61)
    assert change(PASSWORD) == "changed"


def test_parallel_wrong_passwords_are_checked_at_most_five_times(
    app, make_user, monkeypatch
) -> None:
    """30 wrong passwords at once from one address: at most 5 are checked, the rest refused."""
    from survey.services.accounts import accounts

    user = make_user("admin")
    checked = []
    verify = accounts._verify

    def slow_verify(password_hash: str, password: str) -> bool:
        checked.append(password)
        threading.Event().wait(0.05)  # as long as a production argon2 check takes
        return verify(password_hash, password)

    monkeypatch.setattr(accounts, "_verify", slow_verify)
    count = 30
    clients = [_client(app, "10.12.0.1") for _ in range(count)]
    tokens = [csrf_token(client, "/login?lang=en") for client in clients]
    barrier = threading.Barrier(count)
    results = [""] * count

    def attempt(i: int) -> None:
        barrier.wait()
        response = clients[i].post(
            "/login?lang=en",
            data={"email": user.email, "password": f"wrong-{i}", "csrf_token": tokens[i]},
        )
        html = response.get_data(as_text=True)
        results[i] = "wrong" if WRONG in html else "throttled" if THROTTLED in html else html

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) <= {"wrong", "throttled"}, results
    assert results.count("wrong") == len(checked) <= PAIR.free
    with app.app_context():
        rows = db.session.scalars(select(LoginAttempt)).all()
        assert len(rows) == len(checked) and not any(row.success for row in rows)
        assert db.session.get(User, user.id).last_login_at is None
