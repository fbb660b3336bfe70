"""Factories as fixtures: they call the real services, so tests build data as users do."""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import struct
import zlib
from collections.abc import Callable
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.models import User
from survey.questionnaires import Battery, load_file

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "questionnaires"
PASSWORD = "korrekt-häftstift-2026"
#: The installation's time zone, as the test apps are made (survey/config.py's default).
LOCAL_ZONE = ZoneInfo(os.environ.get("SURVEY_TIMEZONE", "Europe/Stockholm"))
_counter = itertools.count(1)


def local_today() -> date:
    """Today as the app sees it: in the installation's time zone. On a machine in UTC,
    `date.today()` is yesterday there from 23:00 (22:00 in summer) to midnight."""
    return datetime.now(LOCAL_ZONE).date()


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@cache
def shipped_battery(key: str) -> Battery:
    """Return a shipped battery file, parsed once per test process (a Battery is immutable)."""
    return load_file(SHIPPED_DIR / f"{key}.yaml")


@cache
def battery_without_contact(key: str) -> Battery:
    """Return a shipped battery with its contact request taken out, under the key
    `<key>-anonym`: what an anonymous survey may ask (questionnaires/README.md, `contact`)."""
    battery = shipped_battery(key)
    sections = tuple(
        dataclasses.replace(
            section,
            questions=tuple(dataclasses.replace(q, contact=None) for q in section.questions),
        )
        for section in battery.sections
    )
    return dataclasses.replace(battery, key=f"{key}-anonym", sections=sections)


def delivered_mail(app: Flask) -> list[EmailMessage]:
    """Deliver the due outbox as the embedded setup does (`.eml` files); return every file's
    message, oldest name first. Mailed links are only in these, never in the outbox rows."""
    from survey.mail import EmlSender
    from survey.services.outbox import outbox

    folder = Path(app.config["SURVEY_INSTANCE_DIR"]) / "mail"
    with app.app_context():
        outbox.send_due(EmlSender(folder))
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


def png_image(
    width: int = 2, height: int = 1, *, color: tuple[int, int, int] = (11, 79, 138)
) -> bytes:
    """Return a whole, valid PNG of one colour (for logo uploads)."""
    row = b"\x00" + bytes(color) * width
    pixels = zlib.compress(row * height)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def plain_text(message: EmailMessage) -> str:
    """Return the plain-text part of a delivered message."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def csrf_token(client: FlaskClient, url: str = "/login") -> str:
    """Fetch a page with a form and return its CSRF token."""
    html = client.get(url).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict, *, form_url: str | None = None, **kw):  # noqa: ANN201
    """POST a form as a browser would: with the CSRF token from the page that shows it."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={**data, "csrf_token": token}, **kw)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    from survey.services.accounts import accounts

    def make(role: str = "official", *, email: str | None = None, name: str | None = None) -> User:
        n = next(_counter)
        with app.app_context():
            return accounts.create_user(
                email or f"{role}{n}@kommun.example.se",
                name or f"{role.title()} {n}",
                role,
                PASSWORD,
                actor_id=None,
            )

    return make


def login(client: FlaskClient, user: User) -> None:
    """Log a user in through the real login form."""
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


@pytest.fixture
def login_as(app: Flask, make_user: Callable[..., User]) -> Callable[[str], FlaskClient]:
    """Return a new client logged in with a new user of the given role."""

    def as_role(role: str) -> FlaskClient:
        client = app.test_client()
        login(client, make_user(role))
        return client

    return as_role
