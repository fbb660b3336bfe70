"""Browser fixtures (a pytest plugin): the app served on loopback, driven by Debian's Chromium.

Playwright never downloads a browser here: it launches Debian's Chromium by path
(`CHROMIUM_PATH`). By default that is Debian's headless shell when installed
(`chromium-headless-shell`, the build Playwright itself runs headless: the same Blink and V8
without the browser's UI, about a third less time for the journeys), else `chromium`. Without
either the tests are skipped, except in CI, where they must run.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.databases import IN_CI

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH")
    or shutil.which("chromium-headless-shell")
    or shutil.which("chromium")
    or "/usr/bin/chromium"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = (
        f"Chromium not found at {CHROMIUM}; install it (apt-get install -y chromium "
        "chromium-headless-shell) or set CHROMIUM_PATH to run the browser tests"
    )
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # noqa: ANN001 - playwright Browser
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser) -> Iterator[object]:  # noqa: ANN001 - playwright Browser
    """A page in a phone's viewport (390x844, touch), as companies answer."""
    context = browser.new_context(
        locale="sv-SE",
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    """On a failed browser test keep each open page's screenshot and HTML in test-output/."""
    report = yield
    if report.when == "call" and report.failed:
        funcargs = getattr(item, "funcargs", {})
        for name in ("page", "phone"):
            browser_page = funcargs.get(name)
            if browser_page is None:
                continue
            stem = OUTPUT / re.sub(r"[^\w.-]+", "_", f"{item.nodeid}-{name}")
            try:
                OUTPUT.mkdir(exist_ok=True)
                browser_page.screenshot(path=f"{stem}.png", full_page=True)
                Path(f"{stem}.html").write_text(browser_page.content(), encoding="utf-8")
            except Exception as error:  # noqa: BLE001 - the page may be closed or crashed
                report.sections.append(("browser artifacts", f"not saved: {error}"))
            else:
                report.sections.append(("browser artifacts", f"{stem}.png, {stem}.html"))
    return report


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve the app on a free loopback port in a background thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["SURVEY_BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def check_accessibility(page, name: str) -> None:  # noqa: ANN001 - playwright Page
    """Run axe-core (WCAG 2.1 A/AA rules) on the page and fail on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            # Every rule still runs; only the violations' nodes are collected and sent back
            # (passes and inapplicable rules with all their nodes took half of each check).
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    if violations:
        OUTPUT.mkdir(exist_ok=True)
        (OUTPUT / f"axe-{name}.txt").write_text(results.generate_report(), encoding="utf-8")
    assert not violations, f"{name}: " + "; ".join(
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
        f"{', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in violations
    )
