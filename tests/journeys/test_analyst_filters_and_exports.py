"""An analyst filters the dashboard, bookmarks the view and takes the numbers into Excel.

Set-up, as `make run` prepares it: the NKI battery loaded and answered over two years (the
demo builder's generator). The analyst then works through the UI alone; the bookmark is the
filtered page's address opened again in a new tab; the Excel download is read with `csv` in
the dialect Excel uses where the comma is the decimal sign (semicolons, a UTF-8 BOM).
"""

from __future__ import annotations

import csv
import re

from playwright.sync_api import expect

from survey.demo.responses import generate_responses
from survey.services.dashboards import dashboard
from survey.web.dashboard import pages
from tests.journeys.conftest import Journey

BATTERY = "nki-myndighetsutovning"


def _answered(app, shipped) -> None:  # noqa: ANN001
    """Load the NKI battery, answer it over two years and warm the app as a served worker."""
    shipped(BATTERY)
    with app.app_context():
        generate_responses(160, seed=7, years=2, batteries=(BATTERY,))
    with app.test_request_context("/dashboard"):
        view = dashboard.parse_view({})
        pages.overview(view, dashboard.filter_choices(view.filters.battery))


def _table(page, caption: str) -> list[list[str]]:  # noqa: ANN001 - playwright Page
    """Return the rows of the table with this caption as the user reads them."""
    table = page.get_by_role("table", name=caption)
    return [
        [cell.strip() for cell in row.get_by_role("cell").all_inner_texts()]
        for row in table.get_by_role("row").all()[1:]
    ]


def _priority_keeps_the_filter(journey) -> None:  # noqa: ANN001
    """By year now: the dashboard's own menu leads to the priority matrix of that filter."""
    page = journey.page
    page.get_by_label("Period", exact=True).select_option(label="År")
    page.get_by_role("button", name="Visa", exact=True).click()
    expect(page.get_by_label("Period", exact=True)).to_have_value("year")
    menu = page.get_by_role("navigation", name="Instrumentpanelens sidor")
    menu.get_by_role("link", name="Prioriteringsmatris", exact=True).click()
    page.wait_for_url("**/dashboard/priority?*area=bygglov*")
    assert "by=year" in page.url
    expect(page.get_by_label("Myndighetsområde", exact=True)).to_have_value("bygglov")
    page.locator("#panel-priority .chart[data-drawn='true'] svg.main-svg").first.wait_for()
    assert page.locator("#panel-priority").get_by_text("Prioritera", exact=True).count() >= 1
    journey.check("matrix")  # drawn (another journey's battery has none)


def test_analyst_filters_bookmarks_and_exports_for_excel(
    app, journey, person, shipped, tmp_path
) -> None:
    _answered(app, shipped)
    analyst = person("analyst", "Sara Ekholm")
    journey.log_in(analyst)
    page = journey.page

    # Filter: building permits, by quarter.
    page.get_by_label("Myndighetsområde", exact=True).select_option(label="Bygglov")
    page.get_by_label("Period", exact=True).select_option(label="Kvartal")
    page.get_by_role("button", name="Visa", exact=True).click()
    expect(page.get_by_label("Myndighetsområde", exact=True)).to_have_value("bygglov")
    journey.see("NKI per myndighetsområde")
    periods = page.get_by_role("table", name="NKI per period").get_by_role("rowheader")
    assert periods.count() >= 4 and all("Q" in period for period in periods.all_inner_texts())
    journey.check("filtered")
    shown = page.get_by_role("table", name="NKI per period").get_by_role("row").all_inner_texts()

    # Bookmark: the address of the filtered page, opened again in a new tab.
    bookmark = page.url
    again = Journey(page.context.new_page(), journey.base_url, journey.app)
    again.page.goto(bookmark)
    expect(again.page.get_by_label("Myndighetsområde", exact=True)).to_have_value("bygglov")
    expect(again.page.get_by_label("Period", exact=True)).to_have_value("quarter")
    reopened = again.page.get_by_role("table", name="NKI per period").get_by_role("row")
    assert reopened.all_inner_texts() == shown  # the same numbers as before
    # A date typed into the bookmark by hand: the error beside the field, nothing lost.
    typed = re.sub(r"date_from=[^&]*", "date_from=ig%C3%A5r", bookmark)
    assert "date_from=ig%C3%A5r" in typed
    again.page.goto(typed)
    expect(again.page.locator("#date_from-error")).to_be_visible()
    expect(again.page.get_by_label("Myndighetsområde", exact=True)).to_have_value("bygglov")
    again.check("errors")
    again.page.close()

    # Export for Excel: the same periods and answers as the table, decimal commas.
    with page.expect_download() as waiting:
        # The link's name ends with its panel's title (visually hidden: a block of its own).
        link = re.compile(r"^Ladda ner för Excel \(CSV med semikolon\)\s*: NKI per period$")
        page.get_by_role("link", name=link).click()
    download = waiting.value
    assert download.suggested_filename == f"index-{BATTERY}-excel.csv"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the BOM
    with path.open(encoding="utf-8-sig", newline="") as handle:
        excel = list(csv.DictReader(handle, dialect="excel", delimiter=";"))
    answers = [cells[0] for cells in _table(page, "NKI per period")]
    assert [row["Period"] for row in excel] == [p.strip() for p in periods.all_inner_texts()]
    assert [row["Svar"] for row in excel] == answers
    reported = [row for row in excel if row["KI nedre"]]
    assert reported, "some quarter has enough answers to report"
    for row in reported:
        index = float(row["Index"].replace(",", "."))
        low, high = (float(row[k].replace(",", ".")) for k in ("KI nedre", "KI övre"))
        assert low <= index <= high and "." not in row["Index"]

    _priority_keeps_the_filter(journey)
