"""The dashboard in a real browser: charts draw, a filter changes them, axe finds nothing."""

from __future__ import annotations

from flask import Flask

from tests.browser.conftest import check_accessibility
from tests.dashboard.conftest import build_demo
from tests.factories import PASSWORD


def _figure_text(page) -> str:  # noqa: ANN001 - playwright Page
    return page.locator("#figure-index").text_content() or ""


def _wait_for_charts(page) -> None:  # noqa: ANN001 - playwright Page
    """Wait until every chart on the page is drawn, so that axe checks the drawn charts too."""
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-figure]'))"
        ".every(chart => chart.dataset.drawn === 'true' && chart.querySelector('svg.main-svg'))"
    )


def _log_in(app: Flask, page, live_server: str, make_user) -> None:  # noqa: ANN001
    """Build the demo data and log an official in through the login form."""
    with app.app_context():
        build_demo()
    user = make_user("official")
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server}/")


def test_priority_matrix_keeps_the_overviews_filter(
    app: Flask, page, live_server, make_user
) -> None:
    _log_in(app, page, live_server, make_user)
    page.goto(f"{live_server}/dashboard?area=bygglov&period=year")
    page.get_by_role("link", name="Prioriteringsmatris").first.click()
    page.wait_for_url("**/dashboard/priority?*area=bygglov*")
    page.wait_for_selector("#panel-priority .chart[data-drawn='true'] svg.main-svg")
    assert page.locator("#panel-priority").get_by_text("Prioritera", exact=True).count() >= 1
    check_accessibility(page, "dashboard-priority")


def test_every_other_page_draws_its_charts_and_a_bad_date_is_shown(
    app: Flask, page, live_server, make_user
) -> None:
    _log_in(app, page, live_server, make_user)
    # Every other page, its plotly charts drawn (the report too, at the width of A4).
    charts = {"factors": 1, "questions": 1, "responses": 1, "comments": 0, "report": 5}
    for path, count in charts.items():
        page.goto(f"{live_server}/dashboard/{path}")
        _wait_for_charts(page)
        assert page.locator(".chart[data-drawn='true']").count() == count, path
        check_accessibility(page, f"dashboard-{path}")
    page.goto(f"{live_server}/dashboard?date_from=igår")
    assert page.locator("#date_from-error").is_visible()
    check_accessibility(page, "dashboard-error")
