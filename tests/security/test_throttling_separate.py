"""Login throttling per account and address, per address, and token-page throttling, apart."""

from __future__ import annotations

from flask import Flask

from tests.factories import PASSWORD, csrf_token

BAD_TOKEN = "B" * 43


def _client(app: Flask, ip: str):  # noqa: ANN202
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def _login(client, email: str, password: str) -> int:
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    return response.status_code


def _throttled(client, email: str, password: str) -> bool:
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?lang=en", data={"email": email, "password": password, "csrf_token": token}
    )
    return "Too many failed attempts" in response.get_data(as_text=True)


def test_failures_from_one_address_throttle_that_address_only(app, make_user) -> None:
    user = make_user("official")
    attacker = _client(app, "10.9.9.9")
    for n in range(20):
        _login(attacker, f"guess{n}@kommun.example.se", "wrong-password")
    assert _throttled(attacker, user.email, PASSWORD)
    assert _login(_client(app, "10.1.1.1"), user.email, PASSWORD) == 302


def test_failures_on_one_account_throttle_that_address_not_the_account(app, make_user) -> None:
    user = make_user("official")
    for _ in range(5):
        _login(_client(app, "10.2.0.1"), user.email, "wrong-password")
    assert _throttled(_client(app, "10.2.0.1"), user.email, PASSWORD)
    assert _login(_client(app, "10.3.3.3"), user.email, PASSWORD) == 302
    assert _login(_client(app, "10.2.0.1"), make_user("official").email, PASSWORD) == 302


def test_token_guessing_is_throttled_separately_from_login(app, make_user) -> None:
    user = make_user("official")
    client = _client(app, "10.4.4.4")
    statuses = [client.get(f"/s/{BAD_TOKEN}").status_code for _ in range(11)]
    assert set(statuses[:10]) == {404}
    assert statuses[10] == 429
    # The token limit does not stop the same address from logging in ...
    assert _login(client, user.email, PASSWORD) == 302
    # ... and logging in does not reset the token limit.
    assert _client(app, "10.4.4.4").get(f"/s/{BAD_TOKEN}").status_code == 429
    assert _client(app, "10.4.4.5").get(f"/s/{BAD_TOKEN}").status_code == 404


def test_login_throttling_neither_blocks_nor_resets_token_pages(app, make_user) -> None:
    user = make_user("official")
    client = _client(app, "10.5.5.5")
    for _ in range(5):
        _login(client, user.email, "wrong-password")
    assert _throttled(client, user.email, PASSWORD)
    assert client.get(f"/s/{BAD_TOKEN}").status_code == 404
    for _ in range(60):
        client.get(f"/s/{BAD_TOKEN}")
    assert _throttled(_client(app, "10.5.5.5"), user.email, PASSWORD)
