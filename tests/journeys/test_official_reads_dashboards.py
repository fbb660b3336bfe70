"""An official reads the dashboard of each shipped battery and prints a report for the board.

Set-up, as `make run` prepares it: the three shipped batteries loaded and answered (the demo
builder's generator). The official then works through the UI alone: the start page is the
NKI battery's dashboard; the follow-up battery has NKI only; the visit guide has no NKI but
three service factors, so it offers an index control; each page shows its indices. The
reports are printed with Chromium's PDF and read back as text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from survey.demo.responses import generate_responses
from survey.extensions import db
from survey.services.dashboards import dashboard
from survey.services.organisation import organisation
from survey.web.dashboard import pages
from tests.databases import IN_CI

BATTERIES = {
    "nki-myndighetsutovning": "Vad tyckte du om kommunens service i ditt ärende?",
    "uppfoljning-foretagsbesok": "Vad tyckte ni om vårt besök?",
    "foretagsbesok-samtalsguide": "Samtalsguide för företagsbesök",
}


def _answered(app, shipped, *keys: str) -> None:  # noqa: ANN001
    """Load shipped batteries and answer each over the last two years."""
    shipped(*keys)
    with app.app_context():
        for number, key in enumerate(keys):
            generate_responses(90, seed=number + 1, years=2, batteries=(key,))
    # Warm the app as a served worker is warmed before it takes requests: the first overview
    # of a process imports scipy.stats and loads the locale data (seconds, once).
    with app.test_request_context("/dashboard"):
        view = dashboard.parse_view({})
        pages.overview(view, dashboard.filter_choices(view.filters.battery))


def _invited(app) -> None:  # noqa: ANN001
    """A survey of the NKI battery sent to eight companies (the outbox delivered), as an
    official sent it, so that the response rate has a funnel to draw."""
    from survey.models import Company
    from survey.services.batteries import batteries
    from survey.services.surveys import surveys
    from survey.services.surveys.invitations import create_invitation
    from tests.factories import delivered_mail
    from tests.mail.conftest import survey_input

    with app.app_context():
        version = batteries.get_version("nki-myndighetsutovning").id
        survey = surveys.create_survey(survey_input(version), actor_id=None)
        for number in range(8):
            company = Company(org_number=f"556000-00{number}{number}", name=f"Företag {number} AB")
            db.session.add(company)
            db.session.flush()
            create_invitation(survey, company)
        db.session.commit()
    assert len(delivered_mail(app)) == 8


def _charts_drawn(page) -> None:  # noqa: ANN001 - playwright Page
    """Wait until the page's charts are drawn, as the user waits for them to appear."""
    expect(page.locator("[data-figure]:not([data-drawn])")).to_have_count(0)


def _every_chart_drawn(page) -> int:  # noqa: ANN001 - playwright Page
    """Wait until every chart on the page is drawn (its plotly SVG there); how many there are."""
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-figure]'))"
        ".every(chart => chart.dataset.drawn === 'true' && chart.querySelector('svg.main-svg'))"
    )
    return page.locator(".chart[data-drawn='true']").count()


def _go_to(page, name: str) -> None:  # noqa: ANN001 - playwright Page
    """Follow a link of the dashboard's own menu (its pages keep the filters)."""
    menu = page.get_by_role("navigation", name="Instrumentpanelens sidor")
    menu.get_by_role("link", name=name, exact=True).click()


def _choose_battery(journey, title: str) -> None:  # noqa: ANN001
    page = journey.page
    page.get_by_label("Frågebatteri", exact=True).select_option(label=title)
    page.get_by_role("button", name="Visa", exact=True).click()
    expect(page.get_by_label("Frågebatteri", exact=True)).to_have_value(
        next(key for key, name in BATTERIES.items() if name == title)
    )
    _charts_drawn(page)


def _pdf_text(page, path: Path) -> str:  # noqa: ANN001
    """Print the page to PDF as Chromium does and return the PDF's text (poppler)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        message = "pdftotext not found: apt-get install -y poppler-utils to read printed reports"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    page.pdf(path=str(path), format="A4", print_background=True)
    result = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def _print_report(journey, tmp_path: Path, name: str) -> tuple[str, int]:  # noqa: ANN001
    """Open the printable report of the dashboard shown, print it; its text and page count."""
    page = journey.page
    _go_to(page, "Utskriftsvänlig rapport")
    expect(page.get_by_role("button", name="Skriv ut eller spara som PDF")).to_be_visible()
    _charts_drawn(page)
    journey.check(name)  # each battery's report: other charts, other sections
    text = _pdf_text(page, tmp_path / f"{name}.pdf")
    return " ".join(text.split()), text.count("\f")


def _report_date(app) -> str:  # noqa: ANN001
    today = datetime.now(ZoneInfo(app.config["SURVEY_TIMEZONE"])).date()
    return format_date(today, format="long", locale="sv")


def test_official_reads_the_nki_dashboard_and_prints_its_report(
    app, journey, person, shipped, tmp_path
) -> None:
    _answered(app, shipped, "nki-myndighetsutovning")
    _invited(app)
    with app.app_context():  # as an admin set it under Organisation
        organisation.set_for_demo(
            "Upplands-Bro kommun", "Näringslivsenheten", "naringsliv@upplands-bro.se", ""
        )
        db.session.commit()
    official = person("official", "Karin Berg")

    # The start page is the NKI battery's dashboard: NKI now, the six factors, an index control.
    journey.log_in(official)
    page = journey.page
    _charts_drawn(page)
    journey.see("NKI nu")
    expect(page.get_by_role("heading", name="Serviceområden", exact=True)).to_be_visible()
    expect(page.get_by_label("Index", exact=True)).to_have_value("nki")
    expect(page.get_by_role("button", name="Ladda ner diagrammet (PNG)").first).to_be_visible()

    # Each other page of the dashboard's menu draws its charts.
    for name, path, count in [
        ("Serviceområden", "factors", 1),
        ("Frågor", "questions", 1),
        ("Svarsfrekvens", "responses", 1),
        ("Kommentarer", "comments", 0),
    ]:
        _go_to(page, name)
        page.wait_for_url(f"**/dashboard/{path}*")
        assert _every_chart_drawn(page) == count, name
        journey.check()

    # Its printed report: the battery's title, the period, today's date, no raw keys.
    text, pages = _print_report(journey, tmp_path, "nki")
    assert _every_chart_drawn(page) == 5  # every chart of the report, at the width of A4
    assert BATTERIES["nki-myndighetsutovning"] in text
    assert "Upplands-Bro kommun" in text  # who hands the board the report
    assert "Rapportdatum" in text and _report_date(app) in text
    assert "Prioriteringsmatris" in text and "Lägre prioritet" in text
    assert "NKI: 95 % KI" in text  # the trend chart printed (its legend), KI in Swedish
    assert "nki-myndighetsutovning" not in text and "NKI_HELHET" not in text
    assert not re.search(r"\bCI\b", text) and "…" not in text
    assert pages >= 3


def test_official_reads_the_visit_batteries_and_chooses_an_index(
    app, journey, person, shipped, tmp_path
) -> None:
    _answered(app, shipped, "uppfoljning-foretagsbesok", "foretagsbesok-samtalsguide")
    official = person("official", "Karin Berg")

    # The follow-up battery (the start page now): NKI only, so no index to choose, no matrix.
    journey.log_in(official)
    page = journey.page
    expect(page.get_by_label("Frågebatteri", exact=True)).to_have_value("uppfoljning-foretagsbesok")
    journey.see("NKI nu")
    expect(page.get_by_label("Index", exact=True)).to_have_count(0)
    _go_to(page, "Prioriteringsmatris")
    journey.see("Frågebatteriet har inga serviceområden och därför ingen prioriteringsmatris.")
    journey.check()

    # The visit guide: no NKI, three factors; the official chooses one of them.
    _go_to(page, "Översikt")
    _choose_battery(journey, BATTERIES["foretagsbesok-samtalsguide"])
    journey.see("Information nu")
    page.get_by_label("Index", exact=True).select_option(label="Bemötande")
    page.get_by_role("button", name="Visa", exact=True).click()
    journey.see("Bemötande nu")
    journey.see("Bemötande per myndighetsområde")
    _charts_drawn(page)
    journey.check()

    # Its report says why it has no priority matrix, in words.
    text, _pages = _print_report(journey, tmp_path, "guide")
    assert BATTERIES["foretagsbesok-samtalsguide"] in text
    assert "Bemötande per period" in text and _report_date(app) in text
    assert "inga NKI-frågor och därför ingen prioriteringsmatris" in text
    assert "foretagsbesok-samtalsguide" not in text and "KONTAKT_" not in text
