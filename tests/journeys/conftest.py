"""Journeys: one user's whole task through the UI, in Chromium, on a live server.

Read ../shared/JOURNEYS.md (the team's rules). In short: a journey starts where the user starts
(the login page, a mailed link) and then only follows links and buttons found by role, label
or text in the page's language; it asserts what the user sees at each step; every page it
visits passes axe once (`journey.check()`); set-up data may come from services or the CLI, as
an admin would prepare it. Each journey runs once: on PostgreSQL in CI (the production
database), on SQLite elsewhere (tests/conftest.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask

from survey.models import User
from tests.browsing import check_accessibility
from tests.factories import PASSWORD

_ID = re.compile(r"/\d+(?=/|$)")
#: Pages (and named states) axe has been run on in this test process: each is checked once
#: per run, not again by every journey that passes through (the login and start pages).
#: The xdist workers of one run share the set through a folder (`axe_checked`).
_CHECKED: set[str] = set()
_TOKEN = re.compile(r"/[A-Za-z0-9_-]{20,}(?=/|$)")


def page_name(url: str) -> str:
    """A visited page's name for axe: its path with ids and tokens generalised."""
    path = urlsplit(url).path
    return _ID.sub("/N", _TOKEN.sub("/TOKEN", path)) or "/"


@dataclass
class Journey:
    """A user in a browser tab: where the journey starts, and the pages it has checked."""

    page: object  # playwright Page
    base_url: str
    app: Flask
    checked: set[str] = field(default_factory=set)
    device: str = ""  # "phone" for the phone's layout, checked apart from the desktop's
    shared: Path | None = None  # the run's folder of pages checked by any worker

    def start(self, path: str = "/") -> None:
        """Open the page the user starts from (typed or bookmarked): the only typed URL."""
        self.page.goto(self.base_url + path)

    def check(self, state: str = "") -> None:
        """Run axe on the current page, once per page (and named state, e.g. "errors") in
        this test run."""
        self.page.wait_for_load_state("load")
        name = self.device + page_name(self.page.url) + (f"#{state}" if state else "")
        if name in self.checked or name in _CHECKED:
            return
        self.checked.add(name)
        _CHECKED.add(name)
        if self.shared is not None:
            marker = self.shared / hashlib.sha256(name.encode()).hexdigest()
            try:
                marker.touch(exist_ok=False)  # atomic: one worker of the run claims the page
            except FileExistsError:
                return
        check_accessibility(self.page, re.sub(r"\W+", "_", name).strip("_") or "root")

    def log_in(self, user: User, password: str = PASSWORD) -> None:
        """Log in through the login form, as the user does every morning."""
        self.start("/login")
        self.check()
        self.page.get_by_label("E-postadress").fill(user.email)
        self.page.get_by_label("Lösenord").fill(password)
        self.page.get_by_role("button", name="Logga in").click()
        self.page.wait_for_url(self.base_url + "/")
        self.check()

    def see(self, text: str) -> None:
        """The user sees this text on the page (waits until it shows)."""
        from playwright.sync_api import expect

        expect(self.page.get_by_text(text, exact=False).first).to_be_visible()


@pytest.fixture(scope="session")
def axe_checked(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path | None:
    """The folder where the run's xdist workers mark the pages axe has been run on (None
    without xdist: this process's set is the run's)."""
    if worker_id == "master":
        return None
    folder = tmp_path_factory.getbasetemp().parent / "axe-checked"  # one per run
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def journey(page, live_server: str, app: Flask, axe_checked: Path | None) -> Journey:  # noqa: ANN001 - playwright Page
    """A desktop browser (1280x900, Swedish) on the live app."""
    return Journey(page, live_server, app, shared=axe_checked)


@pytest.fixture
def phone_journey(phone, live_server: str, app: Flask, axe_checked: Path | None) -> Journey:  # noqa: ANN001
    """A phone (390x844, touch, Swedish) on the live app, as companies answer."""
    return Journey(phone, live_server, app, device="phone", shared=axe_checked)


@pytest.fixture
def person(make_user: Callable[..., User]) -> Callable[..., User]:
    """Make a user of a role with a real-looking name: `person("official", "Karin Berg")`."""

    def make(role: str, name: str) -> User:
        local = name.lower().replace(" ", ".")
        local = local.replace("å", "a").replace("ä", "a").replace("ö", "o")
        return make_user(role, email=f"{local}@upplands-bro.example.se", name=name)

    return make


@pytest.fixture
def shipped(app: Flask) -> Callable[..., None]:
    """Load shipped batteries as `make run` does (`survey questionnaires load`)."""
    from survey.services.batteries import batteries
    from tests.factories import shipped_battery

    def load(*keys: str) -> None:
        with app.app_context():
            for key in keys:
                batteries.load_definition(shipped_battery(key), actor_id=None)

    return load


@pytest.fixture
def desk(
    browser,  # noqa: ANN001 - playwright Browser
    live_server: str,
    app: Flask,
    axe_checked: Path | None,
) -> Iterator[Callable[[], Journey]]:
    """Open another desktop browser (a second person) on the same live app."""
    contexts = []

    def open_() -> Journey:
        context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return Journey(page, live_server, app, shared=axe_checked)

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def small_screen(
    browser,  # noqa: ANN001 - playwright Browser
    live_server: str,
    app: Flask,
    axe_checked: Path | None,
) -> Iterator[Callable[[str], Journey]]:
    """Open a 320 px wide screen (a small phone, or 400 % zoom) in a browser of this locale."""
    contexts = []

    def open_(locale: str = "sv-SE") -> Journey:
        context = browser.new_context(locale=locale, viewport={"width": 320, "height": 640})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return Journey(page, live_server, app, device="320px", shared=axe_checked)

    yield open_
    for context in contexts:
        context.close()


def scroll_width(page) -> int:  # noqa: ANN001 - playwright Page
    """The page's width in CSS pixels; wider than the screen means it scrolls sideways."""
    return page.evaluate("() => document.documentElement.scrollWidth")
