"""A company answers with the keyboard alone, then checks its answers on a 320 px wide screen.

The company opens its link on a computer and first sends the review page it bookmarked too
early: the summary lists what is missing and links to the part. Then, keyboard only: Enter
sends the empty part, the summary's link leads to the question, Space and the arrow keys
answer, the focus is visible at every step, Enter goes on. The same link on a 320 px wide
screen (a small phone, or 400 % zoom) keeps the answers, and no page scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.browsing import OUTPUT
from tests.journeys.conftest import scroll_width
from tests.mail.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
)

FIRST = "Var besöket värt den tid ni lade på det?"
SECOND = "Lyssnade vi på det som är viktigt för ert företag?"


def _focus_is_visible(page) -> bool:  # noqa: ANN001 - playwright Page
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return el.matches(':focus-visible') && style.outlineStyle !== 'none'
                && parseFloat(style.outlineWidth) >= 2;
        }"""
    )


def _tab_to(page, target) -> None:  # noqa: ANN001 - playwright Page / Locator
    """Press Tab until the target has the focus (at most 15 times)."""
    for _ in range(15):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def _review_too_early(journey, path: str) -> None:  # noqa: ANN001
    page = journey.page
    journey.start(path)
    page.get_by_role("link", name="Börja svara").click()
    page.wait_for_url(f"{journey.base_url}{path}/1")
    # The review page, bookmarked before any answer: sending lists what is missing.
    journey.start(f"{path}/review")
    journey.check()
    page.get_by_role("button", name="Skicka in svaren").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    journey.check("errors")
    summary.get_by_role("link").click()
    page.wait_for_url(f"{journey.base_url}{path}/1")


def _answer_by_keyboard(journey) -> None:  # noqa: ANN001
    page = journey.page
    first = page.get_by_role("group", name=FIRST)
    page.screenshot(path=str(OUTPUT / "respond-section-desktop.png"), full_page=True)

    # Enter in the empty part sends it; the summary takes the focus, its link the question.
    _tab_to(page, first.get_by_role("radio").first)
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert").filter(has_text="Något behöver rättas")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link").first
    _tab_to(page, link)
    expect(link).to_be_focused()
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(first).to_be_focused()
    assert first.get_attribute("id") == "BESOK_VART_TIDEN"
    assert _focus_is_visible(page)

    # Tab to the scale, Space chooses 1, the arrows move to 4; Tab to the next question.
    page.keyboard.press("Tab")
    expect(first.get_by_role("radio").first).to_be_focused()
    assert page.evaluate("() => document.activeElement.id") == "BESOK_VART_TIDEN-0"
    assert _focus_is_visible(page)
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    four = first.get_by_label("4", exact=True)
    expect(four).to_be_focused()
    expect(four).to_be_checked()
    assert page.evaluate("() => document.activeElement.value") == "4"
    assert _focus_is_visible(page)
    page.keyboard.press("Tab")
    second = page.get_by_role("group", name=SECOND)
    expect(second.get_by_role("radio").first).to_be_focused()
    assert page.evaluate("() => document.activeElement.name") == "BESOK_LYSSNADE"
    page.keyboard.press("ArrowRight")
    expect(second.get_by_label("2", exact=True)).to_be_focused()
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    page.get_by_role("group", name="Har ni fått den hjälp").wait_for()  # the next part
    journey.check()


def _on_a_small_screen(small, path: str) -> None:  # noqa: ANN001
    """The same link 320 px wide: the answers kept, nothing scrolls sideways."""
    page = small.page
    small.start(path)
    page.get_by_role("button", name="Föregående").click()
    page.get_by_role("group", name=FIRST).wait_for()
    expect(page.get_by_role("group", name=FIRST).get_by_label("4", exact=True)).to_be_checked()
    expect(page.get_by_role("group", name=SECOND).get_by_label("2", exact=True)).to_be_checked()
    assert scroll_width(page) <= 320, f"part 1 scrolls sideways ({scroll_width(page)} px)"
    small.check()
    page.screenshot(path=str(OUTPUT / "respond-section-320px.png"), full_page=True)
    for _ in range(2):
        page.get_by_role("button", name="Nästa").click()
    page.get_by_role("group", name="Hur troligt är det").wait_for()  # part 3
    assert scroll_width(page) <= 320, f"part 3 scrolls sideways ({scroll_width(page)} px)"
    small.check()
    for _ in range(2):
        page.get_by_role("button", name="Nästa").click()
    page.get_by_role("button", name="Granska era svar").click()
    page.get_by_role("heading", name="Granska era svar").wait_for()
    assert scroll_width(page) <= 320, f"the review scrolls sideways ({scroll_width(page)} px)"
    small.check()


def test_company_answers_with_the_keyboard_alone(
    journey,  # noqa: ANN001
    small_screen: Callable,
    make_survey: Callable[..., int],  # noqa: F811
    make_company: Callable[..., int],  # noqa: F811
    invite: Callable[..., str],  # noqa: F811
) -> None:
    OUTPUT.mkdir(exist_ok=True)
    path = f"/s/{invite(make_survey(), make_company('Bageriet Ö & Co'))}"
    _review_too_early(journey, path)
    _answer_by_keyboard(journey)
    _on_a_small_screen(small_screen(), path)
