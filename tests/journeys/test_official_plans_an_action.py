"""An official plans an action from the dashboard and reads the index before and after it.

Set-up (as an admin would prepare it): the NKI battery answered in March 2023, June 2024 and
June 2025 with hand-worked Treatment indices (tests/actions/data.py). The action runs
2024-01-15 to 2024-03-20, so it is compared over 2023-01 – 2023-12 against 2024-04 – 2025-03:
before 40 60 60 80 40 60 80 60 (mean 60, 95 % CI 47.4–72.6), after 60 80 80 100 60 80 100
80 (mean 80, 67.4–92.6), difference +20 (Welch ν = 14, CI 3.8–36.2, p = 0.019).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.actions.data import build_answers

TITLE = "Bemötandeutbildning för alla handläggare"


def test_official_plans_an_action(journey, person) -> None:
    with journey.app.app_context():
        build_answers()
    official = person("official", "Karin Berg")
    page = journey.page
    dashboard_pages = page.get_by_role("navigation", name="Instrumentpanelens sidor")
    journey.log_in(official)

    # The dashboard's service factors: each factor's trend, and a way to act on it.
    dashboard_pages.get_by_role("link", name="Serviceområden").click()
    expect(page.get_by_role("heading", name="Serviceområden", level=1)).to_be_visible()
    journey.see("Inga åtgärder för de här indexen än.")
    journey.check()
    page.get_by_role("link", name="Skapa åtgärd för Bemötande").click()

    # The form comes with the index chosen; an end before the start is refused beside it.
    expect(page.get_by_role("heading", name="Ny åtgärd")).to_be_visible()
    expect(page.get_by_label("Index som åtgärden ska påverka")).to_have_value("bemotande")
    expect(page.get_by_label("Ansvarig")).to_have_value(str(official.id))
    journey.check()
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Beskrivning").fill("En halvdag om bemötande och klarspråk.")
    page.get_by_label("Startdatum").fill("2024-01-15")
    page.get_by_label("Slutdatum").fill("2023-12-20")
    page.get_by_label("Status").select_option(label="Avslutad")
    page.get_by_role("button", name="Spara åtgärden").click()
    end = page.get_by_label("Slutdatum")
    expect(end).to_have_attribute("aria-invalid", "true")
    expect(end).to_have_accessible_description("Slutdatum är före startdatum.")
    expect(end).to_have_value("2023-12-20")
    expect(page.get_by_label("Titel")).to_have_value(TITLE)
    expect(page.get_by_label("Status")).to_have_value("finished")
    journey.check("errors")
    end.fill("2024-03-20")
    page.get_by_role("button", name="Spara åtgärden").click()
    journey.see("Åtgärden är sparad.")

    # Marked on the factor's trend chart, from start to end.
    page.get_by_role("link", name="Se indexets trend i översikten").click()
    expect(page.get_by_text(f"Åtgärd: {TITLE} (Bemötande)")).to_be_visible()
    journey.see("Markerade i diagrammet ovan")

    # On the list of actions.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Åtgärder").click()
    journey.check()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Bemötande")
    expect(row).to_contain_text("Karin Berg")
    expect(row).to_contain_text("2024-01-15 – 2024-03-20")
    expect(row).to_contain_text("Avslutad")

    # Its page: the index before and after, labelled as a comparison, not an effect.
    row.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    journey.see("inte ett bevis på effekt")
    table = page.get_by_role("table", name=f"Bemötande före och efter: {TITLE}")
    before = table.get_by_role("row", name=re.compile("^Före"))
    after = table.get_by_role("row", name=re.compile("^Efter"))
    difference = table.get_by_role("row", name=re.compile("^Skillnad"))
    expect(before.get_by_role("cell")).to_have_text(["2023-01 – 2023-12", "8", "60", "47–73"])
    expect(after.get_by_role("cell")).to_have_text(["2024-04 – 2025-03", "8", "80", "67–93"])
    expect(difference.get_by_role("cell")).to_have_text(["", "", "+20", "+4 – +36"])
    journey.see("Welchs t-test: p = 0,019, signifikant på 5 %-nivån.")
    journey.check()
