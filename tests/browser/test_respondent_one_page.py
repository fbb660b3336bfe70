"""All questions on one page in Chromium: axe-core in Swedish and English, errors, show-if, submit.

The one-page form is reached from the intro page's link; it validates every part at once,
its error summary links move focus to the questions, a question that depends on an answer
in an earlier part appears when that answer is given, and one click submits everything.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.conftest import OUTPUT, check_accessibility
from tests.mail.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
)

FIRST = "Var besöket värt den tid ni lade på det?"


@pytest.fixture
def new_token(make_survey: Callable[..., int], make_company, invite) -> Callable[[], str]:  # noqa: F811
    """Invite a new company to one open survey (follow-up battery); return the token."""
    survey_id = make_survey()
    return lambda: invite(survey_id, make_company("Bageriet Ö & Co"))


def test_swedish_one_page_errors_show_if_and_submit(
    page,  # noqa: ANN001 - playwright Page
    live_server: str,
    new_token: Callable[[], str],
) -> None:
    base = f"{live_server}/s/{new_token()}"
    page.goto(base)
    page.get_by_role("link", name="Visa alla frågor på en sida").click()
    page.wait_for_url(f"{base}/all")
    page.get_by_role("heading", name="Alla frågor", level=1).wait_for()
    check_accessibility(page, "respond-one-page-sv")

    # Nothing answered: the summary lists the required question and moves focus to it.
    page.get_by_role("button", name="Skicka in svaren").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    check_accessibility(page, "respond-one-page-error-sv")
    summary.get_by_role("link").first.click()
    focused = page.evaluate("() => document.activeElement.closest('#BESOK_VART_TIDEN') !== null")
    assert focused, "the error summary link must move focus to the question"

    # A follow-up question appears only with the answer it depends on.
    follow_up = page.get_by_label("Vad saknade ni?")
    assert not follow_up.is_visible()
    page.get_by_role("group", name=FIRST).get_by_label("4", exact=True).check()
    page.get_by_role("group", name="Har ni fått den hjälp").get_by_label("Nej", exact=True).check()
    follow_up.wait_for()
    follow_up.fill("En kontakt på bygglov")
    check_accessibility(page, "respond-one-page-show-if-sv")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "respond-one-page-sv.png"), full_page=True)

    page.get_by_role("button", name="Skicka in svaren").click()
    page.wait_for_url(lambda url: url.startswith(f"{base}/thanks"))  # the #fragment may follow
    page.get_by_role("heading", name="Tack för era svar!").wait_for()


def test_english_one_page_and_narrow_screen(
    browser,  # noqa: ANN001 - playwright Browser
    live_server: str,
    new_token: Callable[[], str],
) -> None:
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 640})
    visitor = context.new_page()
    base = f"{live_server}/s/{new_token()}"
    visitor.goto(f"{base}/all")
    assert visitor.locator("html").get_attribute("lang") == "en"
    visitor.get_by_role("heading", name="All questions", level=1).wait_for()
    check_accessibility(visitor, "respond-one-page-en")
    width = visitor.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"the one-page form scrolls sideways ({width} px)"
    visitor.get_by_role("group", name="Was the visit worth").get_by_label("5", exact=True).check()
    visitor.get_by_role("button", name="Save and continue later").click()
    visitor.wait_for_url(f"{base}/saved")
    visitor.goto(f"{base}/all")
    group = visitor.get_by_role("group", name="Was the visit worth")
    assert group.get_by_label("5", exact=True).is_checked()
    context.close()
