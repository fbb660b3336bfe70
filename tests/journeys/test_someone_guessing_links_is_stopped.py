"""Someone types survey links by guesswork (or mistypes a printed link again and again): each
wrong link shows the neutral page, and after ten the address is told to wait a minute."""

from __future__ import annotations


def test_someone_guessing_links_is_stopped(journey) -> None:  # noqa: ANN001
    page = journey.page
    response = page.goto(f"{journey.base_url}/s/guess-0")
    assert response is not None and response.status == 404
    page.get_by_role("heading", name="Länken fungerar inte").wait_for()
    journey.check("unavailable")
    for n in range(1, 10):
        assert page.request.get(f"{journey.base_url}/s/guess-{n}").status == 404
    response = page.goto(f"{journey.base_url}/s/guess-10")  # the eleventh
    assert response is not None and response.status == 429
    page.get_by_role("heading", name="För många försök").wait_for()
    assert page.locator("html").get_attribute("lang") == "sv"
    journey.check("too-many")
