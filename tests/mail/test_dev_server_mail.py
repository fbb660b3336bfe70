"""`survey run` (the development server of `make run`) delivers the outbox while it serves:
a reset link asked for over HTTP arrives as an .eml file without `survey mail send`."""

from __future__ import annotations

import email
import email.policy
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from survey import create_app
from survey.config import load_config
from survey.extensions import db
from tests.mail.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
SURVEY = str(Path(sys.executable).parent / "survey")
ADMIN = "admin@example.se"
T = TypeVar("T")

pytestmark = pytest.mark.slow  # a real server process


def _until(find: Callable[[], T | None], what: str, seconds: float = 30) -> T:
    """Return what `find` finds, asking again until a deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = find()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"no {what} within {seconds} s")


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Serve a fresh SQLite instance with `survey run`; yield its address and mail folder."""
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SMTP_HOST")}
    env.update(SURVEY_INSTANCE_DIR=str(instance), SURVEY_ENV="development")
    # The first-run chores of `make run`, in this process with the settings `survey run` reads:
    # what is tested here is the server.
    app = create_app(load_config(env))
    for command in (["db", "upgrade"], ["setup", "admin", "--email", ADMIN]):
        done = app.test_cli_runner().invoke(args=command)
        assert done.exit_code == 0, done.output[-3000:]
    with app.app_context():
        db.engine.dispose()
    port = free_port()
    command = [SURVEY, "run", "--port", str(port), "--no-reload", "--mail-interval", "0.5"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _until(lambda: server.poll() is not None or _answers(f"{base}/healthz"), "server")
        assert server.poll() is None, server.communicate()[1].decode()[-3000:]
        yield base, instance / "mail"
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status == 200
    except OSError:
        return False


def _mail_to(folder: Path, address: str) -> email.message.EmailMessage | None:
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if address in str(message["To"]):
            return message  # type: ignore[return-value]
    return None


def test_a_reset_link_asked_for_over_http_leaves_while_the_dev_server_serves(
    dev_server: tuple[str, Path],
) -> None:
    base, folder = dev_server
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with browser.open(f"{base}/account/reset", timeout=10) as page:
        html = page.read().decode()
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert csrf, html[:2000]
    form = urllib.parse.urlencode({"email": ADMIN, "csrf_token": csrf.group(1)}).encode()
    with browser.open(f"{base}/account/reset", data=form, timeout=10) as answer:
        assert answer.status == 200 and answer.url.endswith("/account/reset/sent")

    message = _until(lambda: _mail_to(folder, ADMIN), "mail to the administrator")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "/account/reset/" in text
