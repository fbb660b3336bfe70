"""axe-core on the respondent pages the main a11y test does not reach.

The English "saved" page, the Swedish "already answered" page, and the page shown when one
address opens token links too often (rate limit, status 429).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.conftest import check_accessibility
from tests.mail.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
)


@pytest.fixture
def new_token(make_survey: Callable[..., int], make_company, invite) -> Callable[[], str]:  # noqa: F811
    """Invite a new company to one open survey (follow-up battery); return the token."""
    survey_id = make_survey()
    return lambda: invite(survey_id, make_company("Bageriet Ö & Co"))


def test_saved_page_in_english_and_already_answered_in_swedish_pass_axe(
    page,  # noqa: ANN001 - playwright Page
    live_server: str,
    new_token: Callable[[], str],
) -> None:
    base = f"{live_server}/s/{new_token()}"
    page.goto(f"{base}/1?lang=en")
    page.get_by_role("button", name="Save and continue later").click()
    page.wait_for_url(f"{base}/saved")
    assert page.locator("html").get_attribute("lang") == "en"
    check_accessibility(page, "respond-saved-en")

    page.goto(f"{base}/1?lang=sv")
    page.get_by_role("group", name="Var besöket värt").get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Nästa").click()
    page.wait_for_url(f"{base}/2")
    page.goto(f"{base}/review")
    page.get_by_role("button", name="Skicka in svaren").click()
    page.wait_for_url(f"{base}/thanks")
    page.goto(base)
    page.get_by_role("heading", name="Redan besvarad").wait_for()
    assert page.locator("html").get_attribute("lang") == "sv"
    check_accessibility(page, "respond-already-answered-sv")


def test_too_many_attempts_page_passes_axe(page, live_server: str) -> None:  # noqa: ANN001
    for n in range(10):
        assert page.request.get(f"{live_server}/s/guess-{n}").status == 404
    response = page.goto(f"{live_server}/s/guess-10")
    assert response is not None and response.status == 429
    page.get_by_role("heading", name="För många försök").wait_for()
    assert page.locator("html").get_attribute("lang") == "sv"
    check_accessibility(page, "respond-too-many")
