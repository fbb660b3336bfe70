"""An official sends a follow-up survey: creates it from the shipped battery, picks recipients
by searching and ticking and by pasting organisation numbers, sees who is invited and who is
excluded and why before confirming, sees the mail leave, and reads it in the outbox with the
personal links masked. The company's copy arrives with a link that works."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import expect

from survey import orgnr
from tests.mail.conftest import SmtpServer, text_part

LINK = re.compile(r"http://127\.0\.0\.1:\d+/s/([A-Za-z0-9_-]{20,})")


def number(first_nine: str, *, hyphen: bool = True) -> str:
    """A valid organisation number from nine digits, as people write it."""
    digits = first_nine + str(orgnr.luhn_check_digit(first_nine))
    return f"{digits[:6]}-{digits[6:]}" if hyphen else digits


def register(app: Flask) -> None:
    """The register as an admin imported it: five companies, one without e-mail, one opted out."""
    from survey.services.register import companies

    rows = [
        ("Bageriet Åkes AB", "556101234", "info@bageriet.example.se", False),
        ("Bergs Bygg AB", "556202345", "kontor@bergsbygg.example.se", False),
        ("Cykelverkstaden i Bro AB", "556303456", "hej@cykelverkstaden.example.se", False),
        ("Däckhuset Bro AB", "556404567", "", False),
        ("Ekens Café AB", "556505678", "cafe@eken.example.se", True),
    ]
    with app.app_context():
        for name, digits, email, opted_out in rows:
            data = {"org_number": number(digits), "name": name, "contact_email": email}
            company = companies.create_company(data, actor_id=None)
            if opted_out:
                companies.set_opted_out(company.id, True, actor_id=None)


def deliver_outbox(app: Flask, sink: SmtpServer) -> None:
    """Stand in for the mail worker (`survey mail send`): deliver the due outbox by SMTP."""
    from survey.mail import sender_from_config
    from survey.services.outbox import outbox

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port, SMTP_SECURITY="none")
    with app.app_context():
        report = outbox.send_due(sender_from_config(app.config))
    assert report.sent == 3


def test_official_sends_follow_up_survey(journey, desk, person, shipped, app) -> None:
    shipped("uppfoljning-foretagsbesok")
    register(app)
    official = person("official", "Karin Berg")
    page = journey.page
    journey.log_in(official)

    # A new survey of the shipped follow-up battery (its only published version).
    page.get_by_role("link", name="Enkäter", exact=True).click()
    journey.check()
    page.get_by_role("link", name="Ny enkät").click()
    journey.check()
    page.get_by_label("Namn", exact=True).fill("Uppföljning av höstens besök")
    expect(page.get_by_label("Version av frågebatteri")).to_contain_text("uppfoljning")
    page.get_by_label("Avsändarnamn").fill("Näringslivsenheten i Upplands-Bro")
    page.get_by_label("Inbjudans ämnesrad (svenska)").fill("Vad tyckte {company} om besöket?")
    page.get_by_label("Inbjudans text (svenska)").fill("Hej {company}!\n\nSvara här: {link}")
    page.get_by_role("button", name="Spara").click()
    journey.see("Enkäten är skapad. Välj nu mottagare.")
    journey.check()

    # Search the register and tick two companies; the others show why they would be left out.
    page.get_by_label("Sök företag").fill("AB")
    page.get_by_role("button", name="Sök", exact=True).click()
    journey.see("5 företag hittades")
    journey.see("Saknar e-postadress")
    journey.check("search")
    page.get_by_label("Bageriet Åkes AB").check()
    page.get_by_label("Bergs Bygg AB").check()
    page.get_by_role("button", name="Förhandsgranska de ikryssade företagen").click()
    journey.see("2 företag bjuds in.")
    invited = page.get_by_role("table", name="Företag som bjuds in")
    expect(invited.get_by_role("row")).to_have_count(3)  # the header and two companies
    journey.check()
    page.get_by_role("button", name="Bekräfta och bjud in 2 företag").click()
    journey.see("2 företag har bjudits in.")
    journey.see("Uppföljning av höstens besök")
    journey.check()

    # Paste a list from a spreadsheet: numbers in both spellings, a typo, a repeat, a stranger.
    page.get_by_role("link", name="Välj mottagare").click()
    pasted = [
        number("556303456", hyphen=False),  # Cykelverkstaden
        number("556404567"),  # Däckhuset: no e-mail
        number("556505678", hyphen=False),  # Ekens Café: opted out
        number("556101234"),  # Bageriet: invited a moment ago
        "556303-4560",  # a typo in the check digit
        number("556303456"),  # Cykelverkstaden again
        number("556909999"),  # not in the register
    ]
    page.get_by_label("Organisationsnummer", exact=True).fill("\n".join(pasted))
    page.get_by_role("button", name="Förhandsgranska listan").click()
    journey.see("1 företag bjuds in.")
    journey.see("3 företag undantas.")
    excluded = page.get_by_role("table", name="Företag som undantas")
    for name, reason in [
        ("Däckhuset Bro AB", "Saknar e-postadress"),
        ("Ekens Café AB", "Har avböjt enkätutskick"),
        ("Bageriet Åkes AB", "Redan inbjudet till den här enkäten"),
    ]:
        expect(excluded.get_by_role("row").filter(has_text=name)).to_contain_text(reason)
    journey.see("3 rader kunde inte användas")
    lines = page.get_by_role("table", name="Rader som inte kunde användas")
    for row, (line, text, problem) in enumerate(
        [
            ("5", "556303-4560", "Kontrollsiffran stämmer inte"),
            ("6", number("556303456"), "Samma som rad 1."),
            ("7", number("556909999"), "Finns inte i företagsregistret."),
        ],
        start=1,
    ):
        expect(lines.get_by_role("row").nth(row).get_by_role("cell")).to_have_text(
            [line, text, re.compile(re.escape(problem))]
        )
    expect(page.get_by_role("table", name="Företag som bjuds in")).to_contain_text(
        "Cykelverkstaden i Bro AB"
    )
    journey.check("list")
    page.get_by_role("button", name="Bekräfta och bjud in 1 företag").click()
    journey.see("1 företag har bjudits in.")

    # The outbox holds three queued invitations; the worker sends them; the page says so.
    page.get_by_role("link", name="Utkorg").click()
    expect(page.get_by_role("link", name="Köad (3)")).to_be_visible()
    journey.check()
    sink = SmtpServer()
    sink.start()
    try:
        deliver_outbox(app, sink)
    finally:
        sink.stop()
    page.reload()
    expect(page.get_by_role("link", name="Skickade (3)")).to_be_visible()
    rows = page.get_by_role("row").filter(has_text="hej@cykelverkstaden.example.se")
    expect(rows).to_contain_text("Skickade")

    # The official reads the message: the personal link is masked, never the token.
    rows.get_by_role("link", name="Vad tyckte Cykelverkstaden i Bro AB om besöket?").click()
    journey.see("Hej Cykelverkstaden i Bro AB!")
    journey.see("/s/••••••••")
    journey.check()
    mailed = [m for m in sink.inbox.messages if "cykelverkstaden" in str(m["To"])]
    assert len(mailed) == 1 and len(sink.inbox.messages) == 3
    link = LINK.search(text_part(mailed[0]))
    assert link is not None
    assert link.group(1) not in page.content()

    # The company's copy holds a link that works.
    company = desk()
    company.page.goto(link.group(0))
    company.see("Inbjudet företag: Cykelverkstaden i Bro AB")
    company.check()
