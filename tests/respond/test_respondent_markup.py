"""Respondent markup the browser journeys rely on: errors tied to their inputs, scales laid out
as an even grid on a phone with the end labels kept, the favicon, and the error-summary focus."""

from __future__ import annotations

import re

from flask import Flask

from tests.factories import post_form


def test_inputs_with_an_error_are_invalid_and_described_by_it(client, token: str) -> None:
    html = post_form(client, f"/s/{token}/1", {"action": "next"}).get_data(as_text=True)
    radios = re.findall(r'<input[^>]*name="BESOK_VART_TIDEN"[^>]*>', html)
    assert len(radios) == 6  # 1-6
    for radio in radios:
        assert 'aria-invalid="true"' in radio
        assert 'aria-describedby="BESOK_VART_TIDEN-error"' in radio
    assert 'id="BESOK_VART_TIDEN-error"' in html
    assert 'class="error-summary" role="alert" tabindex="-1"' in html
    assert "js/errors.js" in html  # moves focus to the summary (see the phone journey)
    # A page without errors carries neither.
    fresh = client.get(f"/s/{token}/1").get_data(as_text=True)
    assert "BESOK_VART_TIDEN-0" in fresh and "aria-invalid" not in fresh


def test_scales_are_grids_of_even_columns_with_their_end_labels(client, token: str) -> None:
    client.get(f"/s/{token}")
    nps = client.get(f"/s/{token}/3").get_data(as_text=True)
    assert "scale-points scale-cols-6" in nps  # 0-10: rows of 6 and 5
    assert re.search(
        r'<span class="point">0</span><span class="point-end"><span class="point-dash"> – </span>',
        nps,
    )
    six = client.get(f"/s/{token}/1").get_data(as_text=True)
    assert "scale-points scale-cols-6" in six  # 1-6: one row
    assert 'class="choice choice-end"' in six


def test_every_page_links_the_favicon_and_it_is_served(app: Flask, client, token: str) -> None:
    for url in (f"/s/{token}", "/login", "/s/" + "x" * 43):
        html = client.get(url).get_data(as_text=True)
        assert re.search(r'rel="icon" href="/static/favicon\.ico\?v=[0-9a-f]{12}"', html)
        assert re.search(
            r'rel="icon" href="/static/favicon\.svg\?v=[0-9a-f]{12}" type="image/svg\+xml"', html
        )
    with client.get("/static/favicon.ico") as ico:
        assert ico.status_code == 200 and ico.data[:4] == b"\x00\x00\x01\x00"
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and b"<script" not in svg.data
