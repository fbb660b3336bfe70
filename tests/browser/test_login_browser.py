"""Logging in with a real browser, keyboard only, and axe-core on the login and start pages."""

from __future__ import annotations

from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD


def test_login_by_keyboard_and_pages_pass_axe(page, live_server, make_user) -> None:
    user = make_user("official")
    page.goto(f"{live_server}/login")
    check_accessibility(page, "login-sv")
    page.keyboard.press("Tab")  # skip link first
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/")
    assert user.name in page.content()
    check_accessibility(page, "start-sv")
    page.goto(f"{live_server}/login?lang=en")
    check_accessibility(page, "login-en")


def test_login_error_state_passes_axe(page, live_server, make_user) -> None:
    user = make_user("analyst")
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill("fel lösenord")
    page.get_by_role("button", name="Logga in").click()
    assert page.locator("#password-error").is_visible()
    check_accessibility(page, "login-error")
