"""Every respondent page in Chromium with axe-core (WCAG 2.1 A/AA), in Swedish and English.

Also the error state (summary links move focus to the field), keyboard-only answering with
visible focus, 320 px width without horizontal scrolling, and screenshots for review.
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


def _focus_is_visible(page) -> bool:  # noqa: ANN001 - playwright Page
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return el.matches(':focus-visible') && style.outlineStyle !== 'none'
                && parseFloat(style.outlineWidth) >= 2;
        }"""
    )


def test_swedish_pages_error_state_review_thanks_and_opt_out_pass_axe(
    page,  # noqa: ANN001 - playwright Page
    live_server: str,
    new_token: Callable[[], str],
) -> None:
    token = new_token()
    base = f"{live_server}/s/{token}"
    page.goto(base)
    assert page.locator("html").get_attribute("lang") == "sv"
    check_accessibility(page, "respond-intro-sv")
    page.get_by_role("link", name="Börja svara").click()
    page.wait_for_url(f"{base}/1")

    # Submitting from the review page with a required answer missing: a summary that links
    # to the part where it is.
    page.goto(f"{base}/review")
    page.get_by_role("button", name="Skicka in svaren").click()
    page.locator(".error-summary").wait_for()
    check_accessibility(page, "respond-review-error-sv")
    page.locator(".error-summary").get_by_role("link").click()

    # Error state: the summary at the top links to the field, the message is beside it.
    page.wait_for_url(f"{base}/1")
    page.get_by_role("button", name="Nästa").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.locator("#BESOK_VART_TIDEN-error").is_visible()
    check_accessibility(page, "respond-error-sv")
    summary.get_by_role("link").first.click()
    focused = page.evaluate("() => document.activeElement.closest('#BESOK_VART_TIDEN') !== null")
    assert focused, "following the error summary link must move focus to the question"

    for number in range(1, 6):
        page.goto(f"{base}/{number}")
        check_accessibility(page, f"respond-page-{number}-sv")
        if number == 1:
            page.get_by_role("group", name=FIRST).get_by_label("4", exact=True).check()
        if number == 2:
            page.get_by_role("group", name="Har ni fått den hjälp").get_by_label(
                "Ja, delvis"
            ).check()
            page.get_by_label("Vad saknade ni?").wait_for()
            check_accessibility(page, "respond-page-2-show-if-sv")
        page.get_by_role("button", name="Spara och fortsätt senare").click()
        page.wait_for_url(f"{base}/saved")
        if number == 1:
            check_accessibility(page, "respond-saved-sv")
    page.goto(f"{base}/review")
    check_accessibility(page, "respond-review-sv")
    page.get_by_role("button", name="Skicka in svaren").click()
    page.wait_for_url(f"{base}/thanks")
    check_accessibility(page, "respond-thanks-sv")

    page.goto(f"{live_server}/s/{new_token()}/opt-out")
    check_accessibility(page, "respond-opt-out-sv")
    page.get_by_role("button", name="Avregistrera").click()
    page.get_by_role("heading", name="Ni är avregistrerade").wait_for()
    check_accessibility(page, "respond-opted-out-sv")

    page.goto(f"{live_server}/s/not-a-valid-token-at-all")
    page.get_by_role("heading", name="Länken fungerar inte").wait_for()
    check_accessibility(page, "respond-unavailable")


def test_english_by_link_and_by_browser_locale_pass_axe(
    browser,  # noqa: ANN001 - playwright Browser
    page,  # noqa: ANN001 - playwright Page
    live_server: str,
    new_token: Callable[[], str],
) -> None:
    token = new_token()
    base = f"{live_server}/s/{token}"
    page.goto(base)
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{base}?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    check_accessibility(page, "respond-intro-en")
    page.get_by_role("link", name="Start the survey").click()
    page.wait_for_url(f"{base}/1")
    page.get_by_role("button", name="Next").click()
    page.locator("#BESOK_VART_TIDEN-error").wait_for()
    check_accessibility(page, "respond-error-en")
    page.get_by_role("group", name="Was the visit worth").get_by_label("5", exact=True).check()
    for number in range(1, 6):
        page.wait_for_url(f"{base}/{number}")
        assert page.locator("html").get_attribute("lang") == "en"
        if number > 1:
            check_accessibility(page, f"respond-page-{number}-en")
        page.locator("button[value=next]").click()
    page.wait_for_url(f"{base}/review")
    check_accessibility(page, "respond-review-en")
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(f"{base}/thanks")
    check_accessibility(page, "respond-thanks-en")
    page.goto(base)
    page.get_by_role("heading", name="Already answered").wait_for()
    check_accessibility(page, "respond-already-answered-en")
    page.goto(f"{live_server}/s/{new_token()}/opt-out")
    check_accessibility(page, "respond-opt-out-en")
    page.get_by_role("button", name="Opt out").click()
    page.get_by_role("heading", name="You have opted out").wait_for()
    check_accessibility(page, "respond-opted-out-en")

    # No link chosen: a browser that prefers British English gets English.
    context = browser.new_context(locale="en-GB")
    visitor = context.new_page()
    other = f"{live_server}/s/{new_token()}"
    visitor.goto(other)
    assert visitor.locator("html").get_attribute("lang") == "en"
    visitor.get_by_role("heading", name="What did you think of our visit?").wait_for()
    check_accessibility(visitor, "respond-intro-en-gb")
    visitor.goto(f"{other}/1")
    visitor.get_by_role("heading", name="The visit").wait_for()
    check_accessibility(visitor, "respond-page-1-en-gb")
    context.close()


def _tab_to(page, selector: str) -> None:  # noqa: ANN001 - playwright Page
    """Press Tab until the focused element matches a CSS selector."""
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_answering_narrow_screen_and_screenshots(
    browser,  # noqa: ANN001 - playwright Browser
    page,  # noqa: ANN001 - playwright Page
    live_server: str,
    new_token: Callable[[], str],
) -> None:
    base = f"{live_server}/s/{new_token()}"
    page.goto(f"{base}/1")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "respond-section-desktop.png"), full_page=True)

    # Keyboard only: Enter submits the empty page, the summary link leads to the question.
    _tab_to(page, "input[name=BESOK_VART_TIDEN]")
    page.keyboard.press("Enter")
    page.locator(".error-summary").wait_for()
    _tab_to(page, ".error-summary a")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "BESOK_VART_TIDEN"
    assert _focus_is_visible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "BESOK_VART_TIDEN-0"
    assert _focus_is_visible(page)
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.evaluate(
        "() => [document.activeElement.value, document.activeElement.checked]"
    ) == [
        "4",
        True,
    ]
    assert _focus_is_visible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "BESOK_LYSSNADE"
    page.keyboard.press("ArrowRight")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.startswith(f"{base}/2"))  # the #fragment may follow
    page.goto(f"{base}/1")
    assert page.get_by_role("group", name=FIRST).get_by_label("4", exact=True).is_checked()
    assert page.get_by_role("group", name="Lyssnade vi").get_by_label("2", exact=True).is_checked()

    # 320 px wide (a small phone, or 400 % zoom): nothing scrolls sideways.
    narrow = browser.new_context(locale="sv-SE", viewport={"width": 320, "height": 640})
    phone = narrow.new_page()
    for path in ("1", "3", "review"):
        phone.goto(f"{base}/{path}")
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{path}: the page scrolls sideways ({width} px)"
    phone.goto(f"{base}/1")
    phone.screenshot(path=str(OUTPUT / "respond-section-320px.png"), full_page=True)
    narrow.close()
