"""Static URLs carry their file's version and are kept for a year; a change changes the URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from survey.web.static_assets import IMMUTABLE

pytestmark = pytest.mark.any_database


@pytest.fixture
def own_static(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """Serve static files from a folder of the test's own for the test's length."""
    saved = app.static_folder
    app.static_folder = str(tmp_path)
    yield tmp_path
    app.static_folder = saved


def _url(app: Flask, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_pages_link_the_versioned_stylesheet_scripts_and_icons(
    app: Flask, client: FlaskClient
) -> None:
    page = client.get("/login")
    assert page.headers["Cache-Control"] == "no-store"  # the page itself is never kept
    html = page.get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert {"css/app.css", "favicon.ico", "favicon.svg"} <= {
        re.sub(r"^/static/|\?.*$", "", link) for link in links
    }
    for link in links:
        assert re.search(r"\?v=[0-9a-f]{12}$", link), link
        with client.get(link) as asset:
            assert asset.status_code == 200, link
            assert asset.headers["Cache-Control"] == IMMUTABLE, link


def test_a_changed_file_gets_a_new_url_and_an_old_url_is_not_kept(
    app: Flask, client: FlaskClient, own_static: Path
) -> None:
    (own_static / "app.css").write_text("body { color: black; }", encoding="utf-8")
    first = _url(app, "app.css")
    assert re.fullmatch(r"/static/app\.css\?v=[0-9a-f]{12}", first)
    assert _url(app, "app.css") == first  # stable while the file is unchanged
    with client.get(first) as asset:
        assert asset.headers["Cache-Control"] == IMMUTABLE

    (own_static / "app.css").write_text("body { color: navy; }", encoding="utf-8")
    second = _url(app, "app.css")
    assert second != first
    with client.get(second) as asset:
        assert asset.data == b"body { color: navy; }"
        assert asset.headers["Cache-Control"] == IMMUTABLE
    for stale in (first, "/static/app.css"):  # an old page's URL, or none: asked again
        with client.get(stale) as asset:
            assert "immutable" not in asset.headers["Cache-Control"]
            assert "max-age=31536000" not in asset.headers["Cache-Control"]
